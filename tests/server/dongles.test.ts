import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { addCustomer } from '../../server/store/catalog-writer';
import { addKeys, expectError, key, saleOrder } from '../support/hardware-orders';
import { startTestServer, type TestServer } from '../support/server-harness';

let t: TestServer;
let clock = 1_700_000_000;
let customerId: number;

beforeAll(async () => {
  t = await startTestServer({ now: () => clock });
  customerId = addCustomer(t.server.ctx.db, {
    name: 'ice',
    lastname: 'cream',
    companyname: 'baskin&robings',
  });
});
afterAll(() => t.close());

const ids = (res: { body: { dongles: { dongleid: number }[] } }) => res.body.dongles.map((d) => d.dongleid);

/**
 * Each test of these two groups gets its own server that has met keys 300, 100 and 200, in that order,
 * so none depends on another having run first.
 */
let d: TestServer;
const withMetKeys = () => {
  beforeEach(async () => {
    d = await startTestServer();
    const order = await saleOrder(d);
    await addKeys(d, order._id, 300, 100, 200);
  });
  afterEach(() => d.close());
};

describe('GET /v1.0/dongles', () => {
  withMetKeys();

  it('answers an empty list before any key is met', async () => {
    const empty = await startTestServer();
    try {
      const res = await empty.call('GET', '/v1.0/dongles');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ dongles: [] });
    } finally {
      await empty.close();
    }
  });

  it('lists keys in the order the server met them by default, by id on request', async () => {
    expect(ids(await d.call('GET', '/v1.0/dongles'))).toEqual([300, 100, 200]);
    expect(ids(await d.call('GET', '/v1.0/dongles?sortby=default&direction=desc'))).toEqual([200, 100, 300]);
    expect(ids(await d.call('GET', '/v1.0/dongles?sortby=dongleid'))).toEqual([100, 200, 300]);
    expect(ids(await d.call('GET', '/v1.0/dongles?sortby=dongleid&direction=desc'))).toEqual([300, 200, 100]);
    const first = await d.call('GET', '/v1.0/dongles?sortby=dongleid&limit=1');
    expect(first.body.dongles).toEqual([
      { dongleid: 100, model: 2, netresource: 0, publiccode: 1368487351, typeflags: 0 },
    ]);
  });

  it('pages with offset and limit, and answers an empty page past the end', async () => {
    expect(ids(await d.call('GET', '/v1.0/dongles?sortby=dongleid&offset=1&limit=1'))).toEqual([200]);
    expect(ids(await d.call('GET', '/v1.0/dongles?offset=3'))).toEqual([]);
    expect(ids(await d.call('GET', '/v1.0/dongles?offset=1000000'))).toEqual([]);
  });

  it('refuses bad paging and sorting with 10013', async () => {
    for (const q of ['limit=0', 'limit=1001', 'offset=-1', 'sortby=model', 'direction=up', 'colour=red']) {
      expectError(await d.call('GET', `/v1.0/dongles?${q}`), 400, 10013);
    }
  });
});

describe('PUT /v1.0/dongles/{id}', () => {
  withMetKeys();

  it('sets the driver type from the spec example and answers the key with drivertype', async () => {
    const res = await d.call('PUT', '/v1.0/dongles/100', { driverType: 2 });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      dongle: {
        dongleid: 100,
        drivertype: 2,
        model: 2,
        netresource: 0,
        publiccode: 1368487351,
        typeflags: 0,
      },
    });
  });

  it('keeps the driver type when the key is added again with a refreshed identity', async () => {
    const order = await saleOrder(d);
    const res = await d.call('POST', `/v1.0/orders/${order._id}/dongles`, key(100, { netResource: 5 }));
    expect(res.body.dongle).toEqual({
      dongleid: 100,
      model: 2,
      netresource: 5,
      publiccode: 1368487351,
      typeflags: 0,
    });
    const again = await d.call('PUT', '/v1.0/dongles/100', { driverType: 2 });
    expect(again.body.dongle).toMatchObject({ drivertype: 2, netresource: 5 });
    // the list keeps the order of first meeting, not of the refresh
    expect(ids(await d.call('GET', '/v1.0/dongles'))).toEqual([300, 100, 200]);
  });

  it('answers 10024 for a key the server never met and 10010 for a bad driver type', async () => {
    expectError(await d.call('PUT', '/v1.0/dongles/999', { driverType: 0 }), 404, 10024);
    expectError(await d.call('PUT', '/v1.0/dongles/100', { driverType: 3 }), 400, 10010);
    expectError(await d.call('PUT', '/v1.0/dongles/100', { drivertype: 2 }), 400, 10010);
    expectError(await d.call('PUT', '/v1.0/dongles/abc', { driverType: 2 }), 400, 10010);
    expectError(await d.call('PUT', '/v1.0/dongles/4294967296', { driverType: 2 }), 400, 10010);
  });

  it('accepts a key id written signed and answers it unsigned', async () => {
    const order = await saleOrder(d);
    const added = await d.call('POST', `/v1.0/orders/${order._id}/dongles`, key(-1359759134));
    expect(added.body.dongle.dongleid).toBe(2935208162);
    const bySigned = await d.call('PUT', '/v1.0/dongles/-1359759134', { driverType: 0 });
    expect(bySigned.body.dongle).toMatchObject({ dongleid: 2935208162, drivertype: 0 });
    const byUnsigned = await d.call('PUT', '/v1.0/dongles/2935208162', { driverType: 1 });
    expect(byUnsigned.body.dongle).toMatchObject({ dongleid: 2935208162, drivertype: 1 });
    expect(ids(await d.call('GET', '/v1.0/dongles?sortby=dongleid&direction=desc'))[0]).toBe(2935208162);
  });
});

