import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_ORDER_NUMBERS } from '../../server/seed/demo';
import { keyHistory } from '../support/reference-server';
import { startStationUnderTest, type StationUnderTest } from '../support/station-harness';
import { failedWriteOfNewKey, orderIdOf as orderIdOfNumber } from '../support/station-runs';

// A station of its own for each test: "the first key on the bench" is this test's key, and the write
// concurrency and slowness a test sets are not the next test's.
let s: StationUnderTest;
beforeEach(async () => {
  s = await startStationUnderTest();
});
afterEach(() => s.close());

const serverHistory = (dongleId: number) => keyHistory(s.embedded, dongleId);
const orderIdOf = (number: number) => orderIdOfNumber(s.api, number);

describe('a failed write retried from the Queue', () => {
  it('leaves the key written, with one shift-log row per outcome under one name', async () => {
    const { dongleId, orderId } = await failedWriteOfNewKey(s, DEMO_ORDER_NUMBERS.bulk500);
    const since = 0;

    const summary = await s.api.invoke('outbox:list', {});
    const write = summary.items.find((i) => i.kind === 'write-license' && i.status === 'failed');
    expect(write).toBeDefined();
    const drained = s.next('outbox:drained');
    await s.api.invoke('outbox:retry', { itemId: write!.id });
    await drained;

    // The bench tells the truth from durable records: the retried write succeeded.
    const bench = await s.api.invoke('keys:list', {});
    expect(bench.find((k) => k.dongleId === dongleId)).toMatchObject({ state: 'written', orderId });

    const rows = async () =>
      (await s.api.invoke('shiftlog:list', { since })).filter(
        (e) => e.dongleId === dongleId && /write/.test(e.action),
      );
    // One failed write, then one successful one (its row comes with its read-back): two rows, one name.
    await expect.poll(async () => (await rows()).map((r) => r.outcome)).toEqual(['failed', 'written']);
    expect(new Set((await rows()).map((r) => r.action)).size).toBe(1);
  });
});

describe('the bench setting of parallel writes', () => {
  it('defaults to 4, keeps a value from 1 to 16 and refuses anything else', async () => {
    expect((await s.api.invoke('settings:get', {})).writeConcurrency).toBe(4);
    expect((await s.api.invoke('settings:set', { writeConcurrency: 8 })).writeConcurrency).toBe(8);
    await expect(s.api.invoke('settings:set', { writeConcurrency: 17 })).rejects.toThrow();
    await expect(s.api.invoke('settings:set', { writeConcurrency: 0 })).rejects.toThrow();
    expect((await s.api.invoke('settings:get', {})).writeConcurrency).toBe(8);
  });
});

describe('a run seen after a page reload', () => {
  it('is listed and read back with every key task as stored', async () => {
    const keys = await s.api.invoke('bench:simulate', { action: 'plug', count: 3 });
    const ids = keys.slice(-3).map((k) => k.dongleId);
    const orderId = await orderIdOf(DEMO_ORDER_NUMBERS.bulk500);
    const drained = s.next('outbox:drained');
    // The outbox drains before the last read-back ends the run: wait for both.
    const finished = s.next('write:progress', (p) => p.orderId === orderId && p.done === p.total);
    const { runId, jobId } = await s.api.invoke('licenses:write', { orderId, dongleIds: ids });
    expect(jobId).toBe(String(runId));
    await drained;
    await finished;
    // A fresh connection stands for the reloaded page.
    const page = await s.connect();
    expect((await page.invoke('runs:list', {}))[0]).toMatchObject({ id: runId, status: 'finished' });
    const run = await page.invoke('runs:get', { runId });
    expect(run.counts).toMatchObject({ total: 3, written: 3, done: 3 });
    expect(run.tasks.map((t) => t.state)).toEqual(['written', 'written', 'written']);
  });
});

describe('a run write cancelled from the Queue', () => {
  it('ends that key as cancelled and lets the run finish', async () => {
    // One burn at a time, each slow: the second key's write waits in the queue while the first burns.
    await s.api.invoke('settings:set', { writeConcurrency: 1 });
    await s.api.invoke('bench:simulate', { action: 'slow', delayMs: 600 });
    const keys = (await s.api.invoke('bench:simulate', { action: 'plug', count: 2 })).slice(-2);
    const [first, second] = keys.map((k) => k.dongleId) as [number, number];
    const orderId = await orderIdOf(DEMO_ORDER_NUMBERS.bulk500);
    const writing = s.next('write:progress', (p) => p.dongleId === second && p.stage === 'writing');
    const { runId } = await s.api.invoke('licenses:write', { orderId, dongleIds: [first, second] });
    await writing;
    const write = (await s.api.invoke('outbox:list', {})).items.find(
      (i) => i.kind === 'write-license' && i.lane === `dongle:${second}`,
    )!;
    const finished = s.next('write:progress', (p) => p.dongleId === first && p.stage === 'done');
    expect(await s.api.invoke('outbox:cancel', { itemId: write.id })).toMatchObject({ status: 'cancelled' });
    await finished;
    await s.api.invoke('bench:simulate', { action: 'slow', delayMs: 0 });
    const run = await s.api.invoke('runs:get', { runId });
    expect(run).toMatchObject({ status: 'finished', counts: { written: 1, cancelled: 1 } });
    expect((await serverHistory(second)).length).toBe(0);
  });
});

describe("a run's add refused for the order's status, resumed after the cause is fixed", () => {
  it('pauses instead of failing each key, and goes on to write the keys it then adds', async () => {
    await s.api.invoke('settings:set', { writeConcurrency: 4 });
    const keys = (await s.api.invoke('bench:simulate', { action: 'plug', count: 2 })).slice(-2);
    const dongleIds = keys.map((k) => k.dongleId);
    // A draft order refuses keys: the add is refused as a whole, and the run pauses on it.
    const orderId = await orderIdOf(DEMO_ORDER_NUMBERS.hardwareDraft);
    const refused = s.next('write:progress', (p) => p.dongleId === dongleIds[1] && p.stage === 'failed');
    // Online, the run's pre-flight would leave both keys out of a draft order. Started while the server
    // cannot be reached, the run takes them all and the server judges the add once it is back.
    const serverUrl = s.embedded.serverUrl;
    await s.api.invoke('settings:set', { serverUrl: 'http://127.0.0.1:9' });
    const { runId } = await s.api.invoke('licenses:write', { orderId, dongleIds });
    await s.api.invoke('settings:set', { serverUrl });
    await refused;
    const paused = await s.api.invoke('runs:get', { runId });
    expect(paused.stopReason).toMatch(/no longer open/);
    expect(paused.counts).toMatchObject({ failed: 0, skipped: 2 });

    const submitted = await fetch(`${s.embedded.serverUrl}/v1.0/orders/${orderId}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${s.embedded.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ orderStatus: 1 }),
    });
    expect(submitted.status).toBe(200);
    const finished = s.next('write:progress', (p) => p.jobId === String(runId) && p.done === p.total);
    await s.api.invoke('runs:resume', { runId });
    await finished;
    // The new add decides per key (the order's product may not fit every simulated key).
    const run = await s.api.invoke('runs:get', { runId });
    const accepted = run.tasks.filter((t) => t.state === 'written').map((t) => t.dongleId);
    expect(accepted.length).toBeGreaterThan(0);
    expect(run).toMatchObject({ status: 'finished', stopReason: null, counts: { written: accepted.length } });
    const bench = await s.api.invoke('keys:list', {});
    for (const id of accepted) expect(bench.find((k) => k.dongleId === id)!.state).toBe('written');
  });
});
