import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { addCustomer, setVendorAccount } from '../../server/store/catalog-writer';
import { donglesOfOrder } from '../../server/store/dongles-store';
import { injectFailure } from '../../server/store/writes-store';
import { addCatalog, addKeys, expectError, key, saleOrder, type Catalog } from '../support/hardware-orders';
import { startTestServer, type TestServer } from '../support/server-harness';

let t: TestServer;
let catalog: Catalog;
let customerId: number;
let clock = 1_570_191_207;

beforeAll(async () => {
  t = await startTestServer({ now: () => clock });
  catalog = addCatalog(t);
  customerId = addCustomer(t.server.ctx.db, {
    name: 'ice',
    lastname: 'cream',
    companyname: 'baskin&robings',
    email: 'dfgsfg@dfg-df.com',
    phone: '+349534534534',
  });
});
afterAll(() => t.close());
const resetVendor = () =>
  setVendorAccount(t.server.ctx.db, { activations: 300, netlicenses: 1000, subscriptionUntil: 253402300799 });
beforeEach(resetVendor);

const write = (orderId: number, dongleId: number | string, body: object = {}) =>
  t.call('POST', `/v1.0/orders/${orderId}/dongles/${dongleId}/write`, body);
const resultOf = async (orderId: number, dongleId: number, body: object = {}) => {
  const res = await write(orderId, dongleId, body);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.write;
};
const vendor = async () => (await t.call('GET', '/v1.0/admin/vendor')).body.vendor;

/** A Submitted order over the network product (3 net licences) holding the given keys (netresource 3). */
async function networkOrder(...dongleIds: number[]) {
  const order = await saleOrder(t, { customerId, products: [catalog.network] });
  for (const id of dongleIds) {
    const res = await t.call('POST', `/v1.0/orders/${order._id}/dongles`, key(id, { netResource: 3 }));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  }
  return order;
}

