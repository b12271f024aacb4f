import { z } from 'zod';
import { MAX_WRITES_BY_IDEMPOTENCY_KEY } from './codes';

/**
 * Response shapes of the Guardant Station API (lower-case keys, Unix seconds, `_id` integers).
 * Fields that the vendor's samples sometimes leave out are optional, so the station can read a real
 * server as well as Keybench's own; the reference server always sends them.
 */

export const customerSchema = z.object({
  _id: z.number().int(),
  name: z.string(),
  lastname: z.string().optional(),
  companyname: z.string().optional(),
  description: z.string().optional(),
  email: z.string().optional(),
  phone: z.string().optional(),
  status: z.number().int().optional(),
  archived: z.boolean().optional(),
  archivationdate: z.number().int().optional(),
  crmid: z.string().optional(),
  refid: z.string().optional(),
});
export type Customer = z.infer<typeof customerSchema>;

export const orderSchema = z.object({
  _id: z.number().int(),
  number: z.number().int(),
  type: z.number().int(),
  status: z.number().int(),
  ishardwarelicense: z.boolean(),
  date: z.number().int(),
  submitdate: z.number().int().optional(),
  activationbirthdate: z.number().int().optional(),
  activationdeathdate: z.number().int().optional(),
  activationlimit: z.number().int().optional(),
  canoverwritecontainer: z.boolean().optional(),
  isdemo: z.boolean().optional(),
  customerrequired: z.boolean().optional(),
  description: z.string().optional(),
  quantity: z.number().int(),
  archived: z.boolean().optional(),
  archivationdate: z.number().int().optional(),
  crmid: z.string().optional(),
  refid: z.string().optional(),
  customer: customerSchema.optional(),
  /** Keybench extension: what an Update order updates. */
  serialnumber: z.string().optional(),
  dongleid: z.number().int().optional(),
});
export type Order = z.infer<typeof orderSchema>;

export const licenseSchema = z.object({
  consumptionmode: z.number().int(),
  flags: z.number().int(),
  isremote: z.boolean(),
  licensingmodel: z.number().int(),
  netlicensescount: z.number().int(),
  rentbegindate: z.number().int(),
  rentdayscount: z.number().int(),
  rentenddate: z.number().int(),
  runcounter: z.number().int(),
  isExcluded: z.number().int().optional(),
});
export type License = z.infer<typeof licenseSchema>;

export const defaultLicenseSchema = licenseSchema.omit({ isExcluded: true }).extend({
  canexclude: z.boolean(),
  canmodify: z.boolean(),
});
export type DefaultLicense = z.infer<typeof defaultLicenseSchema>;

export const featureSchema = z.object({
  _id: z.number().int(),
  featurenumber: z.number().int(),
  name: z.string(),
  description: z.string().optional(),
  pubkey: z.string().optional(),
  archived: z.boolean().optional(),
  archivationdate: z.number().int().optional(),
  crmid: z.string().optional(),
  refid: z.string().optional(),
  defaultLicense: defaultLicenseSchema,
  license: licenseSchema.optional(),
});
export type Feature = z.infer<typeof featureSchema>;

export const paramSchema = z.object({
  _id: z.number().int(),
  name: z.string(),
  description: z.string().optional(),
  data: z.string(),
  datatype: z.number().int().optional(),
  editallowed: z.boolean(),
  offset: z.number().int(),
  size: z.number().int(),
});
export type Param = z.infer<typeof paramSchema>;

export const memoryItemSchema = z.object({
  _id: z.number().int(),
  name: z.string(),
  description: z.string().optional(),
  aliasid: z.number().int().optional(),
  accesstype: z.number().int().optional(),
  action: z.number().int().optional(),
  maxaccesserrors: z.number().int().optional(),
  readpassword: z.number().int().optional(),
  writepassword: z.number().int().optional(),
  size: z.number().int().optional(),
  totalparams_size: z.number().int().optional(),
  draft: z.boolean().optional(),
  archived: z.boolean().optional(),
  archivationdate: z.number().int().optional(),
  crmid: z.string().optional(),
  refid: z.string().optional(),
  params: z.array(paramSchema),
});
export type MemoryItem = z.infer<typeof memoryItemSchema>;

export const bindingSchema = z.record(z.string(), z.boolean());

export const productSchema = z.object({
  _id: z.number().int(),
  productnumber: z.number().int(),
  name: z.string(),
  description: z.string().optional(),
  status: z.number().int().optional(),
  flags: z.number().int().optional(),
  licensetype: z.number().int().optional(),
  modification: z.number().int().optional(),
  accesscode_id: z.number().int().optional(),
  binding: bindingSchema.optional(),
  binding_maxhardwarechangenumber: z.number().int().optional(),
  binding_scheme: z.number().int().optional(),
  hardwarebindingscheme: z.number().int().optional(),
  archived: z.boolean().optional(),
  archivationdate: z.number().int().optional(),
  crmid: z.string().optional(),
  refid: z.string().optional(),
  memoryitems: z.array(memoryItemSchema).optional(),
  /** Sent by GET /v1.0/products (catalog) and by search/license. */
  featuresWithLicenses: z.array(featureSchema).optional(),
});
export type Product = z.infer<typeof productSchema>;

