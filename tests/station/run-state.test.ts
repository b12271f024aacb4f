import { afterEach, describe, expect, it, vi } from 'vitest';
import { KeyRecords } from '../../electron/core/keys/key-records';
import type { Outbox } from '../../electron/core/outbox/outbox';
import { ItemOutcomes } from '../../electron/core/runs/item-outcomes';
import { pruneExpired } from '../../electron/core/runs/retention';
import { RunStore } from '../../electron/core/runs/run-store';
import { Runs } from '../../electron/core/runs/runs';
import { WriteVerifier, type WriteVerifierPorts } from '../../electron/core/runs/write-verifier';
import { ShiftLog } from '../../electron/core/shift-log/shift-log';
import type { KeyIdentity, OutboxItem, WriteProgress } from '../../shared/station/models';
import { isOpen } from '../../shared/station/outbox-statuses';
import { StationFiles } from './outbox-fixture';

const ORDER = 7;
/** Write items in either view of the Queue, pending work or history. */
const writeItems = (outbox: Outbox) =>
  [...outbox.list({ view: 'work' }).items, ...outbox.list({ view: 'history' }).items].filter(
    (i) => i.kind === 'write-license',
  );
const identity = (dongleId: number): KeyIdentity => ({
  dongleId,
  model: 2,
  publicCode: 1,
  typeFlags: 0,
  netResource: 0,
});

let files: StationFiles[] = [];
afterEach(() => {
  for (const f of files) f.dispose();
  files = [];
});

/** The run machinery over a real station database, with the outbox worker played by the test. */
function bench(
  plugged: (id: number) => boolean = () => true,
  verify: WriteVerifierPorts['verify'] = async ({ dongleId, orderId }) => ({
    outcome: 'ok',
    dongleId,
    orderId,
    digest: 'same',
  }),
) {
  const f = new StationFiles();
  files.push(f);
  // The outbox keeps its own clock (Date.now); the runs' clock starts there so retention sees one time.
  const clock = Date.now();
  const now = () => clock;
  const build = () => {
    const store = new RunStore(f.db, now);
    const keyRecords = new KeyRecords(f.db, now);
    const shiftLog = new ShiftLog(f.db, now);
    const progress: WriteProgress[] = [];
    // Every read-back matches the order here; verification's own verdicts are tested with the station.
    const verifier = new WriteVerifier({
      store,
      keyRecords,
      shiftLog,
      verify,
      backoff: { baseMs: 1, maxMs: 5 },
      maxAttempts: 3,
      concurrency: () => 2,
      progress: (e) => progress.push(e),
      keysChanged: () => undefined,
      log: () => undefined,
    });
    const outcomes = new ItemOutcomes({
      verify: (task) => verifier.schedule(task),
      store,
      outbox: f.outbox,
      keyRecords,
      shiftLog,
      progress: (e) => progress.push(e),
      lastBurn: async () => null,
      present: plugged,
      held: () => undefined,
      keysChanged: () => undefined,
      orderChanged: () => undefined,
      log: () => undefined,
    });
    const runs = new Runs({
      store,
      outbox: f.outbox,
      outcomes,
      shiftLog,
      identity: (id) => (plugged(id) ? identity(id) : null),
      place: (id) => (plugged(id) ? { plugOrder: 1, usbPath: null, model: 0 } : null),
      progress: (e) => progress.push(e),
      keysChanged: () => undefined,
    });
    return { store, keyRecords, shiftLog, outcomes, runs, progress, verifier };
  };
  let parts = build();
  /** Settles an item as the worker would, then hands it to the outcomes (unless a "crash" cuts it off). */
  const settle = (id: number, change: Partial<OutboxItem>, apply = true): OutboxItem => {
    const item = f.outbox.queued(id)!;
    f.outbox.transition(item, [item.status], {
      status: change.status ?? 'done',
      result: change.result
        ? new Map(Object.entries(change.result).map(([dongleId, code]) => [Number(dongleId), code]))
        : null,
      lastError: change.lastError ?? null,
    });
    const settled = f.outbox.get(id)!;
    if (apply) parts.outcomes.apply(settled);
    return settled;
  };
  const open = (outbox: Outbox) => outbox.list().items.filter((i) => isOpen(i.status));
  return {
    f,
    get parts() {
      return parts;
    },
    settle,
    open: () => open(f.outbox),
    restart() {
      parts.verifier.stop();
      f.reopen();
      parts = build();
      parts.runs.resume();
      parts.verifier.resume();
    },
  };
}

