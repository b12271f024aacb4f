import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderDetailSchema } from '../../shared/guardant/responses';
import { addCustomer } from '../../server/store/catalog-writer';
import { addCatalog, addKeys, expectError, key, saleOrder, type Catalog } from '../support/hardware-orders';
import { startTestServer, type TestServer } from '../support/server-harness';

let t: TestServer;
let catalog: Catalog;
beforeAll(async () => {
  t = await startTestServer();
  catalog = addCatalog(t);
});
afterAll(() => t.close());

describe('GET /v1.0/orders/{id}', () => {
  it('embeds the customer, the products with their features and the keys with their last write', async () => {
    const customerId = addCustomer(t.server.ctx.db, {
      name: 'ice',
      lastname: 'cream',
      companyname: 'baskin&robings',
    });
    const order = await saleOrder(t, { products: [catalog.plain], customerId });
    await addKeys(t, order._id, 991846791, 991846792);
    await t.call('POST', `/v1.0/orders/${order._id}/dongles/991846791/write`, {});

    const res = await t.call('GET', `/v1.0/orders/${order._id}`);
    expect(res.status).toBe(200);
    const detail = orderDetailSchema.parse(res.body.order);
    expect(detail.customer).toMatchObject({ _id: customerId, companyname: 'baskin&robings' });
    expect(detail.products).toHaveLength(1);
    expect(detail.products![0]).toMatchObject({
      productnumber: 778,
      binding: expect.any(Object),
      memoryitems: [],
    });
    expect(detail.products![0]!.featuresWithLicenses![0]).toMatchObject({
      featurenumber: 4,
      license: { isExcluded: 0 },
    });

    const written = detail.dongles!.find((d) => d.dongleid === 991846791)!;
    expect(written.lastburn).toMatchObject({ actionresult: 0, activationsconsumed: 1 });
    const fresh = detail.dongles!.find((d) => d.dongleid === 991846792)!;
    expect(fresh.lastburn).toBeUndefined();
  });

  it('answers a Draft without keys with empty lists', async () => {
    const order = await saleOrder(t, { submit: false });
    const res = await t.call('GET', `/v1.0/orders/${order._id}`);
    expect(res.body.order).toMatchObject({ status: 0, products: [], dongles: [], donglescount: 0 });
  });

  it('accepts an empty body sent with a JSON content type on body-less calls', async () => {
    const order = await saleOrder(t, { submit: false });
    const res = await t.call('POST', `/v1.0/orders/${order._id}/products/${catalog.timed}`, undefined, {
      raw: '',
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  });
});

describe('an order with many keys', () => {
  // 2,500 keys in three batches; the detail embeds the first 1000 and says how many there are.
  let order: any;
  const ids = Array.from({ length: 2500 }, (_, i) => 3_000_000 + i);
  beforeAll(async () => {
    order = await saleOrder(t, { quantity: 1_000_000, products: [catalog.plain] });
    for (let from = 0; from < ids.length; from += 1000) {
      const res = await t.call('POST', `/v1.0/orders/${order._id}/multipledongles`, {
        dongles: ids.slice(from, from + 1000).map((id) => key(id)),
      });
      expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBe(200);
    }
    await t.call('POST', `/v1.0/orders/${order._id}/dongles/${ids[1]}/write`, {});
    await t.call('POST', `/v1.0/orders/${order._id}/dongles/${ids[2400]}/write`, { dongleResult: 201 });
  });

  it('embeds at most 1000 keys, oldest first, and the count of all of them', async () => {
    const res = await t.call('GET', `/v1.0/orders/${order._id}`);
    expect(res.status).toBe(200);
    const detail = orderDetailSchema.parse(res.body.order);
    expect(detail.donglescount).toBe(2500);
    expect(detail.dongles!.map((d) => d.dongleid)).toEqual(ids.slice(0, 1000));
    expect(detail.dongles![1]!.lastburn).toMatchObject({ actionresult: 0 });
    expect(detail.products).toHaveLength(1);
  });

  it('pages through every key with GET .../dongles (offset, limit, direction), each with its last write', async () => {
    const page = (q: string) => t.call('GET', `/v1.0/orders/${order._id}/dongles?${q}`);
    const seen: number[] = [];
    for (let offset = 0; ; offset += 1000) {
      const res = await page(`offset=${offset}&limit=1000`);
      expect(res.status).toBe(200);
      if (res.body.dongles.length === 0) break;
      seen.push(...res.body.dongles.map((d: any) => d.dongleid));
    }
    expect(seen).toEqual(ids);
    const defaults = await page('');
    expect(defaults.body.dongles).toHaveLength(100);
    const last = await page('direction=desc&limit=100&offset=99');
    expect(last.body.dongles[0]).toMatchObject({ dongleid: ids[2400], lastburn: { actionresult: 201 } });
    expectError(await page('limit=1001'), 400, 10013);
    expectError(await page('until=5'), 400, 10013);
    expectError(await t.call('GET', '/v1.0/orders/999999/dongles'), 404, 10021);
    expectError(
      await t.call('GET', `/v1.0/orders/${order._id}/dongles`, undefined, { token: null }),
      401,
      10001,
    );
  });
});

describe('software orders issue a bounded number of serial numbers', () => {
  const software = (over: Record<string, unknown>) =>
    t.call('POST', '/v1.0/orders', { orderType: 0, isHardwareLicense: false, ...over });

  it('refuses a software Sale order over 10000 serial numbers with 10041, Draft or Submitted', async () => {
    for (const orderStatus of [0, 1]) {
      const res = await software({ orderQuantity: 1_000_000, orderStatus });
      expectError(res, 400, 10041);
      expect(res.body.status.description).toMatch(/10000/);
    }
    expectError(await software({ orderQuantity: 10_001 }), 400, 10041);
    // A hardware order issues nothing when submitted: it may hold that many keys.
    const hardware = await saleOrder(t, { quantity: 1_000_000 });
    expect(hardware.status).toBe(1);
  });

  it('refuses to turn a large Draft into a software order, or to raise its quantity past the limit', async () => {
    const draft = await saleOrder(t, { quantity: 50_000, submit: false });
    expectError(await t.call('PUT', `/v1.0/orders/${draft._id}`, { isHardwareLicense: false }), 400, 10041);
    const small = (await software({ orderQuantity: 5 })).body.order;
    expectError(await t.call('PUT', `/v1.0/orders/${small._id}`, { orderQuantity: 10_001 }), 400, 10041);
    expect((await t.call('GET', `/v1.0/orders/${small._id}`)).body.order.quantity).toBe(5);
  });

  it('refuses to submit a software Draft saved with more, and issues nothing', async () => {
    const draft = (await software({ orderQuantity: 5 })).body.order;
    t.server.ctx.db.prepare('UPDATE orders SET quantity = 20000 WHERE _id = ?').run(draft._id);
    expectError(await t.call('PUT', `/v1.0/orders/${draft._id}`, { orderStatus: 1 }), 400, 10041);
    const count = t.server.ctx.db
      .prepare('SELECT COUNT(*) AS n FROM serial_numbers WHERE order_id = ?')
      .get(draft._id) as { n: number };
    expect(count.n).toBe(0);
    expect((await t.call('GET', `/v1.0/orders/${draft._id}`)).body.order.status).toBe(0);
  });

  it('issues exactly 10000 distinct serial numbers at the limit', async () => {
    const res = await software({ orderQuantity: 10_000, orderStatus: 1 });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const { n, distinct } = t.server.ctx.db
      .prepare(
        'SELECT COUNT(*) AS n, COUNT(DISTINCT serialstring) AS "distinct" FROM serial_numbers WHERE order_id = ?',
      )
      .get(res.body.order._id) as { n: number; distinct: number };
    expect({ n, distinct }).toEqual({ n: 10_000, distinct: 10_000 });
  });
});
