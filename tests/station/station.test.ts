import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DongleModel } from '../../shared/guardant/codes';
import { StationRequestError } from '../../shared/ipc/station-api';
import { isFinalWriteStage, type AttachedKey, type WriteProgress } from '../../shared/station/models';
import { DEMO_ORDER_NUMBERS } from '../../server/seed/demo';
import { startStationUnderTest, type StationUnderTest } from '../support/station-harness';

let s: StationUnderTest;
beforeAll(async () => {
  s = await startStationUnderTest();
});
afterAll(() => s.close());

async function orderIdOf(number: number): Promise<number> {
  const page = await s.api.invoke('orders:list', { q: String(number), limit: 1000 });
  const order = page.orders.find((o) => o.number === number);
  if (!order) throw new Error(`demo order ${number} not found`);
  return order._id;
}

/** Runs a write job to the end and returns each key's final progress event. */
async function writeAll(orderId: number, dongleIds: number[]): Promise<Map<number, WriteProgress>> {
  const finals = new Map<number, WriteProgress>();
  let jobId = '';
  const seen: WriteProgress[] = [];
  const done = new Promise<void>((resolve) => {
    const off = s.api.on('write:progress', (p) => {
      seen.push(p);
      if (!isFinalWriteStage(p.stage)) return;
      finals.set(p.dongleId, p);
      if (finals.size === dongleIds.length) {
        off();
        resolve();
      }
    });
  });
  ({ jobId } = await s.api.invoke('licenses:write', { orderId, dongleIds }));
  await done;
  expect(seen.every((p) => p.jobId === jobId)).toBe(true);
  return finals;
}

/**
 * Plugs fresh keys for one test and resolves once the station shows them: each test works on keys of
 * its own, so none depends on which tests ran before it (vitest --sequence.shuffle.tests checks that).
 */
async function plugKeys(count: number, model?: DongleModel): Promise<AttachedKey[]> {
  const before = new Set((await s.api.invoke('keys:list', {})).map((k) => k.dongleId));
  const fresh = (keys: AttachedKey[]) => keys.filter((k) => !before.has(k.dongleId));
  const arrived = s.next('keys:changed', (keys) => fresh(keys).length >= count);
  await s.api.invoke('bench:simulate', { action: 'plug', count, ...(model !== undefined && { model }) });
  return fresh(await arrived);
}

async function serverHistory(dongleId: number): Promise<any[]> {
  const res = await fetch(`${s.embedded.serverUrl}/v1.0/getdonglehistory/${dongleId}`, {
    headers: { authorization: `Bearer ${s.embedded.token}` },
  });
  return ((await res.json()) as { history: any[] }).history;
}

