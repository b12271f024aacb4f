import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addCatalog,
  addKeys,
  expectError,
  key,
  SAMPLE_KEY,
  saleOrder,
  type Catalog,
} from '../support/hardware-orders';
import { startTestServer, type TestServer } from '../support/server-harness';

let t: TestServer;
let catalog: Catalog;

beforeAll(async () => {
  t = await startTestServer();
  catalog = addCatalog(t);
});
afterAll(() => t.close());

/** The order ids holding a key, as the station would look them up. */
async function ordersOfKey(dongleId: number): Promise<number[]> {
  const res = await t.call('GET', `/v1.0/dongles/${dongleId}/orders`);
  if (res.status === 404) return [];
  return res.body.orders.map((o: { _id: number }) => o._id);
}

/** The spec's 3-key batch (typeFlags 442). */
const SPEC_BATCH = [995644599, 995644499, 995644399].map((id) => key(id, { typeFlags: 442 }));

describe('POST /v1.0/orders/{id}/dongles', () => {
  it('adds the spec example key and answers the dongle element', async () => {
    const order = await saleOrder(t, { products: [catalog.plain] });
    const res = await t.call('POST', `/v1.0/orders/${order._id}/dongles`, SAMPLE_KEY);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      dongle: { dongleid: 991846791, model: 2, netresource: 0, publiccode: 1368487351, typeflags: 0 },
    });
    expect(await ordersOfKey(991846791)).toContain(order._id);
    expectError(await t.call('POST', `/v1.0/orders/${order._id}/dongles`, SAMPLE_KEY), 409, 10168);
  });

  it('treats the signed and unsigned spellings of an id as the same key', async () => {
    const order = await saleOrder(t);
    await addKeys(t, order._id, -1359759134);
    expectError(await t.call('POST', `/v1.0/orders/${order._id}/dongles`, key(2935208162)), 409, 10168);
  });

  it('refuses orders that do not take keys: unknown, software, Update, Draft, Revoked', async () => {
    expectError(await t.call('POST', '/v1.0/orders/999999/dongles', SAMPLE_KEY), 404, 10021);
    const software = await saleOrder(t, { hardware: false, quantity: 1 });
    expectError(await t.call('POST', `/v1.0/orders/${software._id}/dongles`, key(11)), 409, 10031);
    // An Update order names a key the server knows: this test's own, not one an earlier test added.
    await addKeys(t, (await saleOrder(t))._id, 91);
    const update = await t.call('POST', '/v1.0/orders', {
      orderType: 1,
      isHardwareLicense: true,
      dongleId: 91,
    });
    expect(update.status, JSON.stringify(update.body)).toBe(200);
    expectError(await t.call('POST', `/v1.0/orders/${update.body.order._id}/dongles`, key(11)), 409, 10031);
    const draft = await saleOrder(t, { submit: false });
    expectError(await t.call('POST', `/v1.0/orders/${draft._id}/dongles`, key(11)), 409, 10030);
    const revoked = await saleOrder(t);
    await t.call('PUT', `/v1.0/orders/${revoked._id}`, { orderStatus: 2 });
    expectError(await t.call('POST', `/v1.0/orders/${revoked._id}/dongles`, key(11)), 409, 10030);
    expect(await ordersOfKey(11)).toEqual([]);
  });

  it('stops at the order quantity with 10033', async () => {
    const order = await saleOrder(t, { quantity: 2 });
    await addKeys(t, order._id, 21, 22);
    expectError(await t.call('POST', `/v1.0/orders/${order._id}/dongles`, key(23)), 409, 10033);
    expect(await ordersOfKey(23)).toEqual([]);
  });

  it('refuses a clockless key for a time-limited order with 10172 and the conflicting feature', async () => {
    const order = await saleOrder(t, { products: [catalog.plain, catalog.timed] });
    const res = await t.call('POST', `/v1.0/orders/${order._id}/dongles`, key(999392418));
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      conflictedDongleId: 999392418,
      conflictedFeatureNumber: 16,
      conflictedOrderNumber: order.number,
      conflictedProductNumber: 12350,
      status: {
        code: 10172,
        description: 'Hardware key does not support time limited features',
        message: 'Bad Request',
        status: 400,
      },
    });
    // a Time key takes it
    const time = await t.call(
      'POST',
      `/v1.0/orders/${order._id}/dongles`,
      key(999392418, { dongleModel: 3 }),
    );
    expect(time.status).toBe(200);
  });

  it('refuses a key without network resource with 10173, and too small a resource with 10174', async () => {
    const order = await saleOrder(t, { products: [catalog.network] });
    const none = await t.call('POST', `/v1.0/orders/${order._id}/dongles`, key(31));
    expectError(none, 400, 10173);
    expect(none.body).toMatchObject({
      conflictedDongleId: 31,
      conflictedFeatureNumber: 8,
      conflictedOrderNumber: order.number,
      conflictedProductNumber: 4242,
    });
    const small = await t.call('POST', `/v1.0/orders/${order._id}/dongles`, key(32, { netResource: 2 }));
    expectError(small, 400, 10174);
    expect(Object.keys(small.body).sort()).toEqual(['conflictedDongleId', 'status']);
    expect(small.body.conflictedDongleId).toBe(32);
    const enough = await t.call('POST', `/v1.0/orders/${order._id}/dongles`, key(33, { netResource: 3 }));
    expect(enough.status).toBe(200);
  });

  it('refuses malformed key identities with 10010', async () => {
    const order = await saleOrder(t);
    for (const body of [
      { ...SAMPLE_KEY, dongleModel: 6 },
      { ...SAMPLE_KEY, dongleId: 4294967296 },
      { ...SAMPLE_KEY, dongleId: '991846791' },
      { ...SAMPLE_KEY, netResource: -1 },
      { ...SAMPLE_KEY, colour: 'red' },
      { dongleId: 1 },
    ]) {
      expectError(await t.call('POST', `/v1.0/orders/${order._id}/dongles`, body), 400, 10010);
    }
  });
});

