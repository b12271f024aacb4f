import { afterEach, describe, expect, it } from 'vitest';
import { sqlList } from '../../electron/core/db/sql-list';
import { Outbox } from '../../electron/core/outbox/outbox';
import { outboxStatusSchema, type OutboxItem, type OutboxStatus } from '../../shared/station/models';
import {
  canCancel,
  canRetry,
  countIn,
  DUE_OUTBOX_STATUSES,
  isDue,
  isRetryable,
  OPEN_OUTBOX_STATUSES,
  openCount,
  OUTBOX_VIEW_STATUSES,
} from '../../shared/station/outbox-statuses';
import { StationFiles } from './outbox-fixture';

/**
 * The outbox's status rules are stated once in shared/station/outbox-statuses.ts (issue 11): the
 * renderer offers Retry and Cancel by them and the outbox refuses by them, so these check that the two
 * readings agree, and that the SQL built from the lists still matches the partial indexes.
 */

const stations: StationFiles[] = [];
function station(): StationFiles {
  const files = new StationFiles();
  stations.push(files);
  return files;
}
afterEach(() => {
  for (const files of stations.splice(0)) files.dispose();
});

/** A fresh item moved straight to `status` with `attempts` (the outbox does not guard transition). */
function itemIn(outbox: Outbox, status: OutboxStatus, attempts: number): OutboxItem {
  const queued = outbox.enqueueRemoveKey(1, 42);
  return outbox.transition(outbox.queued(queued.id)!, ['pending'], { status, attempts })!;
}

/** What the outbox answers: the item as it then is, or the refusal. */
function attempt(action: () => OutboxItem): { item: OutboxItem } | { refused: unknown } {
  try {
    return { item: action() };
  } catch (refused) {
    return { refused };
  }
}

const cases = outboxStatusSchema.options.flatMap((status) =>
  [0, 1].map((attempts) => ({ status, attempts })),
);

describe('the Retry and Cancel buttons and the outbox agree', () => {
  it.each(cases)('retry of a $status item tried $attempts time(s)', ({ status, attempts }) => {
    const { outbox } = station();
    const item = itemIn(outbox, status, attempts);
    const answer = attempt(() => outbox.retry(item.id));
    const accepted = 'item' in answer;
    expect(accepted).toBe(isRetryable(status));
    // Whatever the button offers, the outbox does…
    if (canRetry(item)) expect(accepted).toBe(true);
    // …and the one thing it accepts unoffered is "try now" for a due item that was never tried.
    if (accepted && !canRetry(item))
      expect({ due: isDue(status), attempts }).toEqual({ due: true, attempts: 0 });
  });

  it.each(cases)('cancel of a $status item tried $attempts time(s)', ({ status, attempts }) => {
    const { outbox } = station();
    const item = itemIn(outbox, status, attempts);
    const answer = attempt(() => outbox.cancel(item.id));
    // The button shows exactly where cancel() moves the item to cancelled; an item already cancelled
    // is answered as it is, with nothing left to do.
    const cancels = 'item' in answer && answer.item.status === 'cancelled' && status !== 'cancelled';
    expect(canCancel(item)).toBe(cancels);
    if (status === 'cancelled') expect(answer).toEqual({ item: expect.objectContaining({ status }) });
  });

  it('offers neither for a write superseded by a later one, which the outbox refuses to retry', () => {
    const { outbox } = station();
    const first = outbox.enqueueWriteLicense(7, 42);
    outbox.transition(outbox.queued(first.id)!, ['pending'], { status: 'failed', attempts: 1 });
    const second = outbox.enqueueWriteLicense(7, 42);
    expect(outbox.supersedeFailedWrites(7, 42, second.id)).toBe(1);
    const superseded = outbox.get(first.id)!;
    expect(superseded).toMatchObject({ status: 'cancelled', supersededBy: second.id });
    expect(canRetry(superseded)).toBe(false);
    expect(canCancel(superseded)).toBe(false);
    expect(() => outbox.retry(first.id)).toThrow(/only a failed or waiting item can be retried/);
    expect(outbox.cancel(first.id)).toMatchObject({ status: 'cancelled', supersededBy: second.id });
  });
});

describe('outbox statuses in SQL', () => {
  it('the lists read as the partial indexes of migration 001 spell them', () => {
    const { db } = station();
    const indexSql = (name: string) =>
      (
        db.prepare("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?").get(name) as {
          sql: string;
        }
      ).sql.replace(/\s+/g, ' ');
    // The migrations are history, not rewritten: the generated lists must keep their text…
    expect(indexSql('outbox_open_by_lane')).toContain(`WHERE status IN (${sqlList(OPEN_OUTBOX_STATUSES)})`);
    expect(indexSql('outbox_settled')).toContain(
      `WHERE status IN (${sqlList(OUTBOX_VIEW_STATUSES.history)})`,
    );
    // …or the outbox's INDEXED BY queries have no plan and it cannot even be built.
    expect(() => new Outbox(db)).not.toThrow();
  });

  it('due statuses are open ones, and the work view is every status not yet history', () => {
    for (const status of DUE_OUTBOX_STATUSES) expect(OPEN_OUTBOX_STATUSES).toContain(status);
    expect([...OUTBOX_VIEW_STATUSES.work, ...OUTBOX_VIEW_STATUSES.history].sort()).toEqual(
      [...outboxStatusSchema.options].sort(),
    );
  });

  it('counts a status list from the outbox counts, the same as the outbox does', () => {
    const { outbox } = station();
    itemIn(outbox, 'pending', 0);
    itemIn(outbox, 'in-flight', 1);
    itemIn(outbox, 'needs-reconcile', 1);
    itemIn(outbox, 'failed', 1);
    itemIn(outbox, 'done', 1);
    const counts = outbox.countAll();
    expect(openCount(counts)).toBe(3);
    expect(countIn(counts, OUTBOX_VIEW_STATUSES.work)).toBe(outbox.list({ view: 'work' }).total);
    expect(countIn(counts, OUTBOX_VIEW_STATUSES.history)).toBe(outbox.list({ view: 'history' }).total);
  });
});