describe('writing a licence (extension)', () => {
  it('bills one activation and the net licences once; writing the same order into the key again is free', async () => {
    const order = await networkOrder(101);
    const first = await write(order._id, 101);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({
      write: {
        _id: expect.any(Number),
        action: 1,
        actiondate: clock,
        actionresult: 0,
        activationsconsumed: 1,
        activationscountcurrent: 299,
        netlicensesconsumed: 3,
        netlicensesremains: 997,
        dongleid: 101,
        order_id: order._id,
      },
    });
    const again = await resultOf(order._id, 101);
    expect(again).toMatchObject({
      actionresult: 0,
      activationsconsumed: 0,
      activationscountcurrent: 299,
      netlicensesconsumed: 0,
      netlicensesremains: 997,
    });
    expect(again._id).toBeGreaterThan(first.body.write._id);
    expect(await vendor()).toEqual({ activations: 299, netlicenses: 997, subscriptionuntil: 253402300799 });
    // another order into the same key is another sale
    const second = await networkOrder(101);
    expect(await resultOf(second._id, 101)).toMatchObject({
      activationsconsumed: 1,
      activationscountcurrent: 298,
    });
  });

  it('records 2 without billing when the balance is used up, and rewrites a paid order even then', async () => {
    const order = await networkOrder(111, 112);
    expect((await resultOf(order._id, 111)).actionresult).toBe(0);
    setVendorAccount(t.server.ctx.db, { activations: 0 });
    expect(await resultOf(order._id, 112)).toMatchObject({
      actionresult: 2,
      activationsconsumed: 0,
      activationscountcurrent: 0,
      netlicensesconsumed: 0,
    });
    // the licence key 111 already paid for can be written again
    expect(await resultOf(order._id, 111)).toMatchObject({ actionresult: 0, activationsconsumed: 0 });
    const history = await t.call('GET', '/v1.0/getdonglehistory/112');
    expect(history.body.history.map((h: any) => h.actionresult)).toEqual([2]);
    // topped up through the admin endpoint, the retry succeeds
    const topUp = await t.call('PUT', '/v1.0/admin/vendor', { activations: 5 });
    expect(topUp.body.vendor).toMatchObject({ activations: 5, netlicenses: 997 });
    expect(await resultOf(order._id, 112)).toMatchObject({ actionresult: 0, activationscountcurrent: 4 });
  });

  it('records 2 when the order needs more network licences than the vendor has left', async () => {
    const order = await networkOrder(121);
    setVendorAccount(t.server.ctx.db, { netlicenses: 2 });
    expect(await resultOf(order._id, 121)).toMatchObject({
      actionresult: 2,
      activationsconsumed: 0,
      activationscountcurrent: 300,
      netlicensesremains: 2,
    });
    expect(await vendor()).toMatchObject({ activations: 300, netlicenses: 2 });
  });

  it('records 5 when the subscription has expired, before looking at the balance', async () => {
    const order = await networkOrder(131);
    setVendorAccount(t.server.ctx.db, { subscriptionUntil: clock - 1, activations: 0 });
    expect(await resultOf(order._id, 131)).toMatchObject({ actionresult: 5, activationsconsumed: 0 });
    setVendorAccount(t.server.ctx.db, { subscriptionUntil: clock, activations: 1 });
    expect((await resultOf(order._id, 131)).actionresult).toBe(0); // valid through its last second
  });

  it('plays injected faults first, count times, then writes normally', async () => {
    const order = await networkOrder(141);
    const res = await t.call('POST', '/v1.0/admin/faults', { dongleId: 141, actionResult: 201, count: 2 });
    expect(res.body).toEqual({ status: { code: 0, description: 'OK', message: 'OK', status: 200 } });
    setVendorAccount(t.server.ctx.db, { subscriptionUntil: clock - 1 });
    expect((await resultOf(order._id, 141)).actionresult).toBe(201); // ahead of the expired subscription
    setVendorAccount(t.server.ctx.db, { subscriptionUntil: 253402300799 });
    expect(await resultOf(order._id, 141)).toMatchObject({ actionresult: 201, activationsconsumed: 0 });
    expect(await resultOf(order._id, 141)).toMatchObject({ actionresult: 0, activationsconsumed: 1 });
    injectFailure(t.server.ctx.db, 141, 13, 1);
    expect((await resultOf(order._id, 141)).actionresult).toBe(13);
    expect((await resultOf(order._id, 141)).actionresult).toBe(0);
    expect(t.server.ctx.db.prepare('SELECT COUNT(*) AS n FROM injected_failures').get()).toEqual({ n: 0 });
  });

  it('records what the key reported (201, 202) without billing', async () => {
    const order = await networkOrder(151);
    expect(await resultOf(order._id, 151, { dongleResult: 202 })).toMatchObject({
      actionresult: 202,
      activationsconsumed: 0,
      activationscountcurrent: 300,
    });
    expect((await resultOf(order._id, 151, { dongleResult: 201 })).actionresult).toBe(201);
    expect((await resultOf(order._id, 151, { dongleResult: 0 })).activationsconsumed).toBe(1);
  });

  it('writes a hardware Update order into the key it names', async () => {
    await networkOrder(161);
    const update = await t.call('POST', '/v1.0/orders', {
      orderType: 1,
      isHardwareLicense: true,
      dongleId: 161,
      orderStatus: 1,
    });
    expect(update.status, JSON.stringify(update.body)).toBe(200);
    expect(await resultOf(update.body.order._id, 161)).toMatchObject({
      actionresult: 0,
      activationsconsumed: 1,
    });
  });

  it('refuses attempts that cannot be recorded: unknown order, key not in it, order not Submitted, bad body', async () => {
    const order = await networkOrder(171);
    expectError(await write(999999, 171), 404, 10021);
    expectError(await write(order._id, 172), 404, 10038);
    expectError(await write(order._id, 171, { dongleResult: 5 }), 400, 10010);
    expectError(await write(order._id, 171, { result: 0 }), 400, 10010);
    await t.call('PUT', `/v1.0/orders/${order._id}`, { orderStatus: 2 });
    expectError(await write(order._id, 171), 409, 10030);
    expectError(await t.call('GET', `/v1.0/orders/${order._id}/dongles/171/getlastburninfo`), 404, 10028);
  });

  it('accepts an empty POST and the signed spelling of the key id', async () => {
    const order = await saleOrder(t, { products: [catalog.plain] });
    await addKeys(t, order._id, 2935208162);
    const res = await t.call('POST', `/v1.0/orders/${order._id}/dongles/-1359759134/write`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.write).toMatchObject({ dongleid: 2935208162, actionresult: 0, netlicensesconsumed: 0 });
  });
});