describe('POST /v1.0/orders/{id}/multipledongles', () => {
  it('answers the spec example: a key already in the order is 10168, the others are added', async () => {
    const order = await saleOrder(t, { products: [catalog.plain] });
    await t.call('POST', `/v1.0/orders/${order._id}/dongles`, SPEC_BATCH[0]);
    const res = await t.call('POST', `/v1.0/orders/${order._id}/multipledongles`, { dongles: SPEC_BATCH });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      dongles: [
        {
          dongleid: 995644599,
          model: 2,
          netresource: 0,
          publiccode: 1368487351,
          typeflags: 442,
          retcode: '10168',
        },
        {
          dongleid: 995644499,
          model: 2,
          netresource: 0,
          publiccode: 1368487351,
          typeflags: 442,
          retcode: '0',
        },
        {
          dongleid: 995644399,
          model: 2,
          netresource: 0,
          publiccode: 1368487351,
          typeflags: 442,
          retcode: '0',
        },
      ],
    });
    expect(await ordersOfKey(995644399)).toEqual([order._id]);
  });

  it('gives each key its own retcode: duplicates, incompatibility, then the quantity', async () => {
    const order = await saleOrder(t, { products: [catalog.network], quantity: 3 });
    const batch = [
      key(41, { netResource: 3 }),
      key(41, { netResource: 3 }), // same key twice in one batch
      key(42), // no network resource
      key(43, { netResource: 1 }), // too little
      key(-44, { netResource: 5 }), // signed id
      key(45, { netResource: 3 }),
      key(46, { netResource: 3 }), // quantity reached
    ];
    const res = await t.call('POST', `/v1.0/orders/${order._id}/multipledongles`, { dongles: batch });
    expect(res.status).toBe(200);
    expect(res.body.dongles.map((d: any) => [d.dongleid, d.retcode])).toEqual([
      [41, '0'],
      [41, '10168'],
      [42, '10173'],
      [43, '10174'],
      [4294967252, '0'],
      [45, '0'],
      [46, '10033'],
    ]);
    expect(await ordersOfKey(42)).toEqual([]);
    expect(await ordersOfKey(46)).toEqual([]);
    expect(await ordersOfKey(-44)).toEqual([order._id]);
  });

  it('answers order-level problems as request errors, for the whole batch', async () => {
    const body = { dongles: [key(51)] };
    expectError(await t.call('POST', '/v1.0/orders/999999/multipledongles', body), 404, 10021);
    const draft = await saleOrder(t, { submit: false });
    expectError(await t.call('POST', `/v1.0/orders/${draft._id}/multipledongles`, body), 409, 10030);
    const software = await saleOrder(t, { hardware: false, quantity: 1 });
    expectError(await t.call('POST', `/v1.0/orders/${software._id}/multipledongles`, body), 409, 10031);
    expect(await ordersOfKey(51)).toEqual([]);
  });

  it('refuses more than 1000 keys with 10032 before looking at them, and an empty or bad batch with 10010', async () => {
    const order = await saleOrder(t, { quantity: 2000 });
    const tooMany = Array.from({ length: 1001 }, () => ({ junk: true }));
    expectError(
      await t.call('POST', `/v1.0/orders/${order._id}/multipledongles`, { dongles: tooMany }),
      400,
      10032,
    );
    expectError(
      await t.call('POST', `/v1.0/orders/${order._id}/multipledongles`, { dongles: [] }),
      400,
      10010,
    );
    const oneBad = [key(61), { ...key(62), dongleModel: 9 }];
    expectError(
      await t.call('POST', `/v1.0/orders/${order._id}/multipledongles`, { dongles: oneBad }),
      400,
      10010,
    );
    expect(await ordersOfKey(61)).toEqual([]); // nothing half-added
  });

  it('adds 1000 keys in one request, with the order quantity as the limit (timing: npm run bench:server)', async () => {
    const order = await saleOrder(t, { quantity: 1000, products: [catalog.plain] });
    const dongles = Array.from({ length: 1000 }, (_, i) => key(1_000_000 + i));
    await t.call('POST', `/v1.0/orders/${order._id}/multipledongles`, { dongles: [key(1)] }); // warm up
    const res = await t.call('POST', `/v1.0/orders/${order._id}/multipledongles`, { dongles });
    expect(res.status).toBe(200);
    const codes = res.body.dongles.map((d: any) => d.retcode);
    expect(codes.filter((c: string) => c === '0')).toHaveLength(999);
    expect(codes[999]).toBe('10033'); // the warm-up key took one slot
  });
});

