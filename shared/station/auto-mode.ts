import { z } from 'zod';

/**
 * Auto mode ("write every key I plug"): with an order armed, each key plugged after auto mode started is
 * pre-flighted for that order and, when it fits, written by itself. Kept in main's memory only, so a
 * restart always finds it off. Its own file so the Write screen and the core read one statement of it.
 */

/**
 * What became of one plugged key:
 * - checking: being pre-flighted; writing: its run is adding or writing it;
 * - written / failed: its run's result; flagged: left alone, `message` says why.
 */
export const autoKeyOutcomeSchema = z.enum(['checking', 'writing', 'written', 'failed', 'flagged']);
export type AutoKeyOutcome = z.infer<typeof autoKeyOutcomeSchema>;

/** One arrival of a key on the bench: re-plugging a key is a new arrival with its own row. */
export const autoKeySchema = z.object({
  /** Arrival number in this session, from 1: the row's identity. */
  seq: z.number().int().positive(),
  dongleId: z.number().int(),
  /** Where the key was plugged (the bench's plug number and USB port path): the operator finds it by these. */
  plugOrder: z.number().int().positive().nullable(),
  usbPath: z.string().nullable(),
  outcome: autoKeyOutcomeSchema,
  /** In the operator's words: the stage, the write's result, or why the key was left alone. */
  message: z.string(),
  /** The run that writes the key (one run per key); null for a key that was not run. */
  runId: z.number().int().nullable(),
  /** Epoch ms: when the key was seen plugged, and when its row last changed. */
  pluggedAt: z.number(),
  updatedAt: z.number(),
});
export type AutoKey = z.infer<typeof autoKeySchema>;

export const autoCountsSchema = z.object({
  written: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  flagged: z.number().int().nonnegative(),
  /** Checking or writing now. */
  inProgress: z.number().int().nonnegative(),
});
export type AutoCounts = z.infer<typeof autoCountsSchema>;

export const autoModeStateSchema = z.object({
  /** Taking newly plugged keys now. */
  on: z.boolean(),
  /** The session's order (the last one's after it ended); null when there was none since the start. */
  orderId: z.number().int().nullable(),
  orderNumber: z.number().int().nullable(),
  customer: z.string().nullable(),
  /** The order's places not yet taken by a key of this session, as last known; null before the first look. */
  placesLeft: z.number().int().nonnegative().nullable(),
  /** Why the last session ended, in words ("Stopped.", "Order 34 is full…"); null while on or never run. */
  ended: z.string().nullable(),
  counts: autoCountsSchema,
  /** The session's arrivals, newest first (at most AUTO_MODE_MAX_ROWS). */
  keys: z.array(autoKeySchema),
});
export type AutoModeState = z.infer<typeof autoModeStateSchema>;

/** Rows kept per session: a long shift's oldest rows drop off; the counts keep counting. */
export const AUTO_MODE_MAX_ROWS = 1000;

export const AUTO_MODE_OFF: AutoModeState = {
  on: false,
  orderId: null,
  orderNumber: null,
  customer: null,
  placesLeft: null,
  ended: null,
  counts: { written: 0, failed: 0, flagged: 0, inProgress: 0 },
  keys: [],
};
