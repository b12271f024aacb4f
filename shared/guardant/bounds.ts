import { z } from 'zod';
import { DEFAULT_PAGE_LIMIT, MAX_BATCH_DONGLES, MAX_PAGE_LIMIT } from './codes';

/**
 * The one set of bounds for values that cross Keybench's boundaries: the reference server validates
 * requests with them (wire schemas, path parameters) and the station's IPC contract checks them before
 * a handler runs. Whatever the contract lets through, the server takes as well formed (at worst it is
 * "not found"), so an operator never sees a server refusal, or an outbox item that can only fail, for
 * a value the station should not have sent. See docs/api-decisions.md, "Bounds".
 */
/** The vendor's integers (ids, counters, balances) are signed 32-bit: none is larger than this. */
export const INT32_MAX = 2_147_483_647;

export const BOUNDS = {
  /** `_id`s of orders, products, features, memory items and params: the vendor's 32-bit int, positive. */
  recordId: { min: 1, max: INT32_MAX },
  /** Key ids (and public codes, type flags): 32 bits, written signed or unsigned, kept unsigned. */
  keyId: { min: -2_147_483_648, max: 4_294_967_295 },
  /** Wire dates: Unix seconds, up to 9999-12-31T23:59:59Z. */
  unixSeconds: { min: 0, max: 253_402_300_799 },
  /** Station dates: epoch milliseconds whose (floored) second is still a wire date. */
  epochMs: { min: 0, max: 253_402_300_799_999 },
  pageOffset: { min: 0, max: 2_000_000_000 },
  pageLimit: { min: 1, max: MAX_PAGE_LIMIT, default: DEFAULT_PAGE_LIMIT },
  /** Keys in one batch request (multipledongles, and the station's batch channels). */
  batchKeys: { min: 1, max: MAX_BATCH_DONGLES },
  netResource: { min: 0, max: 65_535 },
  /** POST /v1.0/login: the longest login and password the server reads (the station keeps no longer). */
  login: { min: 1, max: 128 },
  password: { min: 1, max: 1024 },
  /** Keybench extension (demo and training servers): how many writes an injected fault fails. */
  faultCount: { min: 1, max: 1000 },
} as const;

const whole = (min: number, max: number, tooBig = `must be at most ${max}`) =>
  z
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(min, min === 0 ? 'must not be negative' : `must be at least ${min}`)
    .max(max, tooBig);

export const recordId = whole(BOUNDS.recordId.min, BOUNDS.recordId.max);
export const pageOffset = whole(BOUNDS.pageOffset.min, BOUNDS.pageOffset.max);
export const pageLimit = whole(BOUNDS.pageLimit.min, BOUNDS.pageLimit.max);
export const netResource = whole(BOUNDS.netResource.min, BOUNDS.netResource.max);
export const epochMs = whole(BOUNDS.epochMs.min, BOUNDS.epochMs.max, 'must be a date before year 10000');

/** A decimal path parameter within `bounds`, or null: the server's routes say which code that is. */
export function parseBoundedDecimal(
  raw: string | undefined,
  bounds: { min: number; max: number },
): number | null {
  if (raw === undefined || !/^-?\d{1,16}$/.test(raw)) return null;
  const n = Number(raw);
  return Number.isSafeInteger(n) && n >= bounds.min && n <= bounds.max ? n : null;
}
