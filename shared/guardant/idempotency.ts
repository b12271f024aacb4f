import { z } from 'zod';

/**
 * A write's idempotency key (Keybench extension, docs/api-decisions.md "Writing licences"): the same
 * on every attempt of one write, different for every other write, on every station sharing a server.
 * The station makes it a UUID; the wire allows any short token of letters, digits and `._:-`, so it
 * can travel in a path or a query string unescaped and never carries text meant for a log or a screen.
 */
export const IDEMPOTENCY_KEY_MAX_LENGTH = 128;

export const idempotencyKeySchema = z
  .string()
  .min(1, 'must not be empty')
  .max(IDEMPOTENCY_KEY_MAX_LENGTH, `must be at most ${IDEMPOTENCY_KEY_MAX_LENGTH} characters`)
  .regex(/^[A-Za-z0-9._:-]+$/, 'must be letters, digits and . _ : - only');
