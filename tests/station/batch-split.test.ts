import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inBatches } from '../../renderer/src/station/batches';
import { MAX_BATCH_DONGLES } from '../../shared/guardant/codes';
import { invokeChannels } from '../../shared/ipc/contract';
import { startStationUnderTest, type StationUnderTest } from '../support/station-harness';

/*
 * Work over 1,000 keys is split into batches by itself (issue 10): the server takes at most
 * MAX_BATCH_DONGLES keys per multipledongles call, and the contract refuses more in one request
 * ("dongleIds: Too big"). The renderer splits the operator's selection with inBatches; here the same
 * function drives the real station over a real server with 1,001 simulated keys.
 */

describe('inBatches', () => {
  it('cuts 1,001 keys into 1,000 and 1, every key once, in order', () => {
    const ids = Array.from({ length: 1001 }, (_, i) => 5_000_000 + i);
    const batches = inBatches(ids);
    expect(batches.map((b) => b.length)).toEqual([1000, 1]);
    expect(batches.flat()).toEqual(ids);
  });

  it('never makes a batch over the limit, an empty batch or a batch nobody asked for', () => {
    for (const n of [0, 1, 999, 1000, 1001, 1999, 2000, 2001, 4500]) {
      const ids = Array.from({ length: n }, (_, i) => i + 1);
      const batches = inBatches(ids);
      expect(batches).toHaveLength(Math.ceil(n / MAX_BATCH_DONGLES));
      for (const batch of batches) {
        expect(batch.length).toBeGreaterThan(0);
        expect(batch.length).toBeLessThanOrEqual(MAX_BATCH_DONGLES);
      }
      expect(batches.flat()).toEqual(ids);
    }
  });

  it('makes requests the contract accepts, where the whole selection is refused as too big', () => {
    const ids = Array.from({ length: 1001 }, (_, i) => 7_000_000 + i);
    const request = invokeChannels['keys:addToOrder'].request;
    expect(request.safeParse({ orderId: 1, dongleIds: ids }).success).toBe(false);
    for (const dongleIds of inBatches(ids)) expect(request.parse({ orderId: 1, dongleIds })).toBeTruthy();
  });
});

let s: StationUnderTest;
beforeAll(async () => {
  s = await startStationUnderTest();
}, 120_000);
afterAll(() => s.close());

async function server<T = any>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${s.embedded.serverUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${s.embedded.token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(res.status, `${method} ${path}`).toBe(200);
  return (await res.json()) as T;
}

/** A Submitted hardware Sale order for 1,100 keys, with the demo's CadPro product (it fits the keys). */
async function bigOrder(): Promise<number> {
  const { order } = await server('POST', '/v1.0/orders', {
    orderType: 0,
    isHardwareLicense: true,
    orderQuantity: 1100,
  });
  const { products } = await server('GET', '/v1.0/products');
  const cad = products.find((p: { name: string }) => /CadPro Designer/.test(p.name));
  await server('POST', `/v1.0/orders/${order._id}/products/${cad._id}`);
  await server('PUT', `/v1.0/orders/${order._id}`, { orderStatus: 1 });
  return order._id as number;
}

/** Resolves once the outbox has nothing open: subscribe first, then ask whether it already is. */
async function drained(): Promise<void> {
  const event = s.next('outbox:drained');
  const q = await s.api.invoke('outbox:list', { limit: 1 });
  if (q.pending + q.inFlight + q.needsReconcile > 0) await event;
}

/** Runs fn over items, at most `limit` at a time. */
async function eachLimited<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

describe('1,001 keys in one go, through the real station and server', () => {
  it('are added in two batches and written, every key in the order and written once', async () => {
    // Burns as fast as the simulator goes, many at a time: the subject is the split, not burn speed.
    await s.api.invoke('bench:simulate', { action: 'slow', delayMs: 0 });
    await s.api.invoke('settings:set', { writeConcurrency: 16 });
    await s.api.invoke('bench:simulate', { action: 'plug', count: 1000 });
    const keys = await s.api.invoke('bench:simulate', { action: 'plug', count: 1 });
    const ids = keys.map((k) => k.dongleId);
    expect(ids).toHaveLength(1001);
    const orderId = await bigOrder();

    // What the operator used to meet: the whole selection in one request is refused.
    await expect(s.api.invoke('keys:addToOrder', { orderId, dongleIds: ids })).rejects.toThrow(/too big/i);

    // The Add and Write screens pre-check the whole selection at once: a read, not bounded by a batch.
    const precheck = await s.api.invoke('keys:precheck', { orderId, dongleIds: ids, purpose: 'add' });
    expect(precheck.selected).toHaveLength(1001);

    // The Add screen's way: one outbox item per batch.
    const queued = [];
    for (const dongleIds of inBatches(ids)) {
      queued.push(await s.api.invoke('keys:addToOrder', { orderId, dongleIds }));
    }
    expect(queued.map((q) => q.dongleIds.length)).toEqual([1000, 1]);
    await drained();
    for (const item of queued) {
      const done = await s.api.invoke('outbox:item', { itemId: item.id });
      expect(done.status).toBe('done');
      expect(Object.values(done.result!).every((code) => code === 0)).toBe(true);
    }
    // Checked through the server: it lists the first 1,000 and counts them all.
    const detail = (await server('GET', `/v1.0/orders/${orderId}`)).order;
    expect(detail.donglescount).toBe(1001);
    const listed = new Set<number>(detail.dongles.map((d: { dongleid: number }) => d.dongleid >>> 0));
    const unlisted = ids.filter((id) => !listed.has(id));
    expect(unlisted).toHaveLength(1);
    const ofLast = await server('GET', `/v1.0/dongles/${unlisted[0]}/orders`);
    expect(ofLast.orders.map((o: { _id: number }) => o._id)).toEqual([orderId]);

    // The Write screen's way: one run per batch, each started when the last has finished.
    for (const dongleIds of inBatches(ids)) {
      const { runId } = await s.api.invoke('licenses:write', { orderId, dongleIds });
      await expect
        .poll(
          async () => {
            const run = await s.api.invoke('runs:get', { runId });
            return { status: run.status, ...run.counts };
          },
          { timeout: 600_000 },
        )
        .toMatchObject({ status: 'finished', total: dongleIds.length, written: dongleIds.length, failed: 0 });
    }
    await eachLimited(ids, 16, async (id) => {
      const { history } = await server('GET', `/v1.0/getdonglehistory/${id}?limit=100`);
      const written = history.filter(
        (h: { order: { _id: number }; actionresult: number }) =>
          h.order._id === orderId && h.actionresult === 0,
      );
      expect(written, `key ${id} written once`).toHaveLength(1);
    });
  }, 1_500_000);
});
