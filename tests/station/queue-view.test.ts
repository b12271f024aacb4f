import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_ORDER_NUMBERS } from '../../server/seed/demo';
import { startStationUnderTest, type StationUnderTest } from '../support/station-harness';
import { failedWriteOfNewKey, orderIdOf as orderIdOfNumber } from '../support/station-runs';
import { keyRange, StationFiles } from './outbox-fixture';

/*
 * The Queue screen's station side (issue 10): pending work and history apart, paged with totals,
 * the keys of each item, bulk retry and cancel, and a retried write that succeeded read as a success.
 */

// A station of its own for each test: the keys, failed writes and settings of one are not the next's.
let s: StationUnderTest;
beforeEach(async () => {
  s = await startStationUnderTest();
});
afterEach(() => s.close());

const files: StationFiles[] = [];
afterEach(() => {
  for (const f of files.splice(0)) f.dispose();
});
function station(): StationFiles {
  const f = new StationFiles();
  files.push(f);
  return f;
}

const orderIdOf = (number: number) => orderIdOfNumber(s.api, number);

describe('a failed write that a later run wrote', () => {
  it('reads as written after retry in the history, never as a cancelled failure', async () => {
    const { dongleId, orderId } = await failedWriteOfNewKey(s, DEMO_ORDER_NUMBERS.bulk500);
    const work = await s.api.invoke('outbox:list', { view: 'work' });
    const failedWrite = work.items.find((i) => i.kind === 'write-license' && i.firstKeys[0] === dongleId);
    expect(failedWrite).toMatchObject({ status: 'failed', failedKeys: 1 });

    // The Write screen's "Retry failed keys" starts a new run for the key: a new write item.
    const done = s.next('write:progress', (p) => p.dongleId === dongleId && p.stage === 'done');
    await s.api.invoke('licenses:write', { orderId, dongleIds: [dongleId] });
    await done;

    const history = await s.api.invoke('outbox:list', { view: 'history' });
    const writes = history.items.filter((i) => i.kind === 'write-license' && i.firstKeys[0] === dongleId);
    const later = writes.find((i) => i.id !== failedWrite!.id)!;
    expect(later).toMatchObject({ status: 'done', failedKeys: 0 });
    // The first write is history now, and its story ends in success: written by the later item.
    expect(writes.find((i) => i.id === failedWrite!.id)).toMatchObject({ supersededBy: later.id });
    const after = await s.api.invoke('outbox:list', { view: 'work' });
    expect(after.items.some((i) => i.id === failedWrite!.id)).toBe(false);
    expect(after.failed).toBe(work.failed - 1);
  });

  it('retried in place from the Queue, reads as done after a retry', async () => {
    const { dongleId } = await failedWriteOfNewKey(s, DEMO_ORDER_NUMBERS.bulk500);
    const write = (await s.api.invoke('outbox:list', {})).items.find(
      (i) => i.kind === 'write-license' && i.firstKeys[0] === dongleId,
    )!;
    const drained = s.next('outbox:drained');
    await s.api.invoke('outbox:retry', { itemId: write.id });
    await drained;
    const history = await s.api.invoke('outbox:list', { view: 'history' });
    expect(history.items.find((i) => i.id === write.id)).toMatchObject({
      status: 'done',
      retries: 1,
      failedKeys: 0,
      supersededBy: null,
    });
  });
});

describe('Cancel all pending', () => {
  it('cancels the pending items up to the one the operator saw, and their run tasks with them', async () => {
    const keys = (await s.api.invoke('bench:simulate', { action: 'plug', count: 3 })).slice(-3);
    const orderId = await orderIdOf(DEMO_ORDER_NUMBERS.bulk500);
    const serverUrl = s.embedded.serverUrl;
    await s.api.invoke('settings:set', { serverUrl: 'http://127.0.0.1:9' });
    try {
      const { runId } = await s.api.invoke('licenses:write', {
        orderId,
        dongleIds: keys.map((k) => k.dongleId),
      });
      const work = await s.api.invoke('outbox:list', { view: 'work' });
      expect(work.pending).toBeGreaterThan(0);
      const seen = Math.max(...work.items.map((i) => i.id));
      // Queued after the operator confirmed: not theirs to cancel.
      const later = await s.api.invoke('keys:addToOrder', { orderId, dongleIds: [keys[0]!.dongleId] });
      const { count } = await s.api.invoke('outbox:cancelAll', { upToId: seen });
      expect(count).toBe(work.pending);
      const after = await s.api.invoke('outbox:list', { view: 'work' });
      expect(after.items.map((i) => i.id)).toEqual([later.id]);
      expect(await s.api.invoke('runs:get', { runId })).toMatchObject({
        status: 'finished',
        counts: { cancelled: 3 },
      });
      await s.api.invoke('outbox:cancel', { itemId: later.id });
    } finally {
      await s.api.invoke('settings:set', { serverUrl });
    }
  });
});

describe('Outbox views', () => {
  it('pages the pending work and the history apart, every item once, with their totals', () => {
    const { outbox } = station();
    const open = Array.from({ length: 230 }, (_, i) => outbox.enqueueRemoveKey(1, 10_000 + i));
    for (const item of open.slice(0, 40)) outbox.cancel(item.id);
    for (const item of open.slice(40, 55)) {
      outbox.transition(outbox.queued(item.id)!, ['pending'], { status: 'failed', lastError: 'x' });
    }
    const counts = { pending: 175, failed: 15, cancelled: 40, done: 0, inFlight: 0, needsReconcile: 0 };

    const work = [0, 100, 200].map((offset) => outbox.list({ view: 'work', offset, limit: 100 }));
    for (const page of work) expect(page).toMatchObject({ ...counts, view: 'work', total: 190 });
    const workIds = work.flatMap((p) => p.items.map((i) => i.id));
    expect(workIds).toEqual(open.slice(40).map((i) => i.id));
    expect(work[2]!.items).toHaveLength(0);

    const history = outbox.list({ view: 'history', offset: 0, limit: 25 });
    const rest = outbox.list({ view: 'history', offset: 25, limit: 25 });
    expect(history).toMatchObject({ total: 40 });
    const historyIds = [...history.items, ...rest.items].map((i) => i.id);
    expect(new Set(historyIds)).toEqual(new Set(open.slice(0, 40).map((i) => i.id)));
    expect(historyIds).toHaveLength(40);
  });

  it('names the first keys of an item and counts the rest', () => {
    const { outbox } = station();
    const add = outbox.enqueueAddKeys(3, keyRange(900_000, 1000));
    const [entry] = outbox.list({ view: 'work' }).items;
    expect(entry).toMatchObject({ id: add.id, keyCount: 1000, firstKeys: [900_000, 900_001, 900_002] });
  });

  it('retries every failed item up to the one the operator saw, and no other', () => {
    const { outbox } = station();
    const items = Array.from({ length: 5 }, (_, i) => outbox.enqueueRemoveKey(1, 20_000 + i));
    for (const item of items) {
      outbox.transition(outbox.queued(item.id)!, ['pending'], {
        status: 'failed',
        attempts: 3,
        lastError: 'x',
      });
    }
    expect(outbox.retryFailed(items[3]!.id)).toBe(4);
    const after = items.map((i) => outbox.get(i.id)!);
    expect(after.map((i) => i.status)).toEqual(['pending', 'pending', 'pending', 'pending', 'failed']);
    expect(after[0]).toMatchObject({ attempts: 0, lastError: null, retries: 1 });
    expect(outbox.list({ view: 'work' })).toMatchObject({ pending: 4, failed: 1 });
  });
});