describe('DELETE /v1.0/orders/{id}/dongles/{did}', () => {
  it('takes a key out of the order, freeing its place', async () => {
    const order = await saleOrder(t, { quantity: 1 });
    await addKeys(t, order._id, 71);
    const res = await t.call('DELETE', `/v1.0/orders/${order._id}/dongles/71`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: { code: 0, description: 'OK', message: 'OK', status: 200 } });
    expect(await ordersOfKey(71)).toEqual([]);
    await addKeys(t, order._id, 72);
    expectError(await t.call('DELETE', `/v1.0/orders/${order._id}/dongles/71`), 404, 10038);
  });

  it('accepts the signed spelling of the key id', async () => {
    const order = await saleOrder(t);
    await addKeys(t, order._id, 2935208162);
    expect((await t.call('DELETE', `/v1.0/orders/${order._id}/dongles/-1359759134`)).status).toBe(200);
    expect(await ordersOfKey(2935208162)).not.toContain(order._id);
  });

  it('keeps a key that already holds the licence, but lets one with only failed writes go', async () => {
    const order = await saleOrder(t);
    await addKeys(t, order._id, 73, 74);
    expect(
      (await t.call('POST', `/v1.0/orders/${order._id}/dongles/73/write`, {})).body.write.actionresult,
    ).toBe(0);
    expect(
      (await t.call('POST', `/v1.0/orders/${order._id}/dongles/74/write`, { dongleResult: 201 })).status,
    ).toBe(200);
    expectError(await t.call('DELETE', `/v1.0/orders/${order._id}/dongles/73`), 409, 10040);
    expect(await ordersOfKey(73)).toEqual([order._id]);
    expect((await t.call('DELETE', `/v1.0/orders/${order._id}/dongles/74`)).status).toBe(200);
  });

  it('only while the order is Submitted, and only from orders that exist', async () => {
    const order = await saleOrder(t);
    await addKeys(t, order._id, 75);
    await t.call('PUT', `/v1.0/orders/${order._id}`, { orderStatus: 2 });
    expectError(await t.call('DELETE', `/v1.0/orders/${order._id}/dongles/75`), 409, 10030);
    expect(await ordersOfKey(75)).toEqual([order._id]);
    expectError(await t.call('DELETE', '/v1.0/orders/999999/dongles/75'), 404, 10021);
    expectError(await t.call('DELETE', `/v1.0/orders/${order._id}/dongles/x`), 400, 10010);
  });
});