describe('the bench', () => {
  it('shows plugged keys with their identity, in plug order, as one update', async () => {
    const keys = await plugKeys(6);
    expect(keys).toHaveLength(6);
    const first = keys[0]!.plugOrder;
    expect(keys.map((k) => k.plugOrder)).toEqual([0, 1, 2, 3, 4, 5].map((i) => first + i));
    for (const key of keys) {
      expect(key.state).toBe('new');
      expect(key.usbPath).toMatch(/^\d+-\d+(\.\d+)*$/);
      expect(key.dongleId).toBeGreaterThan(0);
    }
    expect(new Set(keys.map((k) => k.model)).size).toBeGreaterThan(1);
  });

  it('tells a wrong request apart from a refused one', async () => {
    const bad = await s.api.invoke('keys:addToOrder', { orderId: 1, dongleIds: [] }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(StationRequestError);
    expect((bad as StationRequestError).code).toBe('INVALID_REQUEST');
    const unplugged = await s.api
      .invoke('keys:addToOrder', { orderId: 1, dongleIds: [12345] })
      .catch((e: unknown) => e);
    expect((unplugged as StationRequestError).message).toMatch(/not plugged in: 12345/);
  });
});

describe('batch add and write', () => {
  it('pre-checks keys against a time-limited order: only clock keys fit', async () => {
    const orderId = await orderIdOf(DEMO_ORDER_NUMBERS.timeLimited50!);
    const keys = [
      ...(await plugKeys(1, DongleModel.TIME)),
      ...(await plugKeys(1, DongleModel.SIGN)),
      ...(await plugKeys(4)),
    ];
    const { keys: verdicts } = await s.api.invoke('keys:precheck', {
      orderId,
      dongleIds: keys.map((k) => k.dongleId),
    });
    for (const v of verdicts) {
      const key = keys.find((k) => k.dongleId === v.dongleId)!;
      const clock = key.model === DongleModel.TIME || key.model === DongleModel.CODE_TIME;
      expect(v.decision, `${key.dongleId} model ${key.model}`).toBe(clock ? 'add' : 'left-out');
      if (!clock) expect(v.code).toBe(10172);
    }
  });

  it('adds the keys through the outbox and marks them in the order', async () => {
    const orderId = await orderIdOf(DEMO_ORDER_NUMBERS.perpetual20!);
    const keys = await plugKeys(3);
    const drained = s.next('outbox:drained');
    const refreshed = s.next('cache:updated', (p) => p.orderId === orderId);
    const item = await s.api.invoke('keys:addToOrder', { orderId, dongleIds: keys.map((k) => k.dongleId) });
    expect(item.status).toBe('pending');
    await drained;
    // Open views of this order are told to read it again.
    await refreshed;
    const full = await s.api.invoke('outbox:item', { itemId: item.id });
    expect(Object.values(full.result ?? {})).toEqual([0, 0, 0]);
    const after = await s.api.invoke('keys:list', {});
    for (const k of keys)
      expect(after.find((a) => a.dongleId === k.dongleId)).toMatchObject({ state: 'in-order', orderId });
    const detail = await s.api.invoke('orders:get', { orderId });
    const inOrder = new Set(detail.order.dongles!.map((d) => d.dongleid));
    for (const k of keys) expect(inOrder.has(k.dongleId)).toBe(true);
  });

  it('writes licences key by key, once each on the server, and reports each result', async () => {
    const orderId = await orderIdOf(DEMO_ORDER_NUMBERS.perpetual20!);
    const keys = await plugKeys(4);
    const finals = await writeAll(
      orderId,
      keys.map((k) => k.dongleId),
    );
    for (const k of keys) {
      expect(finals.get(k.dongleId)).toMatchObject({ stage: 'done', actionResult: 0, total: 4 });
      const history = await serverHistory(k.dongleId);
      expect(history.filter((h) => h.order._id === orderId && h.actionresult === 0)).toHaveLength(1);
    }
    const after = await s.api.invoke('keys:list', {});
    for (const k of keys) expect(after.find((a) => a.dongleId === k.dongleId)!.state).toBe('written');
  });

  it('explains a failed write with its ActionResultCode and the server record, and a retry succeeds', async () => {
    const orderId = await orderIdOf(DEMO_ORDER_NUMBERS.perpetual20!);
    const [key] = await plugKeys(1);
    const failedBefore = (await s.api.invoke('outbox:list', {})).failed;
    await s.api.invoke('bench:simulate', {
      action: 'fail-next-write',
      dongleId: key!.dongleId,
      actionResult: 201,
    });
    const failed = (await writeAll(orderId, [key!.dongleId])).get(key!.dongleId)!;
    expect(failed).toMatchObject({ stage: 'failed', actionResult: 201 });
    expect(failed.message).toMatch(/Writing into the key failed/);
    expect(failed.lastBurn).toMatchObject({ actionresult: 201 });
    expect((await s.api.invoke('keys:list', {})).find((k) => k.dongleId === key!.dongleId)).toMatchObject({
      state: 'failed',
      lastActionResult: 201,
    });
    expect((await s.api.invoke('outbox:list', {})).failed).toBe(failedBefore + 1);
    const retried = (await writeAll(orderId, [key!.dongleId])).get(key!.dongleId)!;
    expect(retried.stage).toBe('done');
    // The key now holds the licence: its earlier failure no longer counts as queued work.
    const queue = await s.api.invoke('outbox:list', {});
    expect(queue.failed).toBe(failedBefore);
    // It is history, closed by the write that put the licence on the key.
    const history = await s.api.invoke('outbox:list', { view: 'history' });
    expect(history.items.find((i) => i.lastError?.startsWith('superseded'))).toMatchObject({
      status: 'cancelled',
      supersededBy: expect.any(Number),
    });
  });

  it('reports a key pulled out in the middle of its write as waiting for it, without hanging', async () => {
    const orderId = await orderIdOf(DEMO_ORDER_NUMBERS.perpetual20!);
    const [key] = await plugKeys(1);
    await s.api.invoke('bench:simulate', { action: 'slow', delayMs: 400 });
    // 'writing' is reported when the key's turn comes, before its burn begins: wait for the burn itself.
    const lm = s.embedded.bench.licenseManager;
    const burning = new Promise<void>((resolve) => {
      const onBurn = (id: number) => {
        if (id !== key!.dongleId) return;
        lm.events.off('burn-started', onBurn);
        s.embedded.bench.unplug([key!.dongleId]);
        resolve();
      };
      lm.events.on('burn-started', onBurn);
    });
    const waiting = s.next(
      'write:progress',
      (p) => p.dongleId === key!.dongleId && p.stage === 'waiting-for-key',
    );
    const result = writeAll(orderId, [key!.dongleId]);
    await burning;
    // Not a failure: the key's write waits for it, and is written once it is back.
    expect((await waiting).message).toBe(`Unplugged: plug key ${key!.dongleId} back in, any port, to go on.`);
    await s.api.invoke('bench:simulate', { action: 'slow', delayMs: 0 });
    s.embedded.bench.replug([key!.dongleId]);
    const final = (await result).get(key!.dongleId)!;
    expect(final.stage).toBe('done');
  });

  it('reports a key the order refuses with the API code, not as a write result', async () => {
    const orderId = await orderIdOf(DEMO_ORDER_NUMBERS.timeLimited50!);
    const [sign] = await plugKeys(1, DongleModel.SIGN);
    const final = (await writeAll(orderId, [sign!.dongleId])).get(sign!.dongleId)!;
    expect(final).toMatchObject({ stage: 'failed', apiCode: 10172, actionResult: null });
    expect(final.message).toMatch(/time limited/);
  });

  it('records the shift and exports it as CSV', async () => {
    const [key] = await plugKeys(1);
    const orderId = await orderIdOf(DEMO_ORDER_NUMBERS.perpetual20!);
    expect((await writeAll(orderId, [key!.dongleId])).get(key!.dongleId)).toMatchObject({ stage: 'done' });
    const entries = await s.api.invoke('shiftlog:list', {});
    expect(entries.some((e) => e.action === 'write' && e.outcome === 'written')).toBe(true);
    // The columns, BOM, times and rows are tests/station/shift.test.ts's; here: the key is one row.
    const csv = await s.api.invoke('shiftlog:csv', {});
    expect(csv.split('\r\n')[0]).toBe(
      '\ufefftime,station,operator,order number,customer,key id,model,USB port,action,outcome,code,meaning',
    );
    expect(csv.split('\r\n').filter((row) => row.includes(`,${key!.dongleId},`))).toHaveLength(1);
  });
});

describe('the browser-mode host boundary', () => {
  it('refuses a socket without the session token or from another origin', async () => {
    await expect(s.connect({ token: 'guess' })).rejects.toThrow();
    await expect(s.connect({ origin: 'http://evil.example' })).rejects.toThrow();
  });

  it('answers random payloads with typed errors and keeps serving', async () => {
    const junk: Array<[string, unknown]> = [
      ['no:such-channel', {}],
      ['orders:get', { orderId: 'one' }],
      ['orders:get', { orderId: -1 }],
      ['orders:list', { limit: 1e9 }],
      ['keys:precheck', { orderId: 1, dongleIds: 'all' }],
      ['bench:simulate', { action: 'explode' }],
      ['settings:set', { serverUrl: 'javascript:alert(1)' }],
      ['orders:list', null],
      ['orders:list', [1, 2, 3]],
      ['__proto__', {}],
    ];
    for (const [channel, request] of junk) {
      const error = await s.api.invoke(channel as never, request as never).catch((e: unknown) => e);
      expect(error, channel).toBeInstanceOf(StationRequestError);
      expect(['UNKNOWN_CHANNEL', 'INVALID_REQUEST']).toContain((error as StationRequestError).code);
    }
    expect((await s.api.invoke('station:info', {})).benchReady).toBe(true);
  });
});

// Its own station: this test takes the server down for good, which no other test could run after.
describe('offline', () => {
  let own: StationUnderTest;
  beforeAll(async () => {
    own = await startStationUnderTest();
  });
  afterAll(() => own.close());

  it('lists cached orders marked stale when the server is down, and says when nothing is cached', async () => {
    const fresh = await own.api.invoke('orders:list', { limit: 10 });
    expect(fresh.stale).toBe(false);
    const offline = own.next('connection:changed', (c) => c.state === 'offline');
    await own.embedded.server.close();
    // An idle station notices on its own: the heartbeat, not the operator's next click.
    await offline;
    const stale = await own.api.invoke('orders:list', { limit: 10 });
    expect(stale.stale).toBe(true);
    expect(stale.orders.map((o) => o.number)).toEqual(fresh.orders.map((o) => o.number));
    expect(stale.fetchedAt).toBe(fresh.fetchedAt);
    const never = await own.api.invoke('orders:get', { orderId: 999999 }).catch((e: unknown) => e);
    expect((never as StationRequestError).code).toBe('NOT_CACHED');
  });
});

describe('the browser-mode host under a malformed upgrade', () => {
  it('answers 400 and keeps serving', async () => {
    const { connect } = await import('node:net');
    const reply = await new Promise<string>((resolve) => {
      const socket = connect(s.host.port, '127.0.0.1', () => {
        socket.write('GET http://[ HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n');
      });
      let data = '';
      socket.on('data', (chunk) => (data += chunk.toString()));
      socket.on('close', () => resolve(data));
      socket.on('error', () => resolve(data));
    });
    expect(reply).toMatch(/^HTTP\/1\.1 400/);
    expect((await s.api.invoke('station:info', {})).benchReady).toBe(true);
  });
});
