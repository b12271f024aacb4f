import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DongleModel } from '../../shared/guardant/codes';
import type { Preflight } from '../../shared/station/models';
import { DEMO_ORDER_NUMBERS, DEMO_PUBLIC_CODE } from '../../server/seed/demo';
import { GuardantClient } from '../../electron/core/api/guardant-client';
import { clientPorts, PreflightChecker } from '../../electron/core/preflight/preflight';
import { startStationUnderTest, type StationUnderTest } from '../support/station-harness';

/*
 * Pre-flight of a run against the reference server: capacity of the order, keys already in it, keys
 * already written for another customer's order, and the vendor's balance. Every order is made fresh
 * per test, so no test depends on another.
 */

let s: StationUnderTest;
beforeAll(async () => {
  s = await startStationUnderTest();
});
afterAll(() => s.close());

async function server(method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${s.embedded.serverUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${s.embedded.token}`,
      ...(body !== undefined && { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json();
  expect(res.status, JSON.stringify(json)).toBe(200);
  return json;
}

/** A fresh Submitted hardware Sale order, with no products: any key model fits. */
async function order(quantity: number, customerId?: number): Promise<{ _id: number; number: number }> {
  const body = { orderType: 0, isHardwareLicense: true, orderQuantity: quantity, orderStatus: 1 };
  const { order } = await server('POST', '/v1.0/orders', { ...body, ...(customerId && { customerId }) });
  return order;
}

async function plug(count: number, model: DongleModel = DongleModel.SIGN): Promise<number[]> {
  const before = new Set((await s.api.invoke('keys:list', {})).map((k) => k.dongleId));
  const keys = await s.api.invoke('bench:simulate', { action: 'plug', count, model });
  return keys.filter((k) => !before.has(k.dongleId)).map((k) => k.dongleId);
}

async function putIntoOrder(orderId: number, dongleIds: number[]): Promise<void> {
  const dongles = dongleIds.map((dongleId) => ({
    dongleId,
    dongleModel: DongleModel.SIGN,
    publicCode: DEMO_PUBLIC_CODE,
    typeFlags: 0,
    netResource: 0,
  }));
  const { dongles: result } = await server('POST', `/v1.0/orders/${orderId}/multipledongles`, { dongles });
  expect(result.map((d: { retcode: string }) => d.retcode)).toEqual(dongleIds.map(() => '0'));
}

async function writeInto(orderId: number, dongleId: number): Promise<void> {
  const done = s.next('write:progress', (p) => p.dongleId === dongleId && p.stage === 'done');
  await s.api.invoke('licenses:write', { orderId, dongleIds: [dongleId] });
  await done;
}

const verdictOf = (preflight: Preflight, dongleId: number) =>
  preflight.keys.find((k) => k.dongleId === dongleId)!;

describe('pre-flight capacity', () => {
  it('takes only as many keys as the order has places left, in plug order, and says what it left out', async () => {
    const target = await order(5);
    const already = await plug(2);
    await putIntoOrder(target._id, already);
    const keys = await plug(4);

    const preflight = await s.api.invoke('keys:precheck', { orderId: target._id, dongleIds: keys });

    expect(preflight).toMatchObject({ quantity: 5, keysInOrder: 2, placesLeft: 3 });
    expect(preflight.selected).toEqual(keys.slice(0, 3));
    expect(verdictOf(preflight, keys[3]!)).toMatchObject({ decision: 'left-out', leftOut: 'order-full' });
    expect(preflight.summary).toBe('3 places left: 3 of 4 keys will be added; 1 left out: order full');
  });

  it('says keys already in the order are there, takes no place for them, and writes them without adding', async () => {
    const target = await order(3);
    const [inside] = await plug(1);
    await putIntoOrder(target._id, [inside!]);
    const fresh = await plug(3);
    const dongleIds = [inside!, ...fresh];

    const add = await s.api.invoke('keys:precheck', { orderId: target._id, dongleIds });
    expect(verdictOf(add, inside!)).toMatchObject({
      decision: 'in-order',
      inThisOrder: true,
      message: 'Already in this order: nothing to add.',
    });
    expect(add.keys.filter((k) => k.message === 'Can be added.').map((k) => k.dongleId)).toEqual(
      fresh.slice(0, 2),
    );
    expect(add.selected).toEqual(fresh.slice(0, 2));
    expect(add.summary).toBe(
      '2 places left: 2 of 4 keys will be added; 1 already in the order; 1 left out: order full',
    );

    const write = await s.api.invoke('keys:precheck', { orderId: target._id, dongleIds, purpose: 'write' });
    expect(write.selected).toEqual([inside!, ...fresh.slice(0, 2)]);
    expect(write.summary).toBe(
      '2 places left: 3 of 4 keys will be written (2 added first, 1 already in the order); 1 left out: order full',
    );
  });

  it('leaves out what the server refuses, with its reason in words, before counting places', async () => {
    // A time-limited demo order needs a clock key: a Sign key has none.
    const number = DEMO_ORDER_NUMBERS.timeLimited50!;
    const page = await s.api.invoke('orders:list', { q: String(number), limit: 100 });
    const timed = page.orders.find((o) => o.number === number)!;
    const [sign] = await plug(1, DongleModel.SIGN);
    const [clock] = await plug(1, DongleModel.TIME);
    const preflight = await s.api.invoke('keys:precheck', { orderId: timed._id, dongleIds: [sign!, clock!] });
    expect(verdictOf(preflight, sign!)).toMatchObject({
      decision: 'left-out',
      leftOut: 'model',
      modelFits: false,
      code: 10172,
      refusal: 'Hardware key does not support time limited features',
    });
    expect(verdictOf(preflight, clock!)).toMatchObject({ decision: 'add', modelFits: true, code: 0 });
  });
});

describe('pre-flight of keys already written', () => {
  it('leaves out a key written for another customer, naming the order and customer, until re-writing is confirmed', async () => {
    const first = await order(5, 1);
    const second = await order(5, 2);
    const [written] = await plug(1);
    const [blank] = await plug(1);
    await writeInto(first._id, written!);

    const preflight = await s.api.invoke('keys:precheck', {
      orderId: second._id,
      dongleIds: [written!, blank!],
      purpose: 'write',
    });
    const verdict = verdictOf(preflight, written!);
    expect(verdict).toMatchObject({
      decision: 'left-out',
      leftOut: 'written-elsewhere',
      otherOrders: [
        { orderId: first._id, number: first.number, customer: 'Northwind Instruments GmbH', written: true },
      ],
    });
    expect(verdict.message).toBe(
      `Already written for order ${first.number} · Northwind Instruments GmbH; re-writing needs your confirmation.`,
    );
    expect(preflight.selected).toEqual([blank!]);
    expect(preflight.needsRewriteConfirmation).toEqual([written!]);
    expect(preflight.summary).toMatch(/1 left out: written for another order$/);

    const confirmed = await s.api.invoke('keys:precheck', {
      orderId: second._id,
      dongleIds: [written!, blank!],
      purpose: 'write',
      rewriteConfirmed: true,
    });
    expect(confirmed.selected).toEqual([written!, blank!]);
    expect(verdictOf(confirmed, written!).message).toMatch(
      /^Will be re-written: it holds the licence of order/,
    );
  });

  it('notes a key that is in another order but not written there, and still takes it', async () => {
    const other = await order(5, 3);
    const target = await order(5);
    const [key] = await plug(1);
    await putIntoOrder(other._id, [key!]);
    const preflight = await s.api.invoke('keys:precheck', { orderId: target._id, dongleIds: [key!] });
    expect(verdictOf(preflight, key!)).toMatchObject({
      decision: 'add',
      notes: [`Also in order ${other.number} · Meridian Medical Imaging Ltd, not written there.`],
    });
  });

  it("reports the vendor's balance and warns when it will not cover the keys to be written", async () => {
    await server('PUT', '/v1.0/admin/vendor', { activations: 1 });
    try {
      const target = await order(5);
      const keys = await plug(3);
      const preflight = await s.api.invoke('keys:precheck', {
        orderId: target._id,
        dongleIds: keys,
        purpose: 'write',
      });
      expect(preflight.balance).toMatchObject({ activations: 1 });
      expect(preflight.warnings).toEqual([
        "The vendor's balance covers 1 more write; 3 keys would be billed, so the run would stop after 1.",
      ]);
    } finally {
      await server('PUT', '/v1.0/admin/vendor', { activations: 250_000 });
    }
  });
});

describe('pre-flight against a server that does not report the balance', () => {
  it('reads the 10020 of a real Guardant Station as "not reported", not as a failure', async () => {
    const notFound = {
      status: { code: 10020, description: 'No such endpoint', message: 'Not Found', status: 404 },
    };
    const client = new GuardantClient({
      baseUrl: 'http://guardant.invalid',
      credentials: () => ({ token: 't' }),
      fetch: async () =>
        new Response(JSON.stringify(notFound), {
          status: 404,
          headers: { 'content-type': 'application/json' },
        }),
    });
    expect(await client.vendorBalance()).toBeNull();

    const checker = new PreflightChecker({
      ...clientPorts(client),
      order: async () => ({
        _id: 7,
        number: 70,
        type: 0,
        status: 1,
        ishardwarelicense: true,
        date: 0,
        quantity: 1,
      }),
      canAdd: async () => {},
      ordersOfKey: async () => [],
      writesOfKey: async () => [],
    });
    const identity = { model: 2, publicCode: 1, typeFlags: 0, netResource: 0 };
    const preflight = await checker.check({
      orderId: 7,
      keys: [
        { dongleId: 1, ...identity },
        { dongleId: 2, ...identity },
      ],
      purpose: 'write',
      rewriteConfirmed: false,
    });
    expect(preflight).toMatchObject({
      balance: null,
      warnings: [],
      keysInOrder: 0,
      placesLeft: 1,
      selected: [1],
    });
    expect(preflight.summary).toBe(
      '1 place left: 1 of 2 keys will be written (1 added first); 1 left out: order full',
    );
  });
});
