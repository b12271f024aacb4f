import { describe, expect, it } from 'vitest';
import type { RunTask } from '../../shared/station/models';
import {
  groupOf,
  orderResults,
  pageOf,
  summaryLine,
} from '../../renderer/src/screens/write/results/result-rows';
import {
  formatEta,
  formatRate,
  PACE_MIN_SETTLED,
  runPace,
} from '../../renderer/src/screens/write/results/run-pace';
import {
  retryPlan,
  retryVerdict,
  type RetryContext,
} from '../../renderer/src/screens/write/results/retry-policy';

/*
 * The results list's derived logic (issue 9, item 11), pure: which key comes first, the pace and time
 * left of a run, and which failed keys "Retry failed" takes and why it leaves the others.
 */

let nextId = 1;
const task = (patch: Partial<RunTask>): RunTask => ({
  dongleId: nextId++,
  state: 'written',
  reason: null,
  actionResult: null,
  apiCode: null,
  updatedAt: 0,
  plugOrder: null,
  usbPath: null,
  model: null,
  leftOut: null,
  ...patch,
});

describe('order of the results', () => {
  it('puts failures first, then keys not written, then keys under way, then written ones, each by plug number', () => {
    const tasks = [
      task({ dongleId: 1, state: 'written', plugOrder: 1 }),
      task({ dongleId: 2, state: 'verifying', plugOrder: 2 }),
      task({ dongleId: 3, state: 'failed', plugOrder: 9 }),
      task({ dongleId: 4, state: 'skipped', plugOrder: 3 }),
      task({ dongleId: 5, state: 'failed', plugOrder: 4 }),
      task({ dongleId: 6, state: 'writing', plugOrder: null }),
      task({ dongleId: 7, state: 'adding', plugOrder: 5 }),
    ];
    expect(orderResults(tasks).map((t) => t.dongleId)).toEqual([5, 3, 4, 2, 7, 6, 1]);
    expect(groupOf('cancelled')).toBe('skipped');
    expect(groupOf('waiting-for-server')).toBe('running');
  });

  it('says the end of a run in one line', () => {
    const counts = { total: 500, done: 500, written: 480, failed: 12, skipped: 8, cancelled: 0 };
    expect(summaryLine(counts)).toBe('480 written, 12 failed, 8 not attempted');
    expect(summaryLine({ ...counts, cancelled: 2 })).toBe(
      '480 written, 12 failed, 8 not attempted, 2 cancelled',
    );
  });

  it('pages a long list and clamps a page that no longer exists', () => {
    const rows = Array.from({ length: 1000 }, (_, i) => i);
    expect(pageOf(rows, 1, 100)).toMatchObject({ page: 1, pages: 10 });
    expect(pageOf(rows, 10, 100).rows.at(-1)).toBe(999);
    expect(pageOf(rows.slice(0, 150), 10, 100)).toMatchObject({
      page: 2,
      pages: 2,
      rows: rows.slice(100, 150),
    });
    expect(pageOf([], 3, 100)).toMatchObject({ page: 1, pages: 1, rows: [] });
  });
});

describe('pace and time left', () => {
  const MIN = 60_000;
  const run = (settled: number, left: number, skipped = 0) => ({
    createdAt: 0,
    tasks: [
      ...Array.from({ length: settled }, (_, i) => task({ state: i % 2 ? 'failed' : 'written' })),
      ...Array.from({ length: left }, () => task({ state: 'writing' })),
      ...Array.from({ length: skipped }, () => task({ state: 'skipped' })),
    ],
  });

  it('says nothing until enough keys settled', () => {
    expect(runPace(run(PACE_MIN_SETTLED - 1, 100), 10 * MIN)).toBeNull();
    expect(runPace(run(PACE_MIN_SETTLED, 100), 10 * MIN)).not.toBeNull();
  });

  it('computes keys per hour from settled keys over the time since the start, and the time left', () => {
    // 20 keys in 10 minutes: 120 an hour; 40 left take 20 minutes more.
    const pace = runPace(run(20, 40, 30), 10 * MIN)!;
    expect(pace.keysPerHour).toBeCloseTo(120);
    expect(pace.etaMs).toBeCloseTo(20 * MIN);
    expect(formatRate(pace.keysPerHour)).toBe('120 keys/hour');
    expect(formatEta(pace.etaMs)).toBe('about 20 min left');
  });

  it('slows down as a stalled run waits', () => {
    expect(runPace(run(20, 40), 20 * MIN)!.keysPerHour).toBeCloseTo(60);
  });

  it('words the time left', () => {
    expect(formatEta(0)).toBe('less than a minute left');
    expect(formatEta(80 * MIN)).toBe('about 1 h 20 min left');
    expect(formatEta(120 * MIN)).toBe('about 2 h left');
    expect(formatRate(1240.4)).toBe('1,240 keys/hour');
  });
});

