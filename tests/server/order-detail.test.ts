import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderDetailSchema } from '../../shared/guardant/responses';
import { addCustomer } from '../../server/store/catalog-writer';
import { addCatalog, addKeys, saleOrder, type Catalog } from '../support/hardware-orders';
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
    expect(res.body.order).toMatchObject({ status: 0, products: [], dongles: [] });
  });

  it('accepts an empty body sent with a JSON content type on body-less calls', async () => {
    const order = await saleOrder(t, { submit: false });
    const res = await t.call('POST', `/v1.0/orders/${order._id}/products/${catalog.timed}`, undefined, {
      raw: '',
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  });
});
