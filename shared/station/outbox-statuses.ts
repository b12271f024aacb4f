import type { OutboxCounts, OutboxItem, OutboxStatus, OutboxView } from './models';

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

/**
 * Open statuses the worker may send from once the item's time comes (in flight is already being sent):
 * a pending item is sent, a needs-reconcile one is first looked up in the server's ledger.
 */
export const DUE_OUTBOX_STATUSES = ['pending', 'needs-reconcile'] as const satisfies readonly OutboxStatus[];

/**
 * Statuses Outbox.retry accepts: a failed item goes back to work, a due one is tried now instead of at
 * its next backoff. In flight is being sent; done and cancelled are history.
 */
export const RETRYABLE_OUTBOX_STATUSES = [
  'failed',
  ...DUE_OUTBOX_STATUSES,
] as const satisfies readonly OutboxStatus[];

/**
 * Statuses Outbox.cancel moves to cancelled: anything not done or cancelled already, except an item
 * being sent right now, which cannot be taken back. (A superseded write is already cancelled.)
 */
export const CANCELLABLE_OUTBOX_STATUSES = [
  'pending',
  'failed',
  'needs-reconcile',
] as const satisfies readonly OutboxStatus[];

const isIn =
  (statuses: readonly OutboxStatus[]) =>
  (status: OutboxStatus): boolean =>
    statuses.includes(status);

export const isOpen = isIn(OPEN_OUTBOX_STATUSES);
export const isSettled = isIn(SETTLED_OUTBOX_STATUSES);
export const isDue = isIn(DUE_OUTBOX_STATUSES);
export const isRetryable = isIn(RETRYABLE_OUTBOX_STATUSES);
export const isCancellable = isIn(CANCELLABLE_OUTBOX_STATUSES);

/**
 * Whether to offer Retry for an item. Outbox.retry accepts every retryable status; a due item never
 * tried yet is not offered "try now", since nothing has held it back.
 */
export function canRetry(item: Pick<OutboxItem, 'status' | 'attempts'>): boolean {
  return item.status === 'failed' || (isDue(item.status) && item.attempts > 0);
}

/** Whether Outbox.cancel would cancel the item (rather than refuse it, or find it cancelled already). */
export function canCancel(item: Pick<OutboxItem, 'status'>): boolean {
  return isCancellable(item.status);
}

/** The statuses of each view of the Queue: work still owed to the server, and history. */
export const OUTBOX_VIEW_STATUSES = {
  work: [...OPEN_OUTBOX_STATUSES, 'failed'],
  history: ['done', 'cancelled'],
} as const satisfies Record<OutboxView, readonly OutboxStatus[]>;

/** The field of OutboxCounts that counts each status. */
export const OUTBOX_COUNT_FIELD = {
  pending: 'pending',
  'in-flight': 'inFlight',
  'needs-reconcile': 'needsReconcile',
  done: 'done',
  failed: 'failed',
  cancelled: 'cancelled',
} as const satisfies Record<OutboxStatus, keyof OutboxCounts>;

/** How many items the counts hold in any of the statuses. */
export function countIn(counts: Partial<OutboxCounts>, statuses: readonly OutboxStatus[]): number {
  return statuses.reduce((sum, status) => sum + (counts[OUTBOX_COUNT_FIELD[status]] ?? 0), 0);
}

/** How many items are still open: the work the worker has left before the queue is drained. */
export function openCount(counts: Pick<OutboxCounts, 'pending' | 'inFlight' | 'needsReconcile'>): number {
  return countIn(counts, OPEN_OUTBOX_STATUSES);
}
