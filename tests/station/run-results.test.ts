import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_ORDER_NUMBERS } from '../../server/seed/demo';
import { DongleModel } from '../../shared/guardant/codes';
import { serverJson } from '../support/reference-server';
import { startStationUnderTest, type StationUnderTest } from '../support/station-harness';
import { orderIdOf as orderIdOfNumber, plugKeys, runToEnd } from '../support/station-runs';

/*
 * Results an operator can act on (issue 9, item 11) and hardware Update orders (item 9), through the
 * real station over its WebSocket, a real reference server and real SQLite files: every task keeps
 * where its key was (plug number, USB port, model) and why the pre-flight left it out, and an Update
 * order's run writes the one key it names, without adding it.
 */

// A station of its own for each test: the simulator gives keys their models in turn, so which model a
// test's key has must not depend on how many keys the tests before it plugged.
let s: StationUnderTest;
beforeEach(async () => {
  s = await startStationUnderTest();
});
afterEach(() => s.close());

const server = <T>(method: string, path: string, body?: unknown): Promise<T> =>
  serverJson<T>(s.embedded, method, path, body);
const orderIdOf = (number: number) => orderIdOfNumber(s.api, number);
const plug = (count: number) => plugKeys(s.api, count);
const run = (orderId: number, dongleIds: number[], rewriteConfirmed = false) =>
  runToEnd(s, orderId, dongleIds, rewriteConfirmed);

/** A hardware Update order naming the key, with the products of a Sale order, submitted (binds the key). */
async function updateOrderFor(
  dongleId: number,
  productsOf: number,
): Promise<{ _id: number; number: number }> {
  const { order } = await server<{ order: { _id: number; number: number } }>('POST', '/v1.0/orders', {
    orderType: 1,
    isHardwareLicense: true,
    dongleId,
    orderDescription: 'Update a field kit',
  });
  const source = await server<{ order: { products?: Array<{ _id: number }> } }>(
    'GET',
    `/v1.0/orders/${productsOf}`,
  );
  for (const product of source.order.products ?? [])
    await server('POST', `/v1.0/orders/${order._id}/products/${product._id}`);
  await server('PUT', `/v1.0/orders/${order._id}`, { orderStatus: 1 });
  return order;
}

describe('a run keeps where each key was', () => {
  it("stores every key's plug number, USB port and model, still there after the key is unplugged", async () => {
    const orderId = await orderIdOf(DEMO_ORDER_NUMBERS.bulk500!);
    const ids = await plug(2);
    const bench = new Map((await s.api.invoke('keys:list', {})).map((k) => [k.dongleId, k]));
    await s.api.invoke('bench:simulate', { action: 'fail-next-write', dongleId: ids[1]!, actionResult: 201 });

    const { view } = await run(orderId, ids);
    await s.api.invoke('bench:simulate', { action: 'unplug', dongleIds: ids });
    const reread = await s.api.invoke('runs:get', { runId: view.id });

    for (const id of ids) {
      const task = reread.tasks.find((t) => t.dongleId === id)!;
      const key = bench.get(id)!;
      expect(task).toMatchObject({ plugOrder: key.plugOrder, usbPath: key.usbPath, model: key.model });
      expect(task.usbPath).toMatch(/^\d+-[\d.]+$/);
    }
    expect(reread.tasks.find((t) => t.dongleId === ids[1])).toMatchObject({
      state: 'failed',
      actionResult: 201,
    });
  });

  it("keeps the pre-flight's reason for a key it left out, so a retry can tell it will not succeed", async () => {
    const orderId = await orderIdOf(DEMO_ORDER_NUMBERS.perpetual20!);
    const other = await orderIdOf(DEMO_ORDER_NUMBERS.bulk500!);
    const [key] = await plug(1);
    await run(other, [key!]);

    const { view } = await run(orderId, [key!]);

    expect(view.tasks[0]).toMatchObject({ state: 'skipped', leftOut: 'written-elsewhere' });
    expect(view.tasks[0]!.plugOrder).not.toBeNull();
  });
});

describe('hardware Update orders', () => {
  it('writes the named key directly (no add) and leaves any other key out with the reason', async () => {
    const sale = await orderIdOf(DEMO_ORDER_NUMBERS.perpetual20!);
    // The sale order's products are time-limited: the named key needs a clock to be sold them.
    const [named] = await plugKeys(s.api, 1, DongleModel.CODE_TIME);
    const [stranger] = await plug(1);
    // The server knows a key once it was added somewhere: a key sold before, now updated.
    await run(sale, [named!]);
    const update = await updateOrderFor(named!, sale);

    const { view, seen } = await run(update._id, [named!, stranger!]);

    expect(view.tasks.find((t) => t.dongleId === named)).toMatchObject({ state: 'written', reason: null });
    expect(view.tasks.find((t) => t.dongleId === stranger)).toMatchObject({
      state: 'skipped',
      leftOut: 'not-this-key',
      reason: `Update order ${update.number} is for key ${named} only.`,
    });
    expect(seen.filter((p) => p.dongleId === named).map((p) => p.stage)).not.toContain('adding');
    const history = await server<{ history: Array<{ actionresult: number; order: { _id: number } }> }>(
      'GET',
      `/v1.0/getdonglehistory/${named}?limit=1000`,
    );
    expect(history.history.filter((h) => h.order._id === update._id && h.actionresult === 0)).toHaveLength(1);
  });

  it('refuses to write a Draft Update order, in words', async () => {
    const [key] = await plug(1);
    await run(await orderIdOf(DEMO_ORDER_NUMBERS.perpetual20!), [key!]);
    const { order } = await server<{ order: { _id: number; number: number } }>('POST', '/v1.0/orders', {
      orderType: 1,
      isHardwareLicense: true,
      dongleId: key,
    });
    await expect(s.api.invoke('licenses:write', { orderId: order._id, dongleIds: [key!] })).rejects.toThrow(
      /Draft; submit it on the server/,
    );
  });
});

describe('the simulator puts a key back', () => {
  it('replugs an unplugged key with a new plug number, and refuses a key it never made', async () => {
    const [key] = await plug(1);
    const first = (await s.api.invoke('keys:list', {})).find((k) => k.dongleId === key)!;
    await s.api.invoke('bench:simulate', { action: 'unplug', dongleIds: [key!] });
    const keys = await s.api.invoke('bench:simulate', { action: 'replug', dongleIds: [key!] });
    const again = keys.find((k) => k.dongleId === key)!;
    expect(again.plugOrder).toBeGreaterThan(first.plugOrder);
    await expect(s.api.invoke('bench:simulate', { action: 'replug', dongleIds: [12345] })).rejects.toThrow(
      /never on this bench/,
    );
  });
});
