import { z } from 'zod';
import { BOUNDS, INT32_MAX } from './bounds';

/**
 * Key identities travel as 32-bit integers, printed signed by some Guardant tools (-1359759134)
 * and unsigned by others (2935208162). Keybench keeps one form, unsigned, everywhere.
 */
export function toUint32(value: number): number {
  return value >>> 0;
}

/** How a key id is written as text: decimal, signed or unsigned, at most 10 digits. */
export const KEY_ID_DECIMAL = /^-?\d{1,10}$/;

/** A whole number within the 32-bit key-id bounds, in either form. */
export function isKeyId(value: number): boolean {
  return Number.isInteger(value) && value >= BOUNDS.keyId.min && value <= BOUNDS.keyId.max;
}

/**
 * A key id typed, scanned or passed as text, signed or unsigned, in the form Keybench keeps (unsigned);
 * null when the text is not one. The server's search, its CLI and the renderer's key picker all read
 * key ids through this, so the three agree on what a key id is.
 */
export function parseKeyId(text: string): number | null {
  if (!KEY_ID_DECIMAL.test(text)) return null;
  const value = Number(text);
  return isKeyId(value) ? toUint32(value) : null;
}

export const uint32Like = z
  .number({ error: 'must be a number' })
  .int('must be a whole number')
  .min(BOUNDS.keyId.min, 'must fit in 32 bits')
  .max(BOUNDS.keyId.max, 'must fit in 32 bits')
  .transform(toUint32);

export const unixSeconds = z
  .number({ error: 'must be Unix seconds' })
  .int('must be whole seconds')
  .min(BOUNDS.unixSeconds.min, 'must not be negative')
  .max(BOUNDS.unixSeconds.max, 'must be a date before year 10000');

export const nonNegativeInt = (max = INT32_MAX) =>
  z
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(0, 'must not be negative')
    .max(max);

/** A path or query parameter that must be a decimal integer, signed where a key id may be. */
export const decimalString = z
  .string()
  .regex(/^-?\d{1,12}$/, 'must be a decimal integer')
  .transform(Number);