describe('a run', () => {
  it('adds its plugged keys in one batch and skips, with the reason, keys that are not plugged', () => {
    const b = bench((id) => id !== 3);
    const runId = b.parts.runs.start(ORDER, [1, 2, 3, 2]);
    const view = b.parts.runs.view(runId)!;
    expect(view.tasks.map((t) => [t.dongleId, t.state])).toEqual([
      [3, 'skipped'],
      [1, 'adding'],
      [2, 'adding'],
    ]);
    expect(view.tasks[0]!.reason).toMatch(/not plugged/);
    const items = b.open();
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ kind: 'add-keys', keyCount: 2 });
    expect(view.counts).toMatchObject({ total: 3, done: 1, skipped: 1 });
    expect(b.parts.progress.every((p) => p.jobId === String(runId))).toBe(true);
  });

  it('batches more than a thousand keys into calls of at most a thousand', () => {
    const b = bench();
    b.parts.runs.start(
      ORDER,
      Array.from({ length: 1001 }, (_, i) => i + 1),
    );
    expect(b.open().map((i) => i.keyCount)).toEqual([1000, 1]);
  });

  it('queues each added key its own write, fails refused keys with the code, and finishes when all are final', async () => {
    const b = bench();
    const runId = b.parts.runs.start(ORDER, [1, 2]);
    const [add] = b.open();
    b.settle(add!.id, { result: { 1: 0, 2: 10172 } });
    let view = b.parts.runs.view(runId)!;
    expect(view.tasks.find((t) => t.dongleId === 2)).toMatchObject({ state: 'failed', apiCode: 10172 });
    const writes = b.open();
    expect(writes).toHaveLength(1);
    expect(writes[0]).toMatchObject({ kind: 'write-license', lane: 'dongle:1' });
    expect(view.tasks.find((t) => t.dongleId === 1)!.state).toBe('writing');
    expect(view.status).toBe('running');

    b.settle(writes[0]!.id, { result: { 1: 0 } });
    expect(b.parts.runs.view(runId)!.tasks.find((t) => t.dongleId === 1)!.state).toBe('verifying');
    await vi.waitFor(() => expect(b.parts.runs.view(runId)!.status).toBe('finished'));
    view = b.parts.runs.view(runId)!;
    expect(view.tasks.find((t) => t.dongleId === 1)).toMatchObject({ state: 'written', actionResult: 0 });
    expect(view).toMatchObject({ status: 'finished', counts: { written: 1, failed: 1, done: 2 } });
    expect(b.parts.keyRecords.getMany([1, 2]).get(1)).toMatchObject({ state: 'written', orderId: ORDER });

    // Applying the same outcome again (a replay after a crash) moves no task.
    const before = b.parts.runs.view(runId)!;
    b.parts.outcomes.apply(b.f.outbox.get(writes[0]!.id)!);
    b.parts.outcomes.apply(b.f.outbox.get(add!.id)!);
    expect(b.parts.runs.view(runId)!.tasks).toEqual(before.tasks);
    expect(b.open()).toHaveLength(0);
  });

  it('fails a task whose write failed with the meaning of its ActionResult, and cancels with the item', () => {
    const b = bench();
    const runId = b.parts.runs.start(ORDER, [1, 2]);
    b.settle(b.open()[0]!.id, { result: { 1: 0, 2: 0 } });
    const [w1, w2] = b.open();
    b.settle(w1!.id, { status: 'failed', result: { [String(w1!.lane.split(':')[1])]: 201 } });
    b.settle(w2!.id, { status: 'cancelled' });
    const tasks = b.parts.runs.view(runId)!.tasks;
    expect(tasks.map((t) => t.state).sort()).toEqual(['cancelled', 'failed']);
    expect(tasks.find((t) => t.state === 'failed')).toMatchObject({ actionResult: 201 });
  });

  it('keeps a key out of a second run while the first has not finished with it', () => {
    const b = bench();
    const first = b.parts.runs.start(ORDER, [1]);
    const second = b.parts.runs.start(ORDER, [1, 2]);
    expect(b.parts.runs.view(second)!.tasks.find((t) => t.dongleId === 1)).toMatchObject({
      state: 'skipped',
      reason: `Already being written by run ${first}.`,
    });
  });

  it('applies after a restart the outcome a crash cut off between the item settling and the run', async () => {
    const b = bench();
    const runId = b.parts.runs.start(ORDER, [1, 2]);
    b.settle(b.open()[0]!.id, { result: { 1: 0, 2: 0 } }, false);
    b.restart();
    expect(b.parts.runs.view(runId)!.tasks.map((t) => t.state)).toEqual(['writing', 'writing']);
    for (const w of b.open()) b.settle(w.id, { result: { [w.lane.split(':')[1]!]: 0 } }, false);
    b.restart();
    await vi.waitFor(() =>
      expect(b.parts.runs.view(runId)).toMatchObject({ status: 'finished', counts: { written: 2 } }),
    );
    expect(b.parts.shiftLog.list({ since: 0 }).filter((r) => r.action === 'write')).toHaveLength(2);
  });

  it('is pruned with its settled items after the retention period, and not before', async () => {
    const b = bench();
    const runId = b.parts.runs.start(ORDER, [1]);
    b.settle(b.open()[0]!.id, { result: { 1: 0 } });
    b.settle(b.open()[0]!.id, { result: { 1: 0 } });
    await vi.waitFor(() => expect(b.parts.runs.view(runId)!.status).toBe('finished'));
    expect(pruneExpired(b.f.outbox, b.parts.store, Date.now() + 29 * 86_400_000)).toEqual({
      items: 0,
      runs: 0,
    });
    expect(pruneExpired(b.f.outbox, b.parts.store, Date.now() + 31 * 86_400_000)).toEqual({
      items: 2,
      runs: 1,
    });
    expect(b.parts.runs.view(runId)).toBeNull();
  });
});