describe('a write with an idempotency key (extension)', () => {
  const byKey = (idempotencyKey: string) =>
    t.call('GET', `/v1.0/writes?idempotencyKey=${encodeURIComponent(idempotencyKey)}`);
  const history = async (dongleId: number) =>
    (await t.call('GET', `/v1.0/getdonglehistory/${dongleId}?limit=1000`)).body.history as unknown[];

  it('records and bills a success once, however often the same write is reported', async () => {
    const order = await networkOrder(181);
    const before = await vendor();
    const first = await resultOf(order._id, 181, { idempotencyKey: 'station-a:item-1' });
    const again = await resultOf(order._id, 181, { idempotencyKey: 'station-a:item-1' });
    expect(again).toEqual(first);
    expect(await history(181)).toHaveLength(1);
    const after = await vendor();
    expect(before.activations - after.activations).toBe(1);
    expect(before.netlicenses - after.netlicenses).toBe(3);
    expect((await byKey('station-a:item-1')).body).toEqual({ writes: [first] });
  });

  it('records every failed attempt with the key, then the success, and answers them oldest first', async () => {
    const order = await networkOrder(182);
    const failed = await resultOf(order._id, 182, { dongleResult: 201, idempotencyKey: 'k-182' });
    const ok = await resultOf(order._id, 182, { idempotencyKey: 'k-182' });
    expect(failed.actionresult).toBe(201);
    expect(ok.actionresult).toBe(0);
    const { body } = await byKey('k-182');
    expect(body.writes.map((w: { _id: number; actionresult: number }) => [w._id, w.actionresult])).toEqual([
      [failed._id, 201],
      [ok._id, 0],
    ]);
    expect(body.writes[1]).toMatchObject({ order_id: order._id, dongleid: 182, actiondate: clock });
  });

  it('answers an empty list for a key nothing was recorded with, and a write without a key is never found by one', async () => {
    const order = await networkOrder(183);
    await resultOf(order._id, 183);
    expect((await byKey('never-sent')).body).toEqual({ writes: [] });
  });

  it('refuses a key reused for another write, and keys that are empty, too long or not a plain token', async () => {
    const order = await networkOrder(184, 185);
    await resultOf(order._id, 184, { idempotencyKey: 'reused' });
    const reused = await write(order._id, 185, { idempotencyKey: 'reused' });
    expectError(reused, 400, 10010);
    expect(reused.body.status.message + reused.body.status.description).toMatch(
      /already used for another write/,
    );
    expect(await history(185)).toHaveLength(0);
    for (const bad of ['', 'x'.repeat(129), 'has space', 'semi;colon', 42]) {
      expectError(await write(order._id, 184, { idempotencyKey: bad }), 400, 10010);
    }
    expectError(await byKey('has space'), 400, 10013);
    expectError(await t.call('GET', '/v1.0/writes'), 400, 10013);
  });
});

describe('GET /v1.0/orders/{orderid}/dongles/{dongleid}/getlastburninfo', () => {
  it('answers the latest write of the key in that order', async () => {
    const order = await networkOrder(201);
    expectError(await t.call('GET', `/v1.0/orders/${order._id}/dongles/201/getlastburninfo`), 404, 10028);
    await resultOf(order._id, 201, { dongleResult: 201 });
    const last = await resultOf(order._id, 201);
    clock -= 100; // a clock stepped back does not make an older record the "last" one
    await resultOf(order._id, 201, { dongleResult: 202 });
    clock += 100;
    const res = await t.call('GET', `/v1.0/orders/${order._id}/dongles/201/getlastburninfo`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      lastburninfo: {
        _id: last._id + 1,
        action: 1,
        actiondate: clock - 100,
        actionresult: 202,
        activationsconsumed: 0,
        activationscountcurrent: 299,
        netlicensesconsumed: 0,
        netlicensesremains: 997,
      },
    });
  });

  it('answers 10038 for a key not in the order and 10021 for an unknown order', async () => {
    const order = await networkOrder(211);
    expectError(await t.call('GET', `/v1.0/orders/${order._id}/dongles/212/getlastburninfo`), 404, 10038);
    expectError(await t.call('GET', '/v1.0/orders/999999/dongles/211/getlastburninfo'), 404, 10021);
  });
});

