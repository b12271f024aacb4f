import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderSchema } from '../../shared/guardant/responses';
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

const saleBody = (over: Record<string, unknown> = {}) => ({
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
  ...over,
});

async function createOrder(over: Record<string, unknown> = {}) {
  const res = await t.call('POST', '/v1.0/orders', saleBody(over));
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.order as { _id: number; number: number; status: number };
}

function expectError(res: { status: number; body: any }, httpStatus: number, code: number) {
  expect(res.status, JSON.stringify(res.body)).toBe(httpStatus);
  expect(res.body.status).toMatchObject({ code, status: httpStatus, message: expect.any(String) });
  expect(res.body.status.description).toEqual(expect.any(String));
}

describe('creating orders', () => {
  it('creates a Sale order from the spec example and returns it with its customer', async () => {
    const res = await t.call('POST', '/v1.0/orders', saleBody());
    expect(res.status).toBe(200);
    expect(orderSchema.parse(res.body.order)).toMatchObject({
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
      customer: { _id: customerId, name: 'MyCostomer', email: 'cust@mail.com', phone: '123-12-12' },
    });
  });

  it('numbers orders sequentially, and a deleted draft does not give its number back', async () => {
    const a = await createOrder();
    const b = await createOrder();
    expect(b.number).toBe(a.number + 1);
    expect((await t.call('DELETE', `/v1.0/orders/${b._id}`)).status).toBe(200);
    const c = await createOrder();
    expect(c.number).toBe(b.number + 1);
  });

  it('leaves the customer out when none is named', async () => {
    const { customerId: _omit, ...body } = saleBody();
    const res = await t.call('POST', '/v1.0/orders', body);
    expect(res.status).toBe(200);
    expect(res.body.order.customer).toBeUndefined();
  });

  it('refuses an unknown customer with 10025', async () => {
    expectError(await t.call('POST', '/v1.0/orders', saleBody({ customerId: 999999 })), 404, 10025);
  });

  it('names the field for wrong types, missing fields, negatives and huge numbers', async () => {
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ orderQuantity: 'ten' }, /orderQuantity/],
      [{ orderQuantity: 0 }, /orderQuantity: must be at least 1/],
      [{ orderQuantity: -5 }, /orderQuantity/],
      [{ orderQuantity: 1e12 }, /orderQuantity/],
      [{ orderQuantity: 1.5 }, /orderQuantity/],
      [{ orderActivationLimit: -1 }, /orderActivationLimit/],
      [{ orderIsDemo: 'yes' }, /orderIsDemo/],
      [{ orderType: 7 }, /orderType/],
      [{ orderStatus: 2 }, /orderStatus/],
      [{ surprise: 1 }, /unknown field surprise/],
      [{ orderDescription: 'x'.repeat(1001) }, /orderDescription/],
    ];
    for (const [over, message] of cases) {
      const res = await t.call('POST', '/v1.0/orders', saleBody(over));
      expectError(res, 400, 10010);
      expect(res.body.status.description).toMatch(message);
    }
    const { orderType: _t, ...noType } = saleBody();
    expectError(await t.call('POST', '/v1.0/orders', noType), 400, 10010);
  });

  it('refuses a death date before the birth date', async () => {
    const res = await t.call(
      'POST',
      '/v1.0/orders',
      saleBody({ orderActivationBirthDate: 2000, orderActivationDeathDate: 1000 }),
    );
    expectError(res, 400, 10010);
  });

  it('stores SQL-looking text as text', async () => {
    const evil = "'); DROP TABLE orders; --";
    const order = await createOrder({ orderDescription: evil, crmId: '" OR 1=1 --' });
    const res = await t.call('GET', `/v1.0/orders/${order._id}`);
    expect(res.body.order.description).toBe(evil);
    expect(res.body.order.crmid).toBe('" OR 1=1 --');
    expect((await t.call('GET', '/v1.0/orders')).status).toBe(200);
  });

  it('accepts the spec misspelling customeRrequired', async () => {
    const order = await createOrder({ customerRequired: undefined, customeRrequired: true });
    expect((order as any).customerrequired).toBe(true);
  });
});