export const dongleSchema = z.object({
  dongleid: z.number().int(),
  model: z.number().int(),
  publiccode: z.number().int(),
  typeflags: z.number().int(),
  netresource: z.number().int(),
  drivertype: z.number().int().optional(),
});
export type Dongle = z.infer<typeof dongleSchema>;

export const lastBurnSchema = z.object({
  _id: z.number().int(),
  action: z.number().int().optional(),
  actiondate: z.number().int(),
  actionresult: z.number().int(),
  activationsconsumed: z.number().int(),
  activationscountcurrent: z.number().int(),
  netlicensesconsumed: z.number().int().optional(),
  netlicensesremains: z.number().int().optional(),
});
export type LastBurn = z.infer<typeof lastBurnSchema>;

export const orderDongleSchema = dongleSchema.extend({ lastburn: lastBurnSchema.optional() });
export type OrderDongle = z.infer<typeof orderDongleSchema>;

export const orderDetailSchema = orderSchema.extend({
  products: z.array(productSchema).optional(),
  /** The order's first keys (at most ORDER_DETAIL_DONGLES), oldest first. */
  dongles: z.array(orderDongleSchema).optional(),
  /** Keybench extension: how many keys the order holds, all of them (`dongles` may list fewer). */
  donglescount: z.number().int().optional(),
});
export type OrderDetail = z.infer<typeof orderDetailSchema>;

export const historyItemSchema = lastBurnSchema.extend({
  customer: customerSchema.optional(),
  dongle: dongleSchema,
  order: orderSchema,
});
export type HistoryItem = z.infer<typeof historyItemSchema>;

export const serialNumberSchema = z.object({
  _id: z.number().int(),
  serialstring: z.string(),
  status: z.number().int(),
  activationcount: z.number().int(),
  activationlimit: z.number().int(),
  licensecontainerversion: z.number().int().optional(),
  dongleid: z.number().int().optional(),
  customer: customerSchema.optional(),
  products: z.array(productSchema).optional(),
  memoryitems: z.array(memoryItemSchema).optional(),
});
export type SerialNumber = z.infer<typeof serialNumberSchema>;

export const multipleDongleResultSchema = dongleSchema.extend({ retcode: z.string() });
export type MultipleDongleResult = z.infer<typeof multipleDongleResultSchema>;

/** Keybench extension: the record of one licence write, as the license manager reports it. */
export const writeResultSchema = lastBurnSchema.extend({
  dongleid: z.number().int(),
  order_id: z.number().int(),
});
export type WriteResult = z.infer<typeof writeResultSchema>;

export const errorEnvelopeSchema = z.object({
  status: z.object({
    code: z.number().int(),
    description: z.string(),
    message: z.string(),
    status: z.number().int(),
  }),
  conflictedDongleId: z.number().int().optional(),
  conflictedFeatureNumber: z.number().int().optional(),
  conflictedOrderNumber: z.number().int().optional(),
  conflictedProductNumber: z.number().int().optional(),
});
export type ErrorEnvelope = z.infer<typeof errorEnvelopeSchema>;

/** The envelopes each endpoint answers with, so client and server name them once. */
export const envelopes = {
  orders: z.object({ orders: z.array(orderSchema) }),
  order: z.object({ order: orderDetailSchema }),
  products: z.object({ products: z.array(productSchema) }),
  features: z.object({ features: z.array(featureSchema) }),
  license: z.object({ license: licenseSchema }),
  param: z.object({ param: paramSchema }),
  dongles: z.object({ dongles: z.array(dongleSchema) }),
  orderDongles: z.object({ dongles: z.array(orderDongleSchema) }),
  dongle: z.object({ dongle: dongleSchema }),
  multipleDongles: z.object({ dongles: z.array(multipleDongleResultSchema) }),
  lastBurnInfo: z.object({ lastburninfo: lastBurnSchema }),
  history: z.object({ history: z.array(historyItemSchema) }),
  search: z.object({ serialnumbers: z.array(serialNumberSchema), dongles: z.array(orderDongleSchema) }),
  token: z.object({ token: z.string() }),
  write: z.object({ write: writeResultSchema }),
  /** Keybench extension: GET /v1.0/writes?idempotencyKey=K, oldest first; empty when none. */
  writesByKey: z.object({ writes: z.array(writeResultSchema).max(MAX_WRITES_BY_IDEMPOTENCY_KEY) }),
  /** Keybench extension: GET /v1.0/vendor, the vendor's writing balance. */
  vendor: z.object({
    vendor: z.object({
      /** The vendor's name; a server that does not say it leaves it out. */
      name: z.string().max(200).optional(),
      activations: z.number().int(),
      netlicenses: z.number().int(),
      subscriptionuntil: z.number().int(),
    }),
  }),
  /** DELETE and canadddongle answer the error envelope's shape with code 0. */
  ok: z.object({
    status: z.object({
      code: z.literal(0),
      description: z.string(),
      message: z.string(),
      status: z.number(),
    }),
  }),
} as const;