describe('GET /v1.0/getdonglehistory/{id}', () => {
  let orderNumber: number;
  let orderId: number;

  beforeAll(async () => {
    // Whatever test ran last (in any order) left the vendor's account as it pleased: start from the known one.
    resetVendor();
    const order = await saleOrder(t, { customerId, products: [catalog.network] });
    await t.call(
      'POST',
      `/v1.0/orders/${order._id}/dongles`,
      key(991846791, { netResource: 3, typeFlags: 442 }),
    );
    orderNumber = order.number;
    orderId = order._id;
    // 1000: the key failed, 2000: balance gone, 3000: written and billed, then a free rewrite in the
    // same second, 4000: another free rewrite
    const plan: [number, object, (() => void)?][] = [
      [1000, { dongleResult: 201 }],
      [2000, {}, () => setVendorAccount(t.server.ctx.db, { activations: 0 })],
      [3000, {}, () => setVendorAccount(t.server.ctx.db, { activations: 21 })],
      [3000, {}],
      [4000, {}],
    ];
    for (const [at, body, before] of plan) {
      clock = at;
      before?.();
      await resultOf(order._id, 991846791, body);
    }
    clock = 1_570_191_207;
  });

  const history = async (query = '') => {
    const res = await t.call('GET', `/v1.0/getdonglehistory/991846791${query}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.history as any[];
  };
  const dates = async (query = '') => (await history(query)).map((h) => [h.actiondate, h.actionresult]);

  it('answers every write with the spec shape: burn, customer, key and order with its customer', async () => {
    const items = await history();
    expect(items).toHaveLength(5);
    const customer = {
      _id: customerId,
      archivationdate: 0,
      archived: false,
      companyname: 'baskin&robings',
      crmid: '',
      description: '',
      email: 'dfgsfg@dfg-df.com',
      lastname: 'cream',
      name: 'ice',
      phone: '+349534534534',
      refid: '',
      status: 0,
    };
    expect(items[2]).toEqual({
      _id: expect.any(Number),
      action: 1,
      actiondate: 3000,
      actionresult: 0,
      activationsconsumed: 1,
      activationscountcurrent: 20,
      netlicensesconsumed: 3,
      netlicensesremains: 997,
      customer,
      dongle: { dongleid: 991846791, model: 2, netresource: 3, publiccode: 1368487351, typeflags: 442 },
      order: expect.objectContaining({
        _id: orderId,
        number: orderNumber,
        ishardwarelicense: true,
        status: 1,
        type: 0,
        customer,
      }),
    });
  });

  it('sorts by action date then record, both directions, and pages', async () => {
    expect(await dates()).toEqual([
      [1000, 201],
      [2000, 2],
      [3000, 0],
      [3000, 0],
      [4000, 0],
    ]);
    const asc = (await history()).map((h) => h._id);
    expect(asc).toEqual([...asc].sort((a, b) => a - b));
    expect((await history('?direction=desc')).map((h) => h._id)).toEqual([...asc].reverse());
    // the billed write comes before the free rewrite of the same second
    expect(
      (await history('?actiondatebegin=3000&actiondateend=3000')).map((h) => h.activationsconsumed),
    ).toEqual([1, 0]);
    expect(await dates('?offset=1&limit=2')).toEqual([
      [2000, 2],
      [3000, 0],
    ]);
    expect(await dates('?offset=5')).toEqual([]);
  });

  it('filters by an inclusive date range and by a list of results', async () => {
    expect((await dates('?actiondatebegin=3000')).map(([d]) => d)).toEqual([3000, 3000, 4000]);
    expect((await dates('?actiondateend=2000')).map(([d]) => d)).toEqual([1000, 2000]);
    expect((await dates('?actiondatebegin=2000&actiondateend=3000')).map(([d]) => d)).toEqual([
      2000, 3000, 3000,
    ]);
    expect(await dates('?actionresult=2,201')).toEqual([
      [1000, 201],
      [2000, 2],
    ]);
    expect(await dates('?actionresult=0&actiondatebegin=2000&direction=desc')).toEqual([
      [4000, 0],
      [3000, 0],
      [3000, 0],
    ]);
    expect(await dates('?actionresult=13')).toEqual([]);
  });

  it('keeps the writes of a key after it is removed from an order', async () => {
    // A key of its own: the key above keeps exactly the five writes the other tests here expect.
    const order = await saleOrder(t, { products: [catalog.plain] });
    await addKeys(t, order._id, 991846792);
    await resultOf(order._id, 991846792, { dongleResult: 202 });
    expect((await t.call('DELETE', `/v1.0/orders/${order._id}/dongles/991846792`)).status).toBe(200);
    const res = await t.call('GET', '/v1.0/getdonglehistory/991846792?actionresult=202');
    const items = res.body.history as any[];
    expect(items.map((h) => h.order._id)).toEqual([order._id]);
    expect(items[0].customer).toBeUndefined(); // an order without a customer
  });

  it('answers 10024 for an unknown key and 10013 for a bad query', async () => {
    expectError(await t.call('GET', '/v1.0/getdonglehistory/5'), 404, 10024);
    for (const q of ['actionresult=a', 'actiondatebegin=-1', 'limit=0', 'limit=1001', 'sortby=_id', 'x=1']) {
      expectError(await t.call('GET', `/v1.0/getdonglehistory/991846791?${q}`), 400, 10013);
    }
  });

  it('keeps keys, history and the balance across a restart', async () => {
    const before = await history();
    const balance = await vendor();
    const allKeys = async () =>
      (await t.call('GET', '/v1.0/dongles?sortby=dongleid&limit=1000')).body.dongles;
    const keysBefore = await allKeys();
    expect(keysBefore.map((k: { dongleid: number }) => k.dongleid)).toContain(991846791);
    await t.restart();
    expect(await history()).toEqual(before);
    expect(await vendor()).toEqual(balance);
    expect(await allKeys()).toEqual(keysBefore);
    const last = await t.call('GET', `/v1.0/orders/${orderId}/dongles/991846791/getlastburninfo`);
    expect(last.body.lastburninfo).toMatchObject({ actiondate: 4000, actionresult: 0 });
  });
});

describe('donglesOfOrder', () => {
  it("lists an order's keys with their latest write in that order only", async () => {
    const a = await networkOrder(301, 302);
    const b = await networkOrder(301);
    await resultOf(a._id, 301, { dongleResult: 201 });
    const written = await resultOf(a._id, 301);
    await resultOf(b._id, 301, { dongleResult: 202 });
    const keys = donglesOfOrder(t.server.ctx.db, a._id, { offset: 0, limit: 100, direction: 'asc' });
    expect(keys.map((k) => k.dongleid)).toEqual([301, 302]);
    expect(keys[0]!.lastburn).toMatchObject({ _id: written._id, actionresult: 0 });
    expect(keys[1]!.lastburn).toBeUndefined();
  });
});

describe('admin endpoints (extension)', () => {
  it('refuse bodies that are not a failure result or a balance', async () => {
    for (const body of [
      { dongleId: 1, actionResult: 0 },
      { dongleId: 1, actionResult: 7 },
      { dongleId: 1, actionResult: 201, count: 0 },
      { dongleId: 1, actionResult: 201, when: 'now' },
      { actionResult: 201 },
    ]) {
      expectError(await t.call('POST', '/v1.0/admin/faults', body), 400, 10010);
    }
    expectError(await t.call('PUT', '/v1.0/admin/vendor', { activations: -1 }), 400, 10010);
    expectError(await t.call('PUT', '/v1.0/admin/vendor', { balance: 1 }), 400, 10010);
  });

  it('do not exist on a server started without them', async () => {
    const prod = await startTestServer({ adminEnabled: false });
    try {
      expectError(
        await prod.call('POST', '/v1.0/admin/faults', { dongleId: 1, actionResult: 201 }),
        404,
        10020,
      );
      expectError(await prod.call('PUT', '/v1.0/admin/vendor', { activations: 1 }), 404, 10020);
      expectError(await prod.call('GET', '/v1.0/admin/vendor'), 404, 10020);
    } finally {
      await prod.close();
    }
  });
});