describe('POST /v1.0/canadddongle/orders/{id}', () => {
  const ok = { status: { code: 0, description: 'OK', message: 'OK', status: 200 } };

  it('answers OK for a key that fits, without adding it', async () => {
    const order = await saleOrder(t, { quantity: 1, products: [catalog.plain] });
    const res = await t.call('POST', `/v1.0/canadddongle/orders/${order._id}`, key(81));
    expect(res.status).toBe(200);
    expect(res.body).toEqual(ok);
    expect(await ordersOfKey(81)).toEqual([]);
    expectError(await t.call('GET', '/v1.0/dongles/81/orders'), 404, 10024); // not even met
  });

  it('answers OK for a key already in the order, even when the order is full', async () => {
    const order = await saleOrder(t, { quantity: 1 });
    await addKeys(t, order._id, 82);
    expect((await t.call('POST', `/v1.0/canadddongle/orders/${order._id}`, key(82))).body).toEqual(ok);
    expectError(await t.call('POST', `/v1.0/canadddongle/orders/${order._id}`, key(83)), 409, 10033);
  });

  it('answers what adding would: 10172 with its fields, 10031 for an Update order, 10030, 10021', async () => {
    const timed = await saleOrder(t, { products: [catalog.timed] });
    const res = await t.call('POST', `/v1.0/canadddongle/orders/${timed._id}`, key(84));
    expectError(res, 400, 10172);
    expect(res.body).toMatchObject({
      conflictedDongleId: 84,
      conflictedFeatureNumber: 16,
      conflictedOrderNumber: timed.number,
      conflictedProductNumber: 12350,
    });
    // A hardware Update order names a key the server has met: meet 82 here, not in the test before.
    await addKeys(t, (await saleOrder(t))._id, 82);
    const update = await t.call('POST', '/v1.0/orders', {
      orderType: 1,
      isHardwareLicense: true,
      dongleId: 82,
    });
    expectError(
      await t.call('POST', `/v1.0/canadddongle/orders/${update.body.order._id}`, key(82)),
      409,
      10031,
    );
    const draft = await saleOrder(t, { submit: false });
    expectError(await t.call('POST', `/v1.0/canadddongle/orders/${draft._id}`, key(84)), 409, 10030);
    expectError(await t.call('POST', '/v1.0/canadddongle/orders/999999', key(84)), 404, 10021);
    expectError(await t.call('POST', `/v1.0/canadddongle/orders/${timed._id}`, { dongleId: 84 }), 400, 10010);
  });
});
