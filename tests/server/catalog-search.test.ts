import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCustomer, addProduct, type CreatedProduct } from '../../server/store/catalog-writer';
import { startTestServer, type TestServer } from '../support/server-harness';

const BINDING = {
  CAN_REPLACE_CPU: false,
  CAN_REPLACE_DVD: false,
  CAN_REPLACE_HDD: false,
  CAN_REPLACE_MAC: false,
  CAN_REPLACE_MOTHERBOARD: false,
  CAN_REPLACE_OS: false,
  CPU: true,
  DVD: false,
  HDD: true,
  MAC: true,
  MOTHERBOARD: true,
  OS: false,
};
const PUBKEY =
  '61 78 04 38 6F CC 61 9A E3 38 C6 11 12 8A 95 7B B0 A6 1B 41 E4 8D 17 B6 6F AE 1F 03 91 9A 68 88 B7 9A 8E 55 34 57 C4 58';
/** The key of the reference's order sample; -1359759134 is a key id as some tools print it, signed. */
const KEY_A = 991846791;
const KEY_SIGNED = -1359759134;
const KEY_B = KEY_SIGNED >>> 0;

let t: TestServer;
let ice: number;
let other: number;
/** The reference's search sample: product 45369 "mem_pr" with feature 12274 and memory item500. */
let memPr: CreatedProduct;
let firmware: CreatedProduct;

interface Order {
  _id: number;
  number: number;
}
/** Software orders: ice buys mem_pr (2 serials), the other customer buys firmware (1 serial). */
let iceOrder: Order;
let otherOrder: Order;
/** A hardware order of ice's with firmware, written to two keys. */
let hardwareOrder: Order;
let serials: Record<number, string[]>;

async function createOrder(
  body: Record<string, unknown>,
  products: number[],
  server: TestServer = t,
): Promise<Order> {
  const res = await server.call('POST', '/v1.0/orders', { orderType: 0, ...body });
  expect(res.status).toBe(200);
  const order = res.body.order as Order;
  for (const pid of products) {
    expect((await server.call('POST', `/v1.0/orders/${order._id}/products/${pid}`)).status).toBe(200);
  }
  return order;
}

const submit = async (id: number, server: TestServer = t) =>
  expect((await server.call('PUT', `/v1.0/orders/${id}`, { orderStatus: 1 })).body.order.status).toBe(1);

const search = (body: unknown, server: TestServer = t) => server.call('POST', '/v1.0/search/license', body);
const serialsOf = (res: { body: any }): string[] =>
  res.body.serialnumbers.map((s: { serialstring: string }) => s.serialstring).sort();
const keysOf = (res: { body: any }): number[] =>
  res.body.dongles.map((d: { dongleid: number }) => d.dongleid).sort();

beforeAll(async () => {
  t = await startTestServer();
  const db = t.server.ctx.db;
  ice = addCustomer(db, {
    name: 'ice',
    lastname: 'cream',
    companyname: 'baskin&robings',
    email: 'dfgsfg@dfg-df.com',
    phone: '+349534534534',
  });
  other = addCustomer(db, { name: 'Other', companyname: 'Other Ltd' });
  memPr = addProduct(db, {
    productnumber: 45369,
    name: 'mem_pr',
    binding: BINDING,
    features: [{ featurenumber: 12274, name: 'f12274', description: 'f12274', pubkey: PUBKEY }],
    memoryitems: [
      {
        name: 'item500',
        aliasid: 500,
        params: [{ name: '123456', size: 4, datatype: 1, data: Buffer.from('AAHiQA==', 'base64') }],
      },
    ],
  });
  firmware = addProduct(db, {
    productnumber: 778,
    name: 'test_firmware_product778',
    features: [{ featurenumber: 4, name: 'f4', netlicensescount: 2 }],
  });

  iceOrder = await createOrder({ customerId: ice, orderQuantity: 2, orderActivationLimit: 3 }, [memPr._id]);
  // The order's own memory data, not the catalog default, must be what search shows.
  const item = db.prepare('SELECT _id FROM memory_items WHERE product_id = ?').get(memPr._id) as {
    _id: number;
  };
  const param = memPr.params['item500.123456']!;
  const put = await t.call(
    'PUT',
    `/v1.0/orders/${iceOrder._id}/products/${memPr._id}/memoryitems/${item._id}/params/${param}`,
    {
      data: 'AAHiQQ==',
    },
  );
  expect(put.status).toBe(200);
  await submit(iceOrder._id);
  otherOrder = await createOrder({ customerId: other, orderQuantity: 1 }, [firmware._id]);
  await submit(otherOrder._id);
  hardwareOrder = await createOrder({ customerId: ice, isHardwareLicense: true, orderQuantity: 2 }, [
    firmware._id,
  ]);
  await submit(hardwareOrder._id);
  // Keys enter an order through the dongle endpoints; written directly so this file tests search alone.
  const insertKey = db.prepare(
    'INSERT INTO dongles (dongleid, model, publiccode, typeflags, netresource) VALUES (?, 2, 1368487351, 442, 5)',
  );
  const addKey = db.prepare('INSERT INTO order_dongles (order_id, dongleid, added_at) VALUES (?, ?, 0)');
  for (const k of [KEY_A, KEY_B]) {
    insertKey.run(k);
    addKey.run(hardwareOrder._id, k);
  }
  insertKey.run(123456); // known to the server, in no order

  serials = {};
  for (const o of [iceOrder, otherOrder]) {
    serials[o._id] = (
      db
        .prepare('SELECT serialstring FROM serial_numbers WHERE order_id = ? ORDER BY serialstring')
        .all(o._id) as {
        serialstring: string;
      }[]
    ).map((r) => r.serialstring);
  }
});
afterAll(() => t.close());

