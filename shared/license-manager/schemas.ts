import { z } from 'zod';
import { idempotencyKeySchema } from '../guardant/idempotency';
import { nonNegativeInt, uint32Like, unixSeconds } from '../guardant/numbers';

/**
 * Wire schemas of the local Guardant license manager's HTTP API (docs/license-manager-api.md).
 * The station's client and the simulated bench's license manager both read them from here, so the
 * two sides cannot drift apart.
 */

/** One key the license manager has opened and read. */
export const lmDongleSchema = z.object({
  // Ids may come signed or unsigned (the tools disagree); the station keeps them unsigned.
  dongleId: uint32Like,
  // Not narrowed to the known models: a newer model must not make the whole list unreadable.
  dongleModel: nonNegativeInt(),
  publicCode: uint32Like,
  typeFlags: uint32Like,
  netResource: nonNegativeInt(),
  driverType: nonNegativeInt(),
  /** The USB port path ("1-2.3"), the join key with USB presence; null where the platform hides it. */
  usbPath: z.string().nullable(),
  /** The USB serial number string, the fallback join key when no port path is known. */
  serialNumber: z.string().nullable().optional(),
});
export type LmDongle = z.output<typeof lmDongleSchema>;
export type LmDongleWire = z.input<typeof lmDongleSchema>;

export const lmDongleListSchema = z.object({ dongles: z.array(lmDongleSchema) });
export type LmDongleList = z.output<typeof lmDongleListSchema>;

/** POST /v1.0/lm/dongles/{dongleId}/write */
export const lmWriteRequestSchema = z.strictObject({
  orderId: z
    .number()
    .int()
    .positive()
    .max(2 ** 53 - 1),
  /**
   * The same on every attempt of one write: the license manager hands it to the server with the
   * outcome, and joins a second request with the key of a write still under way instead of burning again.
   */
  idempotencyKey: idempotencyKeySchema.optional(),
});
export type LmWriteRequest = z.output<typeof lmWriteRequestSchema>;

export const lmWriteResultSchema = z.object({
  /** The ActionResultCode of the attempt. Not narrowed: an unknown code is still a recorded outcome. */
  actionResult: z.number().int(),
  /** The server's record of the attempt (`_id` in the key's history); null when nothing was recorded. */
  burnId: z.number().int().nullable(),
});
export type LmWriteResult = z.output<typeof lmWriteResultSchema>;

/** One write into a key that the license manager has accepted and not answered yet. */
export const lmWriteUnderWaySchema = z.object({
  orderId: z
    .number()
    .int()
    .positive()
    .max(2 ** 53 - 1),
  /** null: the write was asked for without an idempotency key. */
  idempotencyKey: idempotencyKeySchema.nullable(),
  /** 'waiting': behind another write into the same key; 'burning': being written now. */
  state: z.enum(['waiting', 'burning']),
});
export type LmWriteUnderWay = z.output<typeof lmWriteUnderWaySchema>;

/** GET /v1.0/lm/dongles/{dongleId}/activity: the writes into the key under way; empty when idle. */
export const lmActivitySchema = z.object({
  dongleId: uint32Like,
  writes: z.array(lmWriteUnderWaySchema).max(1000),
});
export type LmActivity = z.output<typeof lmActivitySchema>;

/** The terms of one feature as a key holds them: the order's licence for that feature. */
export const lmLicenceTermsSchema = z.object({
  licensingModel: z.number().int(),
  consumptionMode: z.number().int(),
  flags: z.number().int(),
  isRemote: z.boolean(),
  netLicensesCount: z.number().int(),
  rentBeginDate: z.number().int(),
  rentEndDate: z.number().int(),
  rentDaysCount: z.number().int(),
  runCounter: z.number().int(),
});
export type LmLicenceTerms = z.output<typeof lmLicenceTermsSchema>;

/** A feature in a key, by the vendor's feature number (what the key holds; server ids are not in it). */
export const lmLicenceFeatureSchema = z.object({
  featureNumber: nonNegativeInt(),
  terms: lmLicenceTermsSchema,
});
export type LmLicenceFeature = z.output<typeof lmLicenceFeatureSchema>;

/** A product in a key, by the vendor's product number, with the features burnt for it. */
export const lmLicenceProductSchema = z.object({
  productNumber: nonNegativeInt(),
  features: z.array(lmLicenceFeatureSchema),
});
export type LmLicenceProduct = z.output<typeof lmLicenceProductSchema>;

/** "sha256:" and 64 lower-case hex digits; see docs/license-manager-api.md for what is hashed. */
export const LICENCE_DIGEST_PATTERN = /^sha256:[0-9a-f]{64}$/;

/** The licence a key holds, as the license manager reads it back. */
export const lmLicenceSchema = z.object({
  /** The order whose licence was burnt (its `_id` on the Guardant server) and its number. */
  orderId: z
    .number()
    .int()
    .positive()
    .max(2 ** 53 - 1),
  orderNumber: z.number().int(),
  /** The server's record of the write that burnt it, when the license manager knows it. */
  burnId: z.number().int().nullable(),
  /** When it was burnt, Unix seconds. */
  writtenAt: unixSeconds,
  products: z.array(lmLicenceProductSchema),
  digest: z.string().regex(LICENCE_DIGEST_PATTERN, 'must be "sha256:" and 64 lower-case hex digits'),
});
export type LmLicence = z.output<typeof lmLicenceSchema>;

/** GET /v1.0/lm/dongles/{dongleId}/licence: null when the key holds no licence. */
export const lmReadBackSchema = z.object({
  dongleId: uint32Like,
  licence: lmLicenceSchema.nullable(),
});
export type LmReadBack = z.output<typeof lmReadBackSchema>;

/**
 * The simulated license manager only: how it spoils the next write into a key. The write still
 * reports success; the key then holds nothing ('blank'), what it held before ('previous'), the
 * order's licence without its last feature ('drop-feature'), or with one feature's terms changed
 * ('alter-terms').
 */
export const spoiledWriteSchema = z.enum(['blank', 'previous', 'drop-feature', 'alter-terms']);
export type SpoiledWrite = z.output<typeof spoiledWriteSchema>;

export const lmErrorCodeSchema = z.enum([
  'BAD_REQUEST',
  'NOT_FOUND',
  /** The key is not plugged (or not read yet): nothing can be read from it. */
  'DONGLE_NOT_FOUND',
  /** A write into the key is under way: read it back once the write has answered. */
  'DONGLE_BUSY',
  /** The Guardant server could not be reached: nothing was written; retry later. */
  'SERVER_UNREACHABLE',
  /** The Guardant server refused the write (key not in the order, order not Submitted…). */
  'SERVER_REJECTED',
  /** The Guardant server answered something that is not its API. */
  'SERVER_BAD_RESPONSE',
  'INTERNAL',
]);
export type LmErrorCode = z.output<typeof lmErrorCodeSchema>;

/** Every non-2xx answer of the license manager carries this body. */
export const lmErrorBodySchema = z.object({
  error: z.object({
    code: lmErrorCodeSchema,
    message: z.string(),
    /** The Guardant API code when the server refused (10038, 10030…). */
    apiCode: z.number().int().optional(),
  }),
});
export type LmErrorBody = z.output<typeof lmErrorBodySchema>;
