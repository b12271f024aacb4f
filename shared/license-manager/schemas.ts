import { z } from 'zod';
import { nonNegativeInt, uint32Like } from '../guardant/numbers';

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
});
export type LmWriteRequest = z.output<typeof lmWriteRequestSchema>;

export const lmWriteResultSchema = z.object({
  /** The ActionResultCode of the attempt. Not narrowed: an unknown code is still a recorded outcome. */
  actionResult: z.number().int(),
  /** The server's record of the attempt (`_id` in the key's history); null when nothing was recorded. */
  burnId: z.number().int().nullable(),
});
export type LmWriteResult = z.output<typeof lmWriteResultSchema>;

export const lmErrorCodeSchema = z.enum([
  'BAD_REQUEST',
  'NOT_FOUND',
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