describe('GET /v1.0/products (catalog extension)', () => {
  it('lists every product with binding, memory and default licences, and no order licence', async () => {
    const res = await t.call('GET', '/v1.0/products');
    expect(res.status).toBe(200);
    expect(res.body.products.map((p: any) => [p.productnumber, p.name])).toEqual([
      [778, 'test_firmware_product778'],
      [45369, 'mem_pr'],
    ]);
    const mem = res.body.products[1];
    expect(mem).toMatchObject({
      _id: memPr._id,
      accesscode_id: -1,
      archived: false,
      binding: BINDING,
      status: 1,
      memoryitems: [
        {
          name: 'item500',
          aliasid: 500,
          totalparams_size: 4,
          params: [
            { _id: memPr.params['item500.123456'], name: '123456', data: 'AAHiQA==', datatype: 1, size: 4 },
          ],
        },
      ],
    });
    expect(mem.featuresWithLicenses).toEqual([
      {
        _id: memPr.features[12274],
        archivationdate: 0,
        archived: false,
        crmid: '',
        defaultLicense: {
          canexclude: true,
          canmodify: true,
          consumptionmode: 0,
          flags: 0,
          isremote: false,
          licensingmodel: 1,
          netlicensescount: 0,
          rentbegindate: 0,
          rentdayscount: 0,
          rentenddate: 0,
          runcounter: 0,
        },
        description: 'f12274',
        featurenumber: 12274,
        pubkey: PUBKEY,
        name: 'f12274',
        refid: '',
      },
    ]);
    // A product stored without binding answers an empty object, not a string.
    expect(res.body.products[0].binding).toEqual({});
  });

  it('requires the Bearer token', async () => {
    const res = await t.call('GET', '/v1.0/products', undefined, { token: null });
    expect(res.status).toBe(401);
    expect(res.body.status.code).toBe(10001);
  });
});