describe('Update orders', () => {
  it('needs a serial number, or isHardwareLicense with a dongleId', async () => {
    const res = await t.call('POST', '/v1.0/orders', { orderType: 1, orderDescription: 'no target' });
    expectError(res, 400, 10010);
    expect(res.body.status.description).toMatch(/serialNumber/);
    const hw = await t.call('POST', '/v1.0/orders', { orderType: 1, isHardwareLicense: true });
    expectError(hw, 400, 10010);
    expect(hw.body.status.description).toMatch(/dongleId/);
  });

  it('refuses an unknown serial number (10027) and an unknown key (10024)', async () => {
    expectError(
      await t.call('POST', '/v1.0/orders', {
        orderType: 1,
        serialNumber: '4uzFSk-ccyijp-SCDd4A-FMfezU-u7Rk6y',
      }),
      404,
      10027,
    );
    expectError(
      await t.call('POST', '/v1.0/orders', { orderType: 1, isHardwareLicense: true, dongleId: 343242234 }),
      404,
      10024,
    );
  });

  it('updates an issued serial number, inheriting its customer', async () => {
    const sale = await createOrder({ orderQuantity: 1, orderStatus: 1 });
    const serial = (
      t.server.ctx.db.prepare('SELECT serialstring FROM serial_numbers WHERE order_id = ?').get(sale._id) as {
        serialstring: string;
      }
    ).serialstring;
    const res = await t.call('POST', '/v1.0/orders', {
      orderActivationBirthDate: 1528911062,
      orderActivationDeathDate: 15210911062,
      orderCanOverwriteContainer: false,
      serialNumber: serial,
      orderDescription: 'Created by Postmam',
      orderType: 1,
      crmId: '',
      refId: '',
    });
    expect(res.status).toBe(200);
    expect(res.body.order).toMatchObject({
      type: 1,
      quantity: 1,
      activationlimit: 1,
      status: 0,
      serialnumber: serial,
      customer: { _id: customerId },
    });
    const change = await t.call('PUT', `/v1.0/orders/${res.body.order._id}`, { orderQuantity: 5 });
    expectError(change, 400, 10010);
  });
});

describe('changing and submitting orders', () => {
  it('changes a Draft with the spec example', async () => {
    const order = await createOrder();
    const res = await t.call('PUT', `/v1.0/orders/${order._id}`, {
      orderActivationBirthDate: 1528911062,
      orderActivationDeathDate: 15210911062,
      orderCanOverwriteContainer: false,
      customeRrequired: true,
      customerId,
      orderQuantity: 20,
      orderActivationLimit: 20,
      orderDescription: 'Created by Postmam',
      orderStatus: 0,
      orderIsDemo: false,
      isHardwareLicense: false,
      crmId: '',
      refId: '',
    });
    expect(res.status).toBe(200);
    expect(res.body.order).toMatchObject({ quantity: 20, activationlimit: 20, status: 0 });
  });

  it('submits a software Sale order and issues its serial numbers in the vendor form', async () => {
    const order = await createOrder({ orderQuantity: 3 });
    const res = await t.call('PUT', `/v1.0/orders/${order._id}`, { orderStatus: 1 });
    expect(res.status).toBe(200);
    expect(res.body.order.status).toBe(1);
    expect(res.body.order.submitdate).toBeGreaterThan(0);
    const serials = t.server.ctx.db
      .prepare('SELECT serialstring FROM serial_numbers WHERE order_id = ?')
      .all(order._id) as { serialstring: string }[];
    expect(serials).toHaveLength(3);
    for (const s of serials) expect(s.serialstring).toMatch(/^[A-Za-z0-9]{6}(-[A-Za-z0-9]{6}){4}$/);
  });

  it('freezes a Submitted order: edits and deletion are 10030, revoke and archive are allowed', async () => {
    const order = await createOrder({ orderStatus: 1, isHardwareLicense: true });
    expectError(
      await t.call('PUT', `/v1.0/orders/${order._id}`, { orderDescription: 'late edit' }),
      409,
      10030,
    );
    expectError(await t.call('DELETE', `/v1.0/orders/${order._id}`), 409, 10030);
    expectError(await t.call('PUT', `/v1.0/orders/${order._id}`, { orderStatus: 0 }), 409, 10030);
    const revoked = await t.call('PUT', `/v1.0/orders/${order._id}`, { orderStatus: 2 });
    expect(revoked.body.order.status).toBe(2);
    const archived = await t.call('PUT', `/v1.0/orders/${order._id}`, { orderStatus: 3 });
    expect(archived.body.order).toMatchObject({ status: 3, archived: true });
    expect(archived.body.order.archivationdate).toBeGreaterThan(0);
    expectError(await t.call('PUT', `/v1.0/orders/${order._id}`, { orderStatus: 1 }), 409, 10030);
  });

  it('does not revoke a Draft (delete it instead)', async () => {
    const order = await createOrder();
    expectError(await t.call('PUT', `/v1.0/orders/${order._id}`, { orderStatus: 2 }), 409, 10030);
  });

  it('answers 10021 for unknown orders and 10010 for ids that are not numbers', async () => {
    expectError(await t.call('GET', '/v1.0/orders/987654'), 404, 10021);
    expectError(await t.call('PUT', '/v1.0/orders/987654', { orderStatus: 1 }), 404, 10021);
    expectError(await t.call('DELETE', '/v1.0/orders/987654'), 404, 10021);
    expectError(await t.call('GET', '/v1.0/orders/abc'), 400, 10010);
    expectError(await t.call('GET', '/v1.0/orders/-1'), 400, 10010);
  });
});

