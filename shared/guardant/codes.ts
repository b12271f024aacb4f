/**
 * Error and result codes of the Guardant Station API as Keybench reads them.
 * 10168 and 10172–10174 come from the vendor's reference; the rest are Keybench's choices,
 * documented in docs/api-decisions.md. Both the reference server and the station read this table,
 * so a code means the same thing on either side of the wire.
 */
// Limits of the API: stated before the error table, whose descriptions quote them.
export const MAX_BATCH_DONGLES = 1000;
/** A software Sale order issues its serial numbers when submitted, in one transaction: at most this many. */
export const MAX_SERIAL_NUMBERS = 10_000;
/** GET /v1.0/orders/{id} embeds at most this many keys (donglescount says how many there are). */
export const ORDER_DETAIL_DONGLES = 1000;
export const MAX_PAGE_LIMIT = 1000;
export const DEFAULT_PAGE_LIMIT = 100;
/** A request body larger than this is refused (10012). */
export const MAX_BODY_BYTES = 1024 * 1024;
/** A path parameter longer than this is refused (10017). */
export const MAX_PATH_PARAM_LENGTH = 200;
/** GET /v1.0/writes?idempotencyKey=K lists at most this many writes: a key gets a handful of attempts. */
export const MAX_WRITES_BY_IDEMPOTENCY_KEY = 1000;

export const ApiErrorCode = {
  Unauthorized: 10001,
  BadCredentials: 10002,
  TooManyLoginAttempts: 10003,
  InvalidField: 10010,
  MalformedJson: 10011,
  BodyTooLarge: 10012,
  InvalidQuery: 10013,
  RequestTimeout: 10014,
  HeadersTooLarge: 10015,
  MalformedRequest: 10016,
  PathParamTooLong: 10017,
  RouteNotFound: 10020,
  OrderNotFound: 10021,
  ProductNotFound: 10022,
  FeatureNotFound: 10023,
  DongleNotFound: 10024,
  CustomerNotFound: 10025,
  ParamNotFound: 10026,
  SerialNumberNotFound: 10027,
  NoWriteRecorded: 10028,
  WrongOrderStatus: 10030,
  WrongOrderKind: 10031,
  BatchTooLarge: 10032,
  OrderQuantityReached: 10033,
  LicenseNotModifiable: 10034,
  ParamNotEditable: 10035,
  ParamSizeMismatch: 10036,
  AlreadyInOrder: 10037,
  NotInOrder: 10038,
  FeatureNotExcludable: 10039,
  KeyAlreadyWritten: 10040,
  TooManySerialNumbers: 10041,
  DongleAlreadyInOrder: 10168,
  DongleNoTimeSupport: 10172,
  DongleNoNetworkSupport: 10173,
  DongleNetResourceExceeded: 10174,
  Internal: 10500,
  Unavailable: 10503,
} as const;
export type ApiErrorCode = (typeof ApiErrorCode)[keyof typeof ApiErrorCode];

export interface ApiErrorInfo {
  httpStatus: number;
  description: string;
}

export const apiErrors: Record<ApiErrorCode, ApiErrorInfo> = {
  10001: { httpStatus: 401, description: 'Authorization required: send a valid Bearer token' },
  10002: { httpStatus: 401, description: 'Wrong login or password' },
  10003: { httpStatus: 429, description: 'Too many failed logins; wait before trying again' },
  10010: { httpStatus: 400, description: 'A field of the request is missing or invalid' },
  10011: { httpStatus: 400, description: 'The request body is not valid JSON' },
  10012: {
    httpStatus: 413,
    description: `The request body is larger than ${MAX_BODY_BYTES / (1024 * 1024)} MiB`,
  },
  10013: { httpStatus: 400, description: 'A query parameter is invalid' },
  10014: { httpStatus: 408, description: 'The request did not arrive in time' },
  10015: { httpStatus: 431, description: 'The request headers are too large' },
  10016: { httpStatus: 400, description: 'The HTTP request is malformed' },
  10017: {
    httpStatus: 414,
    description: `A path parameter is too long (at most ${MAX_PATH_PARAM_LENGTH} characters)`,
  },
  10020: { httpStatus: 404, description: 'No such endpoint' },
  10021: { httpStatus: 404, description: 'Order not found' },
  10022: { httpStatus: 404, description: 'Product not found' },
  10023: { httpStatus: 404, description: 'Feature not found' },
  10024: { httpStatus: 404, description: 'Hardware key not found' },
  10025: { httpStatus: 404, description: 'Customer not found' },
  10026: { httpStatus: 404, description: 'Memory parameter not found' },
  10027: { httpStatus: 404, description: 'Serial number not found' },
  10028: { httpStatus: 404, description: 'No licence write is recorded for this key in this order' },
  10030: { httpStatus: 409, description: 'The order status does not allow this operation' },
  10031: { httpStatus: 409, description: 'The order type or licence kind does not allow this operation' },
  10032: {
    httpStatus: 400,
    description: `Too many hardware keys in one request (at most ${MAX_BATCH_DONGLES})`,
  },
  10033: { httpStatus: 409, description: 'The order already holds as many hardware keys as its quantity' },
  10034: { httpStatus: 409, description: 'The licence terms of this feature may not be modified' },
  10035: { httpStatus: 409, description: 'This memory parameter may not be edited' },
  10036: { httpStatus: 400, description: 'The data does not fit the memory parameter size' },
  10037: { httpStatus: 409, description: 'Already in the order' },
  10038: { httpStatus: 404, description: 'Not in the order' },
  10039: { httpStatus: 409, description: 'This feature may not be excluded from the product' },
  10040: {
    httpStatus: 409,
    description: "The key already holds this order's licence and stays in the order",
  },
  10041: {
    httpStatus: 400,
    description: `A software order issues at most ${MAX_SERIAL_NUMBERS} serial numbers (orderQuantity)`,
  },
  10168: { httpStatus: 409, description: 'The hardware key is already in this order' },
  10172: { httpStatus: 400, description: 'Hardware key does not support time limited features' },
  10173: { httpStatus: 400, description: 'Hardware key does not support network features' },
  10174: {
    httpStatus: 400,
    description: 'The number of network licenses in the order exceeds the network resource of the key',
  },
  10500: { httpStatus: 500, description: 'Internal server error' },
  10503: { httpStatus: 503, description: 'The server is busy or shutting down; retry later' },
};

