import type { Outbox } from '../outbox/outbox';
import type { RunStore } from './run-store';

/** How long settled outbox items and finished runs are kept; the shift log keeps the record for good. */
export const DEFAULT_RETENTION_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;

/** Run at start: keeps the station database from growing shift after shift. */
export function pruneExpired(
  outbox: Outbox,
  runs: RunStore,
  now: number,
  retentionDays = DEFAULT_RETENTION_DAYS,
): { items: number; runs: number } {
  const before = now - retentionDays * DAY_MS;
  return runs.transaction(() => ({ runs: runs.pruneFinished(before), items: outbox.pruneSettled(before) }));
}