describe('listing orders', () => {
  let fresh: TestServer;
  beforeAll(async () => {
    fresh = await startTestServer();
    let clock = 1_700_000_000;
    fresh.server.ctx.now = () => clock;
    // 25 orders: every 5th stays Draft, the rest are submitted at decreasing times.
    for (let i = 0; i < 25; i++) {
      const created = await fresh.call(
        'POST',
        '/v1.0/orders',
        saleBody({ customerId: undefined, orderQuantity: 1 }),
      );
      if (i % 5 !== 0) {
        clock = 1_700_000_000 + (100 - i) * 10;
        await fresh.call('PUT', `/v1.0/orders/${created.body.order._id}`, { orderStatus: 1 });
      }
    }
  });
  afterAll(() => fresh.close());

  const numbers = (res: { body: any }) => res.body.orders.map((o: { number: number }) => o.number);

  it('defaults to number ascending, 100 at most', async () => {
    const res = await fresh.call('GET', '/v1.0/orders');
    expect(numbers(res)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
  });

  it('pages with offset and limit, and past the end returns an empty list', async () => {
    expect(numbers(await fresh.call('GET', '/v1.0/orders?offset=10&limit=5'))).toEqual([11, 12, 13, 14, 15]);
    expect(numbers(await fresh.call('GET', '/v1.0/orders?offset=24&limit=5'))).toEqual([25]);
    expect(numbers(await fresh.call('GET', '/v1.0/orders?offset=25'))).toEqual([]);
    expect(numbers(await fresh.call('GET', '/v1.0/orders?sortby=number&direction=desc&limit=3'))).toEqual([
      25, 24, 23,
    ]);
  });

  it('sorts by submit date both ways', async () => {
    const asc = numbers(await fresh.call('GET', '/v1.0/orders?sortby=submitdate&status=1'));
    expect(asc.slice(0, 3)).toEqual([25, 24, 23]);
    const desc = numbers(await fresh.call('GET', '/v1.0/orders?sortby=submitdate&direction=desc&status=1'));
    expect(desc).toEqual([...asc].reverse());
  });

  it('filters by status list', async () => {
    const drafts = await fresh.call('GET', '/v1.0/orders?status=0');
    expect(numbers(drafts)).toEqual([1, 6, 11, 16, 21]);
    expect((await fresh.call('GET', '/v1.0/orders?status=0,1')).body.orders).toHaveLength(25);
    expect((await fresh.call('GET', '/v1.0/orders?status=2')).body.orders).toHaveLength(0);
  });

  it('rejects bad query parameters with 10013 and says which', async () => {
    for (const q of [
      'limit=0',
      'limit=1001',
      'limit=-1',
      'limit=abc',
      'offset=-5',
      'offset=1.5',
      'sortby=price',
      'direction=up',
      'status=9',
      'status=0,,1',
      'status=drop',
      'unknown=1',
    ]) {
      const res = await fresh.call('GET', `/v1.0/orders?${q}`);
      expectError(res, 400, 10013);
      expect(res.body.status.description).toMatch(new RegExp(q.split('=')[0]!));
    }
  });

  it('accepts the largest page, 1000', async () => {
    expect((await fresh.call('GET', '/v1.0/orders?limit=1000')).status).toBe(200);
  });

  it('searches by number or customer name (extension q)', async () => {
    expect(numbers(await fresh.call('GET', '/v1.0/orders?q=21'))).toEqual([21]);
    expect(numbers(await fresh.call('GET', '/v1.0/orders?q=%25'))).toHaveLength(25);
  });

  it('refuses control characters in q (10013) instead of matching everything', async () => {
    // SQLite reads a LIKE pattern only up to a NUL: '%\0zzzz%' listed every order.
    for (const q of ['%00zzzz', '%00', 'zz%00zz', '%01', '%0A21', '%7F']) {
      const res = await fresh.call('GET', `/v1.0/orders?q=${q}`);
      expect([q, res.status, res.body.status?.code]).toEqual([q, 400, 10013]);
      expect(res.body.status.description).toMatch(/q: must not contain control characters/);
    }
  });
});

describe('restart', () => {
  it('keeps orders and numbering across a restart', async () => {
    const before = await createOrder({ orderDescription: 'survives restart' });
    await t.restart();
    const res = await t.call('GET', `/v1.0/orders/${before._id}`);
    expect(res.body.order.description).toBe('survives restart');
    const after = await createOrder();
    expect(after.number).toBe(before.number + 1);
  });
});