export function isApiErrorCode(code: number): code is ApiErrorCode {
  return Object.prototype.hasOwnProperty.call(apiErrors, code);
}

/** Outcome of writing a licence into a key, from the vendor's `enum ActionResultCode`. */
export const ActionResult = {
  Success: 0,
  VendorHasNoActivationTransactionsAvailable: 2,
  VendorHasNoServiceSubscription: 5,
  PrepareLicenseError: 13,
  NotEnoughMemoryInLicense: 14,
  NoFeatureFound: 15,
  DongleBurnFailed: 201,
  DongleNotFound: 202,
  UnknownError: 666,
} as const;
export type ActionResult = (typeof ActionResult)[keyof typeof ActionResult];
export const actionResultValues = Object.values(ActionResult) as ActionResult[];

/** Plain words for the operator: what happened, and what to do about it. */
export const actionResultMeaning: Record<ActionResult, string> = {
  0: 'Written successfully.',
  2: "The vendor's licence-writing balance is used up. Ask the vendor to top it up, then retry.",
  5: "The vendor's service subscription has expired. Ask the vendor to renew it, then retry.",
  13: 'The server could not prepare the licence. Retry; if it repeats, check the order on the server.',
  14: 'The licence does not fit into the key memory. Use a key model with more memory or trim the order.',
  15: 'A feature in the order has no balance on the server. Ask the vendor to check the feature.',
  201: 'Writing into the key failed. Re-seat the key and retry.',
  202: 'The key disappeared while it was being written. Plug it back in and retry.',
  666: 'Unknown error while writing. Retry; if it repeats, note the key and call support.',
};

/** `retcode` meanings in a `multipledongles` answer, in the operator's words. */
export function retcodeMeaning(retcode: number | string): string {
  if (String(retcode) === '0') return 'Added to the order.';
  const code = Number(retcode);
  if (Number.isInteger(code) && isApiErrorCode(code)) return apiErrors[code].description + '.';
  return `Server answered code ${retcode}.`;
}

export const DongleModel = { UNKNOWN: 0, DL: 1, SIGN: 2, TIME: 3, CODE: 4, CODE_TIME: 5 } as const;
export type DongleModel = (typeof DongleModel)[keyof typeof DongleModel];
export const dongleModelValues = Object.values(DongleModel) as DongleModel[];
export const dongleModelName: Record<number, string> = {
  0: 'Unknown',
  1: 'DL',
  2: 'Sign',
  3: 'Time',
  4: 'Code',
  5: 'Code Time',
};
/** A key's model as people read it; a number the table does not know is shown as such. */
export function modelText(model: number): string {
  return dongleModelName[model] ?? `model ${model}`;
}
/** Models with a real-time clock, the only ones that can hold time-limited licences. */
export const timeCapableModels: readonly number[] = [DongleModel.TIME, DongleModel.CODE_TIME];

/** The reference lists two statuses numbered 2; Keybench reads "Archived" as 3. */
export const OrderStatus = { Draft: 0, Submitted: 1, Revoked: 2, Archived: 3 } as const;
export type OrderStatus = (typeof OrderStatus)[keyof typeof OrderStatus];
export const orderStatusValues = Object.values(OrderStatus) as OrderStatus[];
export const orderStatusName: Record<number, string> = {
  0: 'Draft',
  1: 'Submitted',
  2: 'Revoked',
  3: 'Archived',
};

export const OrderType = { Sale: 0, Update: 1 } as const;
export type OrderType = (typeof OrderType)[keyof typeof OrderType];

/** driverType: 0 Guardant driver, 1 WinUSB (the reference's garbled "W16"; the default), 2 HID. */
export const DriverType = { Guardant: 0, WinUsb: 1, Hid: 2 } as const;
export type DriverType = (typeof DriverType)[keyof typeof DriverType];
export const driverTypeName: Record<number, string> = { 0: 'Guardant', 1: 'WinUSB', 2: 'HID' };
export const driverTypeValues = Object.values(DriverType) as DriverType[];
/** A key's driver type as people read it; a number the table does not know is shown as such. */
export function driverTypeText(type: number): string {
  return driverTypeName[type] ?? `type ${type}`;
}

/** `action` of a history record: Keybench's server records licence writes only. */
export const BurnAction = { Write: 1 } as const;

/**
 * `retcode`s of a `multipledongles` answer after which the key is in the order: added now (0), or it
 * already was (10168). The one statement of this fact; SQL reads it through a generated list.
 */
export const KEY_IN_ORDER_RETCODES: readonly number[] = [0, ApiErrorCode.DongleAlreadyInOrder];

export function isKeyInOrder(retcode: number): boolean {
  return KEY_IN_ORDER_RETCODES.includes(retcode);
}
