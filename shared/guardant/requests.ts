import { z } from 'zod';
import {
  ActionResult,
  actionResultValues,
  DEFAULT_PAGE_LIMIT,
  dongleModelValues,
  driverTypeName,
  driverTypeValues,
  MAX_BATCH_DONGLES,
  MAX_PAGE_LIMIT,
  OrderStatus,
  orderStatusValues,
  OrderType,
} from './codes';
import { MAX_ORDER_SEARCH_LENGTH } from './order-search';
import { BOUNDS } from './bounds';
import { idempotencyKeySchema } from './idempotency';
import { decimalString, nonNegativeInt, uint32Like, unixSeconds } from './numbers';

/** Request bodies (camelCase, as the vendor's reference writes them) and query strings. */

const text = (max: number) =>
  z.string({ error: 'must be a string' }).max(max, `must be at most ${max} characters`);
const flag = z.boolean({ error: 'must be true or false' });

const orderCommon = {
  orderActivationBirthDate: unixSeconds.optional(),
  orderActivationDeathDate: unixSeconds.optional(),
  orderCanOverwriteContainer: flag.optional(),
  orderDescription: text(1000).optional(),
  crmId: text(255).optional(),
  refId: text(255).optional(),
};

const saleFields = {
  customerId: nonNegativeInt().optional(),
  orderIsDemo: flag.optional(),
  customerRequired: flag.optional(),
  /** The reference's "Change an order" sample spells it so; accepted as the same field. */
  customeRrequired: flag.optional(),
  orderQuantity: z
    .number()
    .int()
    .min(1, 'must be at least 1')
    .max(1_000_000, 'must be at most 1000000')
    .optional(),
  orderActivationLimit: nonNegativeInt(1_000_000).optional(),
  isHardwareLicense: flag.optional(),
};

export const orderStatusValue = z.literal(orderStatusValues, {
  error: 'must be 0 (Draft), 1 (Submitted), 2 (Revoked) or 3 (Archived)',
});

/** A new order starts as a draft or is submitted at once; revoked and archived come later. */
const newOrderStatus = z.literal([OrderStatus.Draft, OrderStatus.Submitted], {
  error: 'a new order is 0 (Draft) or 1 (Submitted)',
});

export const createSaleOrderBody = z.strictObject({
  ...orderCommon,
  ...saleFields,
  orderStatus: newOrderStatus.optional(),
  orderType: z.literal(OrderType.Sale),
});

export const createUpdateOrderBody = z.strictObject({
  ...orderCommon,
  orderType: z.literal(OrderType.Update),
  orderStatus: newOrderStatus.optional(),
  serialNumber: text(64).optional(),
  isHardwareLicense: flag.optional(),
  dongleId: uint32Like.optional(),
  customerId: nonNegativeInt().optional(),
});

export const createOrderBody = z.discriminatedUnion(
  'orderType',
  [createSaleOrderBody, createUpdateOrderBody],
  {
    error: 'orderType must be 0 (Sale) or 1 (Update)',
  },
);
export type CreateOrderBody = z.infer<typeof createOrderBody>;

export const changeOrderBody = z.strictObject({
  ...orderCommon,
  ...saleFields,
  orderStatus: orderStatusValue.optional(),
});
export type ChangeOrderBody = z.infer<typeof changeOrderBody>;

export const licenseTermsBody = z.strictObject({
  licensingmodel: nonNegativeInt(255).optional(),
  licenseRentBeginDate: unixSeconds.optional(),
  licenseRentEndDate: unixSeconds.optional(),
  licenseRentDaysCount: nonNegativeInt(36_500).optional(),
  licenseNetLicenseCount: nonNegativeInt(65_535).optional(),
  consumptionmode: nonNegativeInt(255).optional(),
  flags: nonNegativeInt().optional(),
  licenseRuncounter: nonNegativeInt().optional(),
  isRemote: flag.optional(),
  isExcluded: flag.optional(),
});
export type LicenseTermsBody = z.infer<typeof licenseTermsBody>;

export const paramDataBody = z.strictObject({
  data: z
    .string({ error: 'must be a base64 string' })
    .max(1_000_000)
    .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64'),
});

const [firstModel, lastModel] = [Math.min(...dongleModelValues), Math.max(...dongleModelValues)];
/** A key model the API knows (DongleModel): "must be a model 0–5" past the last. */
export const dongleModel = z
  .number()
  .int()
  .min(firstModel)
  .max(lastModel, `must be a model ${firstModel}–${lastModel}`);

export const dongleIdentityBody = z.strictObject({
  dongleId: uint32Like,
  dongleModel,
  publicCode: uint32Like,
  typeFlags: uint32Like,
  netResource: nonNegativeInt(BOUNDS.netResource.max),
});
export type DongleIdentityBody = z.infer<typeof dongleIdentityBody>;

/** Checked for length before its items, so an oversize batch gets its own code (10032). */
export const multipleDonglesBody = z.strictObject({
  dongles: z.array(dongleIdentityBody).min(1, 'must name at least one key'),
});
export { MAX_BATCH_DONGLES };

const driverTypeWords = driverTypeValues.map((t) => `${t} (${driverTypeName[t]})`);

/**
 * One of the DriverType codes, for PUT /v1.0/dongles/{id} and the station's keys:setDriverType alike.
 * "must be 0 (Guardant), 1 (WinUSB) or 2 (HID)"
 */
export const driverType = z.literal(driverTypeValues, {
  error: `must be ${driverTypeWords.slice(0, -1).join(', ')} or ${driverTypeWords.at(-1)}`,
});

