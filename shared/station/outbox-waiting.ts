/**
 * An outbox item's `lastError` that is not an error: the item waits on purpose (a write with a lost
 * answer that the license manager may still be running). The station writes it with this prefix and
 * the Queue screen shows the words after it as they are, not as a failed attempt.
 */
export const OUTBOX_WAITING_PREFIX = 'Waiting: ';