describe('which failed keys are retried', () => {
  const ctx = (patch: Partial<RetryContext> = {}): RetryContext => ({
    plugged: new Set([100]),
    orderRefusal: null,
    stopReason: null,
    ...patch,
  });

  it('retries a failed write of a plugged key, and a read-back mismatch', () => {
    expect(retryVerdict(task({ dongleId: 100, state: 'failed', actionResult: 201 }), ctx())).toEqual({
      retry: true,
    });
    expect(
      retryVerdict(
        task({ dongleId: 100, state: 'failed', actionResult: 0, reason: 'Feature 2 is missing' }),
        ctx(),
      ),
    ).toEqual({ retry: true });
  });

  it('does not retry a key that is not plugged, and says to plug it', () => {
    expect(retryVerdict(task({ dongleId: 101, state: 'skipped', actionResult: 202 }), ctx())).toEqual({
      retry: false,
      why: 'Not plugged in: plug it in to retry it.',
    });
  });

  it('never retries keys that cannot succeed: incompatible, another customer without confirmation, order full or revoked', () => {
    const cases: Array<[Partial<RunTask>, RegExp]> = [
      [{ leftOut: 'incompatible' }, /refuses this key/],
      [{ leftOut: 'model' }, /model cannot carry/],
      [{ apiCode: 10172 }, /model cannot carry/],
      [{ leftOut: 'written-elsewhere' }, /another customer's licence: confirm re-writing/],
      [{ leftOut: 'order-full' }, /no place left/],
      [{ apiCode: 10033, state: 'failed' }, /no place left/],
      [{ apiCode: 10030, state: 'failed' }, /no longer Submitted/],
      [{ actionResult: 2, state: 'failed' }, /balance is used up/],
      [{ leftOut: 'not-this-key' }, /Update order is for another key/],
    ];
    for (const [patch, why] of cases) {
      const verdict = retryVerdict(task({ dongleId: 100, state: 'skipped', ...patch }), ctx());
      expect(verdict, JSON.stringify(patch)).toMatchObject({ retry: false, why: expect.stringMatching(why) });
    }
  });

  it('retries nothing of an order that takes no writes now, or of a run stopped by the vendor balance', () => {
    const failed = task({ dongleId: 100, state: 'failed', actionResult: 201 });
    expect(retryVerdict(failed, ctx({ orderRefusal: 'Order 7 is Revoked.' }))).toEqual({
      retry: false,
      why: 'Order 7 is Revoked.',
    });
    expect(retryVerdict(failed, ctx({ stopReason: 'Balance used up.' }))).toMatchObject({ retry: false });
  });

  it('plans the retry: failures that can succeed, the rest with why; written, running and cancelled keys are no failures', () => {
    const plan = retryPlan(
      [
        task({ dongleId: 100, state: 'failed', actionResult: 201 }),
        task({ dongleId: 101, state: 'failed', actionResult: 201 }),
        task({ dongleId: 102, state: 'written' }),
        task({ dongleId: 103, state: 'writing' }),
        task({ dongleId: 104, state: 'cancelled' }),
      ],
      ctx(),
    );
    expect(plan.retry).toEqual([100]);
    expect(plan.notRetried).toEqual([{ dongleId: 101, why: 'Not plugged in: plug it in to retry it.' }]);
  });
});
