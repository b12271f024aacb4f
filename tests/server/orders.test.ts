import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCustomer } from '../../server/store/catalog-writer';
import { startTestServer, type TestServer } from '../support/server-harness';

let t: TestServer;
let customerId: number;

beforeAll(async () => {
  t = await startTestServer();
  customerId = addCustomer(t.server.ctx.db, {
    name: 'MyCostomer',
    email: 'cust@mail.com',
    phone: '123-12-12',
    description: 'test',
  });
});
afterAll(() => t.close());

const saleBody = () => ({
  customerId,
  orderActivationBirthDate: 1528911062,
  orderActivationDeathDate: 15210911062,
  orderCanOverwriteContainer: false,
  orderIsDemo: false,
  customerRequired: true,
  orderQuantity: 10,
  orderActivationLimit: 10,
  orderDescription: 'Created by Postmam',
  orderStatus: 0,
  orderType: 0,
  isHardwareLicense: false,
  crmId: '',
  refId: '',
});

describe('orders', () => {
  it('creates a Sale order from the spec example and returns it with its customer', async () => {
    const res = await t.call('POST', '/v1.0/orders', saleBody());
    expect(res.status).toBe(200);
    expect(res.body.order).toMatchObject({
      activationlimit: 10,
      activationbirthdate: 1528911062,
      activationdeathdate: 15210911062,
      canoverwritecontainer: false,
      isdemo: false,
      customerrequired: true,
      description: 'Created by Postmam',
      quantity: 10,
      status: 0,
      type: 0,
      ishardwarelicense: false,
      customer: { _id: customerId, name: 'MyCostomer', email: 'cust@mail.com' },
    });
  });

  it('rejects a missing token with 401 in the error envelope', async () => {
    const res = await t.call('GET', '/v1.0/orders', undefined, { token: null });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({
      status: { code: 10001, description: expect.any(String), message: 'Unauthorized', status: 401 },
    });
  });

  it('submits a software Sale order and issues its serial numbers', async () => {
    const created = await t.call('POST', '/v1.0/orders', { ...saleBody(), orderQuantity: 3 });
    const res = await t.call('PUT', `/v1.0/orders/${created.body.order._id}`, { orderStatus: 1 });
    expect(res.status).toBe(200);
    expect(res.body.order.status).toBe(1);
    const serials = t.server.ctx.db
      .prepare('SELECT serialstring FROM serial_numbers WHERE order_id = ?')
      .all(created.body.order._id) as { serialstring: string }[];
    expect(serials).toHaveLength(3);
    for (const s of serials) expect(s.serialstring).toMatch(/^[A-Za-z0-9]{6}(-[A-Za-z0-9]{6}){4}$/);
  });
});
