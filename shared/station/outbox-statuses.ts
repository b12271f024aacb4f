import type { OutboxStatus } from './models';

/**
 * The statuses the worker still has to act on; they keep their lane waiting. The order is the one of
 * the partial index `outbox_open_by_lane` (migration 001): SQL built from this list matches it.
 */
export const OPEN_OUTBOX_STATUSES = [
  'pending',
  'in-flight',
  'needs-reconcile',
] as const satisfies readonly OutboxStatus[];

/** Statuses after which an item no longer changes unless someone retries it. */
export const SETTLED_OUTBOX_STATUSES = [
  'done',
  'failed',
  'cancelled',
] as const satisfies readonly OutboxStatus[];

const settled: ReadonlySet<OutboxStatus> = new Set(SETTLED_OUTBOX_STATUSES);

export function isSettled(status: OutboxStatus): boolean {
  return settled.has(status);
}