describe('GET /v1.0/dongles/{id}/orders', () => {
  let numbers: number[];

  beforeAll(async () => {
    // Three orders for key 7: numbers ascending, submit dates and start dates in other orders.
    const plan = [
      { submitAt: 1_700_000_300, birthDate: 1_568_193_700 },
      { submitAt: 1_700_000_100, birthDate: 1_571_130_180 },
      { submitAt: 1_700_000_200, birthDate: 1_571_130_000 },
    ];
    numbers = [];
    for (const step of plan) {
      clock = step.submitAt;
      const order = await saleOrder(t, { customerId, birthDate: step.birthDate, quantity: 1 });
      await addKeys(t, order._id, 7);
      numbers.push(order.number);
    }
    const other = await saleOrder(t, { customerId });
    await addKeys(t, other._id, 8);
    // A key the server met written signed (2935208162), in one order.
    await addKeys(t, other._id, -1359759134);
  });

  const numbersOf = async (query: string) => {
    const res = await t.call('GET', `/v1.0/dongles/7/orders${query}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.orders.map((o: { number: number }) => o.number);
  };

  it('lists only the orders holding the key, by number, with the customer embedded', async () => {
    const res = await t.call('GET', '/v1.0/dongles/7/orders');
    expect(res.body.orders).toHaveLength(3);
    expect(res.body.orders[0]).toMatchObject({
      number: numbers[0],
      ishardwarelicense: true,
      status: 1,
      type: 0,
      quantity: 1,
      activationbirthdate: 1_568_193_700,
      submitdate: 1_700_000_300,
      customer: { _id: customerId, name: 'ice', lastname: 'cream', companyname: 'baskin&robings' },
    });
    expect(await numbersOf('?direction=desc')).toEqual([...numbers].reverse());
  });

  it('sorts by submit date and by start date (activationbirthdate)', async () => {
    const [a, b, c] = numbers;
    expect(await numbersOf('?sortby=submitdate')).toEqual([b, c, a]);
    expect(await numbersOf('?sortby=submitdate&direction=desc')).toEqual([a, c, b]);
    expect(await numbersOf('?sortby=startdate')).toEqual([a, c, b]);
    expect(await numbersOf('?sortby=number&offset=1&limit=1')).toEqual([b]);
    expect(await numbersOf('?offset=3')).toEqual([]);
  });

  it('accepts the key id signed, and refuses unknown keys and bad queries', async () => {
    const res = await t.call('GET', '/v1.0/dongles/-1359759134/orders');
    expect(res.status).toBe(200);
    expect(res.body.orders).toHaveLength(1);
    expectError(await t.call('GET', '/v1.0/dongles/123456/orders'), 404, 10024);
    expectError(await t.call('GET', '/v1.0/dongles/7/orders?sortby=date'), 400, 10013);
    expectError(await t.call('GET', '/v1.0/dongles/7/orders?limit=0'), 400, 10013);
    expectError(await t.call('GET', '/v1.0/dongles/7/orders?limit=1001'), 400, 10013);
  });
});