export const driverTypeBody = z.strictObject({ driverType });

export const searchLicenseBody = z.strictObject({
  keySearchValue: text(64).optional(),
  clientId: z.union([nonNegativeInt(), decimalString]).optional(),
  productId: z.union([nonNegativeInt(), decimalString]).optional(),
  orderNumber: z.union([nonNegativeInt(), decimalString]).optional(),
});
export type SearchLicenseBody = z.infer<typeof searchLicenseBody>;

export const loginBody = z.strictObject({
  login: text(BOUNDS.login.max).min(BOUNDS.login.min),
  password: text(BOUNDS.password.max).min(BOUNDS.password.min),
});

/** Keybench extension: the license manager reports one write attempt. */
export const writeLicenseBody = z.strictObject({
  /** What the key itself reported: 0, 201 (write failed) or 202 (key vanished). */
  dongleResult: z
    .literal([ActionResult.Success, ActionResult.DongleBurnFailed, ActionResult.DongleNotFound])
    .optional(),
  /** The write's idempotency key: a success already recorded with it is answered, not recorded again. */
  idempotencyKey: idempotencyKeySchema.optional(),
});

/** Keybench extension: GET /v1.0/writes?idempotencyKey=K, the writes recorded with one idempotency key. */
export const writesByKeyQuery = z.strictObject({ idempotencyKey: idempotencyKeySchema });

// ---- query strings ----

const queryInt = (max: number) =>
  z
    .string()
    // As many digits as the widest bound (a date in Unix seconds has 12): the range check says the rest.
    .regex(/^\d{1,15}$/, 'must be a non-negative whole number')
    .transform(Number)
    .refine((n) => n <= max, `must be at most ${max}`);

const direction = z.enum(['asc', 'desc'], { error: 'must be asc or desc' }).default('asc');
const pagination = {
  offset: queryInt(BOUNDS.pageOffset.max).default(0),
  limit: queryInt(MAX_PAGE_LIMIT)
    .refine((n) => n >= 1, 'must be at least 1')
    .default(DEFAULT_PAGE_LIMIT),
  direction,
};

const csvOf = (allowed: readonly number[], what: string) =>
  z
    .string()
    .regex(/^-?\d+(,-?\d+)*$/, `must be a comma-separated list of ${what}`)
    .transform((s) => [...new Set(s.split(',').map(Number))])
    .refine((xs) => xs.every((x) => allowed.includes(x)), `each value must be one of ${allowed.join(', ')}`);

/** What GET /v1.0/orders (and the station's orders:list) sorts by. */
export const orderSortSchema = z.enum(['number', 'submitdate'], { error: 'must be number or submitdate' });
export type OrderSort = z.infer<typeof orderSortSchema>;

export const ordersQuery = z.strictObject({
  ...pagination,
  sortby: orderSortSchema.default('number'),
  status: csvOf(orderStatusValues, 'statuses').optional(),
  /** Keybench extension: the search of shared/guardant/order-search.ts. */
  q: z.string().max(MAX_ORDER_SEARCH_LENGTH).optional(),
  /** Keybench extension: only hardware (true) or software (false) orders. */
  ishardwarelicense: z
    .enum(['true', 'false'], { error: 'must be true or false' })
    .transform((v) => v === 'true')
    .optional(),
});
export type OrdersQuery = z.infer<typeof ordersQuery>;

/** Keybench extension: GET /v1.0/orders/{id}/dongles, the keys of an order a page at a time. */
export const orderDonglesQuery = z.strictObject({ ...pagination });
export type OrderDonglesQuery = z.infer<typeof orderDonglesQuery>;

export const donglesQuery = z.strictObject({
  ...pagination,
  sortby: z.enum(['default', 'dongleid'], { error: 'must be default or dongleid' }).default('default'),
});

export const dongleOrdersQuery = z.strictObject({
  ...pagination,
  sortby: z
    .enum(['number', 'submitdate', 'startdate'], { error: 'must be number, submitdate or startdate' })
    .default('number'),
});

export const historyQuery = z.strictObject({
  ...pagination,
  sortby: z.enum(['actiondate'], { error: 'must be actiondate' }).default('actiondate'),
  actiondatebegin: queryInt(BOUNDS.unixSeconds.max).optional(),
  actiondateend: queryInt(BOUNDS.unixSeconds.max).optional(),
  actionresult: z
    .string()
    .regex(/^\d+(,\d+)*$/, 'must be a comma-separated list of result codes')
    .transform((s) => [...new Set(s.split(',').map(Number))])
    .optional(),
});

// ---- Keybench extension: admin endpoints of demo and training servers ----

/** POST /v1.0/admin/faults: the next `count` writes into the key fail with `actionResult`. */
export const injectFaultBody = z.strictObject({
  dongleId: uint32Like,
  actionResult: z.number().refine((v) => v !== 0 && (actionResultValues as number[]).includes(v), {
    error: `must be a failure result: ${actionResultValues.filter((v) => v !== 0).join(', ')}`,
  }),
  count: z
    .number()
    .int()
    .min(BOUNDS.faultCount.min, `must be at least ${BOUNDS.faultCount.min}`)
    .max(BOUNDS.faultCount.max, `must be at most ${BOUNDS.faultCount.max}`)
    .default(1),
});

/** PUT /v1.0/admin/vendor: sets the vendor's writing balance; absent fields stay as they are. */
export const vendorAccountBody = z.strictObject({
  activations: nonNegativeInt().optional(),
  netlicenses: nonNegativeInt().optional(),
  subscriptionUntil: unixSeconds.optional(),
});