describe('POST /v1.0/search/license', () => {
  it('finds a serial number by part of its string, shaped like the reference sample', async () => {
    const serial = serials[iceOrder._id]![0]!;
    const res = await search({ keySearchValue: serial.split('-')[1] });
    expect(res.status).toBe(200);
    expect(res.body.dongles).toEqual([]);
    expect(serialsOf(res)).toContain(serial);
    const found = res.body.serialnumbers.find((s: any) => s.serialstring === serial);
    const memoryitem = {
      name: 'item500',
      aliasid: 500,
      draft: false,
      totalparams_size: 4,
      params: [{ name: '123456', data: 'AAHiQQ==', datatype: 1, editallowed: true, offset: 0, size: 4 }],
    };
    expect(found).toMatchObject({
      activationcount: 0,
      activationlimit: 3,
      licensecontainerversion: 0,
      status: 0,
      customer: { _id: ice, name: 'ice', lastname: 'cream', companyname: 'baskin&robings', archived: false },
      memoryitems: [memoryitem],
      products: [
        {
          _id: memPr._id,
          productnumber: 45369,
          name: 'mem_pr',
          binding: BINDING,
          memoryitems: [memoryitem],
          featuresWithLicenses: [
            {
              featurenumber: 12274,
              defaultLicense: { canexclude: true, canmodify: true, licensingmodel: 1 },
              license: { isExcluded: 0, licensingmodel: 1, netlicensescount: 0 },
            },
          ],
        },
      ],
    });
  });

  it('matches serial strings regardless of letter case', async () => {
    const serial = serials[otherOrder._id]![0]!;
    const group = serial.split('-')[2]!;
    const swapped = [...group]
      .map((c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase()))
      .join('');
    expect(serialsOf(await search({ keySearchValue: swapped }))).toContain(serial);
  });

  it('finds a key by its id, unsigned or signed, and nothing else', async () => {
    const unsigned = await search({ keySearchValue: String(KEY_B) });
    expect(unsigned.body).toEqual({
      serialnumbers: [],
      dongles: [{ dongleid: KEY_B, model: 2, netresource: 5, publiccode: 1368487351, typeflags: 442 }],
    });
    const signed = await search({ keySearchValue: String(KEY_SIGNED) });
    expect(signed.body).toEqual(unsigned.body);
    // A key id is matched whole: a part of it finds no key.
    expect(keysOf(await search({ keySearchValue: String(KEY_A).slice(0, 5) }))).toEqual([]);
  });

  it('finds everything of a customer by clientId', async () => {
    const res = await search({ clientId: ice });
    expect(serialsOf(res)).toEqual(serials[iceOrder._id]);
    expect(keysOf(res)).toEqual([KEY_A, KEY_B].sort());
    expect(serialsOf(await search({ clientId: other }))).toEqual(serials[otherOrder._id]);
  });

  it('finds by productId, given as a number or a string', async () => {
    const asNumber = await search({ productId: firmware._id });
    expect(serialsOf(asNumber)).toEqual(serials[otherOrder._id]);
    expect(keysOf(asNumber)).toEqual([KEY_A, KEY_B].sort());
    const asString = await search({ productId: String(memPr._id) });
    expect(serialsOf(asString)).toEqual(serials[iceOrder._id]);
    expect(asString.body.dongles).toEqual([]);
  });

  it('finds by orderNumber, given as a string as in the reference example', async () => {
    const res = await search({ orderNumber: String(iceOrder.number) });
    expect(serialsOf(res)).toEqual(serials[iceOrder._id]);
    const hw = await search({ orderNumber: hardwareOrder.number });
    expect(hw.body.serialnumbers).toEqual([]);
    expect(keysOf(hw)).toEqual([KEY_A, KEY_B].sort());
  });

  it('ANDs the filters: each must hold for the same order', async () => {
    const both = await search({ clientId: ice, productId: firmware._id });
    expect(both.body.serialnumbers).toEqual([]); // ice's firmware order is hardware
    expect(keysOf(both)).toEqual([KEY_A, KEY_B].sort());
    const mismatch = await search({ clientId: other, orderNumber: iceOrder.number });
    expect(mismatch.body).toEqual({ serialnumbers: [], dongles: [] });
    const keyAndClient = await search({ keySearchValue: String(KEY_A), clientId: other });
    expect(keyAndClient.body.dongles).toEqual([]);
    const keyAndOrder = await search({ keySearchValue: String(KEY_A), orderNumber: hardwareOrder.number });
    expect(keysOf(keyAndOrder)).toEqual([KEY_A]);
    const serial = serials[iceOrder._id]![1]!;
    const serialAndOrder = await search({ keySearchValue: serial, orderNumber: otherOrder.number });
    expect(serialAndOrder.body.serialnumbers).toEqual([]);
  });

  it('finds a key that is in no order by its id alone', async () => {
    expect(keysOf(await search({ keySearchValue: '123456' }))).toEqual([123456]);
  });

  it('treats SQL and LIKE wildcards in the search value as plain text', async () => {
    for (const keySearchValue of ["' OR 1=1 --", '%', '_', '%%', '\\', '" OR ""="', '1; DROP TABLE orders']) {
      const res = await search({ keySearchValue });
      expect([keySearchValue, res.status, res.body]).toEqual([
        keySearchValue,
        200,
        { serialnumbers: [], dongles: [] },
      ]);
    }
    expect((await t.call('GET', `/v1.0/orders/${iceOrder._id}`)).status).toBe(200);
  });

  it('refuses a search without any filter (10010): it would answer the whole database', async () => {
    for (const body of [{}, { keySearchValue: '' }, { keySearchValue: '   ' }]) {
      const res = await search(body);
      expect(res.status).toBe(400);
      expect(res.body.status.code).toBe(10010);
    }
  });

  it('refuses control characters in the search value (10010) instead of matching everything', async () => {
    // SQLite reads a LIKE pattern only up to a NUL: '%\0zzzz%' was '%', every serial number, and a
    // bare NUL passed the "no filter" guard.
    for (const keySearchValue of ['\u0000zzzz', '\u0000', 'ab\u0000', '\u0001', 'a\tb', '\u007f']) {
      const res = await search({ keySearchValue });
      expect([JSON.stringify(keySearchValue), res.status, res.body.status?.code]).toEqual([
        JSON.stringify(keySearchValue),
        400,
        10010,
      ]);
      expect(res.body.status.description).toMatch(/keySearchValue: must not contain control characters/);
    }
  });

  it('refuses unknown fields and ids that are not numbers (10010)', async () => {
    expect((await search({ customerId: ice })).body.status.code).toBe(10010);
    expect((await search({ clientId: 'ice' })).body.status.code).toBe(10010);
    expect((await search({ orderNumber: 1.5 })).body.status.code).toBe(10010);
  });

  it('answers at most 100 serial numbers', async () => {
    // On a server of its own: 150 more serials of `other`'s firmware would change what the searches
    // above find, in whichever order the tests run.
    const own = await startTestServer();
    try {
      const db = own.server.ctx.db;
      const customer = addCustomer(db, { name: 'Other', companyname: 'Other Ltd' });
      const product = addProduct(db, {
        productnumber: 778,
        name: 'test_firmware_product778',
        features: [{ featurenumber: 4, name: 'f4', netlicensescount: 2 }],
      });
      const big = await createOrder({ customerId: customer, orderQuantity: 150 }, [product._id], own);
      await submit(big._id, own);
      const res = await search({ orderNumber: big.number }, own);
      expect(res.body.serialnumbers).toHaveLength(100);
      expect(res.body.serialnumbers[0].products[0].productnumber).toBe(778);
    } finally {
      await own.close();
    }
  });
});