describe('verify after write in the run engine', () => {
  const unknown = (dongleId: number, orderId: number) => ({
    outcome: 'unknown' as const,
    dongleId,
    orderId,
    cause: 'license-manager-unreachable' as const,
    reason: 'The license manager did not answer, so the key could not be checked yet (down).',
  });

  it('checks again a write it could not check, and never writes it again', async () => {
    let calls = 0;
    const b = bench(undefined, async ({ dongleId, orderId }) =>
      ++calls < 3 ? unknown(dongleId, orderId) : { outcome: 'ok', dongleId, orderId, digest: 'same' },
    );
    const runId = b.parts.runs.start(ORDER, [1]);
    b.settle(b.open()[0]!.id, { result: { 1: 0 } });
    b.settle(b.open()[0]!.id, { result: { 1: 0 } });
    await vi.waitFor(() => expect(b.parts.runs.view(runId)!.status).toBe('finished'));
    expect(calls).toBe(3);
    expect(b.parts.runs.view(runId)!.tasks[0]).toMatchObject({ state: 'written', reason: null });
    expect(b.open()).toHaveLength(0);
    expect(writeItems(b.f.outbox)).toHaveLength(1);
  });

  it('fails it "Could not be verified" after the cap, still without writing again', async () => {
    const b = bench(undefined, async ({ dongleId, orderId }) => unknown(dongleId, orderId));
    const runId = b.parts.runs.start(ORDER, [1]);
    b.settle(b.open()[0]!.id, { result: { 1: 0 } });
    b.settle(b.open()[0]!.id, { result: { 1: 0 } });
    await vi.waitFor(() => expect(b.parts.runs.view(runId)!.status).toBe('finished'));
    expect(b.parts.runs.view(runId)!.tasks[0]).toMatchObject({
      state: 'failed',
      reason: expect.stringMatching(/^Could not be verified: The license manager did not answer/),
    });
    expect(writeItems(b.f.outbox)).toHaveLength(1);
    expect(b.parts.keyRecords.getMany([1]).get(1)).toMatchObject({ state: 'failed' });
  });
});

describe('verifying the writes of a run', () => {
  it('reads back at most as many keys at once as the write concurrency allows', async () => {
    let reading = 0;
    let most = 0;
    const b = bench(
      () => true,
      async ({ dongleId, orderId }) => {
        most = Math.max(most, ++reading);
        await new Promise((r) => setTimeout(r, 5));
        reading--;
        return { outcome: 'ok', dongleId, orderId, digest: 'same' };
      },
    );
    const keys = [1, 2, 3, 4, 5, 6, 7, 8];
    const runId = b.parts.runs.start(ORDER, keys);
    const [add] = b.open();
    b.settle(add!.id, { result: Object.fromEntries(keys.map((k) => [String(k), 0])) });
    for (const write of b.open()) b.settle(write.id, { result: { [String(write.lane.slice(7))]: 0 } });
    await vi.waitFor(() => expect(b.parts.runs.view(runId)!.status).toBe('finished'));
    expect(b.parts.runs.view(runId)!.counts).toMatchObject({ written: 8 });
    expect(most).toBe(2);
  });
});
