import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCustomer, addProduct, type CreatedProduct } from '../../server/store/catalog-writer';
import { productsOfOrder } from '../../server/store/product-reader';
import { startTestServer, type TestServer } from '../support/server-harness';

const PUBKEY =
  'F9 E5 EC 6B 52 54 BC 80 45 7D 49 BB F0 61 F9 F2 EC AA 9F 63 79 32 0A B6 77 44 8A E7 16 AC C1 82 8A 14 73 1E 56 B6 EF 53';

let t: TestServer;
let customerId: number;
/** The reference's GET features sample: f4 may be neither modified nor excluded, feature 8 may be both. */
let firmware: CreatedProduct;
let other: CreatedProduct;

beforeAll(async () => {
  t = await startTestServer();
  const db = t.server.ctx.db;
  customerId = addCustomer(db, { name: 'ice', lastname: 'cream', companyname: 'baskin&robings' });
  firmware = addProduct(db, {
    productnumber: 778,
    name: 'test_firmware_product778',
    description: 'test_firmware_product778',
    binding: { CPU: true, HDD: true, MAC: true, OS: false },
    features: [
      {
        featurenumber: 4,
        name: 'f4',
        description: 'f4',
        pubkey: PUBKEY,
        canexclude: false,
        canmodify: false,
        flags: 4,
        licensingmodel: 2,
        rentbegindate: 1565273129,
        rentenddate: 1596895529,
      },
      {
        featurenumber: 8,
        name: ',PostMan',
        description: 'Created by postMan',
        pubkey: PUBKEY,
        flags: 4,
        isremote: true,
        licensingmodel: 1,
        netlicensescount: 11,
      },
    ],
    memoryitems: [
      {
        name: 'item500',
        aliasid: 500,
        params: [
          { name: 'param1', description: 'param1', size: 10, offset: 20 },
          { name: 'serial', size: 4, offset: 30, editallowed: false, data: Buffer.from([1, 2, 3, 4]) },
        ],
      },
    ],
  });
  other = addProduct(db, {
    productnumber: 45369,
    name: 'mem_pr',
    features: [{ featurenumber: 12274, name: 'f12274' }],
    memoryitems: [
      { name: 'item600', params: [{ name: '123456', size: 4, data: Buffer.from('AAHiQA==', 'base64') }] },
    ],
  });
});
afterAll(() => t.close());

async function draftOrder(): Promise<number> {
  const res = await t.call('POST', '/v1.0/orders', { customerId, orderType: 0, orderQuantity: 1 });
  expect(res.status).toBe(200);
  return res.body.order._id;
}

async function draftWithFirmware(): Promise<number> {
  const id = await draftOrder();
  expect((await t.call('POST', `/v1.0/orders/${id}/products/${firmware._id}`)).status).toBe(200);
  return id;
}

const f4 = () => firmware.features[4]!;
const f8 = () => firmware.features[8]!;
const param1 = () => firmware.params['item500.param1']!;
const item500 = () =>
  (
    t.server.ctx.db.prepare('SELECT memoryitem_id FROM memory_params WHERE _id = ?').get(param1()) as {
      memoryitem_id: number;
    }
  ).memoryitem_id;
const paramPath = (order: number, paramId = param1(), itemId = item500(), productId = firmware._id) =>
  `/v1.0/orders/${order}/products/${productId}/memoryitems/${itemId}/params/${paramId}`;

/** The two features of the reference's GET features sample, as this catalog defines them. */
const sampleFeature4 = () => ({
  _id: f4(),
  archivationdate: 0,
  archived: false,
  crmid: '',
  defaultLicense: {
    canexclude: false,
    canmodify: false,
    consumptionmode: 0,
    flags: 4,
    isremote: false,
    licensingmodel: 2,
    netlicensescount: 0,
    rentbegindate: 1565273129,
    rentdayscount: 0,
    rentenddate: 1596895529,
    runcounter: 0,
  },
  description: 'f4',
  featurenumber: 4,
  pubkey: PUBKEY,
  license: {
    consumptionmode: 0,
    flags: 4,
    isExcluded: 0,
    isremote: false,
    licensingmodel: 2,
    netlicensescount: 0,
    rentbegindate: 1565273129,
    rentdayscount: 0,
    rentenddate: 1596895529,
    runcounter: 0,
  },
  name: 'f4',
  refid: '',
});
const sampleFeature8 = (isExcluded: 0 | 1) => ({
  _id: f8(),
  archivationdate: 0,
  archived: false,
  crmid: '',
  defaultLicense: {
    canexclude: true,
    canmodify: true,
    consumptionmode: 0,
    flags: 4,
    isremote: true,
    licensingmodel: 1,
    netlicensescount: 11,
    rentbegindate: 0,
    rentdayscount: 0,
    rentenddate: 0,
    runcounter: 0,
  },
  description: 'Created by postMan',
  featurenumber: 8,
  pubkey: PUBKEY,
  license: {
    consumptionmode: 0,
    flags: 4,
    isExcluded,
    isremote: true,
    licensingmodel: 1,
    netlicensescount: 11,
    rentbegindate: 0,
    rentdayscount: 0,
    rentenddate: 0,
    runcounter: 0,
  },
  name: ',PostMan',
  refid: '',
});

/** The reference's PUT .../features/{fid} sample body and its answer. */
const sampleTerms = {
  licensingmodel: 4,
  licenseRentBeginDate: 0,
  licenseRentEndDate: 0,
  licenseRentDaysCount: 55,
  licenseNetLicenseCount: 12,
  consumptionmode: 0,
  flags: 0,
  licenseRuncounter: 0,
  isRemote: true,
};
const sampleLicense = {
  consumptionmode: 0,
  flags: 0,
  netlicensescount: 12,
  rentbegindate: 0,
  rentdayscount: 55,
  rentenddate: 0,
  runcounter: 0,
  licensingmodel: 4,
  isremote: true,
};

const code = (res: { body: any }) => res.body?.status?.code;

describe('adding and removing products', () => {
  it('adds a product with every feature included on its default licence, as GET features lists it', async () => {
    const id = await draftOrder();
    const added = await t.call('POST', `/v1.0/orders/${id}/products/${firmware._id}`);
    expect(added.status).toBe(200);
    expect(added.body).toEqual({ features: [sampleFeature4(), sampleFeature8(0)] });

    const listed = await t.call('GET', `/v1.0/orders/${id}/products/${firmware._id}/features`);
    expect(listed.status).toBe(200);
    expect(listed.body).toEqual(added.body);
  });

  it('refuses to add the same product twice (10037)', async () => {
    const id = await draftWithFirmware();
    const again = await t.call('POST', `/v1.0/orders/${id}/products/${firmware._id}`);
    expect(again.status).toBe(409);
    expect(code(again)).toBe(10037);
  });

  it('answers 10022 for a product the catalog does not have and 10021 for a missing order', async () => {
    const id = await draftOrder();
    const noProduct = await t.call('POST', `/v1.0/orders/${id}/products/999999`);
    expect(noProduct.status).toBe(404);
    expect(code(noProduct)).toBe(10022);
    const noOrder = await t.call('POST', `/v1.0/orders/999999/products/${firmware._id}`);
    expect(noOrder.status).toBe(404);
    expect(code(noOrder)).toBe(10021);
  });

  it('removes a product with its licences; removing it again is 10038', async () => {
    const id = await draftWithFirmware();
    const removed = await t.call('DELETE', `/v1.0/orders/${id}/products/${firmware._id}`);
    expect(removed.status).toBe(200);
    expect(removed.body.status.code).toBe(0);
    const listed = await t.call('GET', `/v1.0/orders/${id}/products/${firmware._id}/features`);
    expect(code(listed)).toBe(10038);
    const again = await t.call('DELETE', `/v1.0/orders/${id}/products/${firmware._id}`);
    expect(again.status).toBe(404);
    expect(code(again)).toBe(10038);
    const rows = t.server.ctx.db
      .prepare('SELECT COUNT(*) AS n FROM order_features WHERE order_id = ?')
      .get(id);
    expect(rows).toEqual({ n: 0 });
  });

  it('can add the product again after removing it, on fresh default terms', async () => {
    const id = await draftWithFirmware();
    await t.call('PUT', `/v1.0/orders/${id}/products/${firmware._id}/features/${f8()}`, sampleTerms);
    await t.call('DELETE', `/v1.0/orders/${id}/products/${firmware._id}`);
    const added = await t.call('POST', `/v1.0/orders/${id}/products/${firmware._id}`);
    expect(added.status).toBe(200);
    expect(added.body.features[1]).toEqual(sampleFeature8(0));
  });
});

describe('including and excluding features', () => {
  it('excludes a feature through the reference spelling .../features{fid} and re-includes it', async () => {
    const id = await draftWithFirmware();
    const base = `/v1.0/orders/${id}/products/${firmware._id}`;
    const excluded = await t.call('DELETE', `${base}/features${f8()}`);
    expect(excluded.status).toBe(200);
    expect(excluded.body.status.code).toBe(0);
    const listed = await t.call('GET', `${base}/features`);
    expect(listed.body.features).toEqual([sampleFeature4(), sampleFeature8(1)]);

    const included = await t.call('POST', `${base}/features${f8()}`);
    expect(included.status).toBe(200);
    expect(included.body).toEqual({ license: { ...sampleFeature8(0).license } });
  });

  it('answers the same on the slash spelling .../features/{fid}', async () => {
    const id = await draftWithFirmware();
    const base = `/v1.0/orders/${id}/products/${firmware._id}`;
    expect((await t.call('DELETE', `${base}/features/${f8()}`)).status).toBe(200);
    expect((await t.call('GET', `${base}/features`)).body.features[1].license.isExcluded).toBe(1);
    const included = await t.call('POST', `${base}/features/${f8()}`);
    expect(included.body.license.isExcluded).toBe(0);
  });

  it('refuses to exclude a feature whose default licence cannot be excluded (10039)', async () => {
    const id = await draftWithFirmware();
    const base = `/v1.0/orders/${id}/products/${firmware._id}`;
    const res = await t.call('DELETE', `${base}/features${f4()}`);
    expect(res.status).toBe(409);
    expect(code(res)).toBe(10039);
    expect((await t.call('GET', `${base}/features`)).body.features[0].license.isExcluded).toBe(0);
  });

  it('answers 10023 for a feature of another product and 10038 for a product not in the order', async () => {
    const id = await draftWithFirmware();
    const foreign = await t.call(
      'POST',
      `/v1.0/orders/${id}/products/${firmware._id}/features/${other.features[12274]}`,
    );
    expect(foreign.status).toBe(404);
    expect(code(foreign)).toBe(10023);
    const notAdded = await t.call(
      'POST',
      `/v1.0/orders/${id}/products/${other._id}/features/${other.features[12274]}`,
    );
    expect(notAdded.status).toBe(404);
    expect(code(notAdded)).toBe(10038);
  });

  it('answers 10010, not a crash, when the feature id is missing or not a number', async () => {
    const id = await draftWithFirmware();
    const missing = await t.call('POST', `/v1.0/orders/${id}/products/${firmware._id}/features`);
    expect(missing.status).toBe(400);
    expect(code(missing)).toBe(10010);
    const word = await t.call('DELETE', `/v1.0/orders/${id}/products/${firmware._id}/featuresabc`);
    expect(code(word)).toBe(10010);
  });
});

describe('changing licence terms', () => {
  it('applies the reference example body and answers its licence on both spellings', async () => {
    const id = await draftWithFirmware();
    const base = `/v1.0/orders/${id}/products/${firmware._id}`;
    const res = await t.call('PUT', `${base}/features/${f8()}`, sampleTerms);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ license: { ...sampleLicense, isExcluded: 0 } });

    const typo = await t.call('PUT', `${base}/features${f8()}`, { licenseRentDaysCount: 30 });
    expect(typo.body.license).toEqual({ ...sampleLicense, rentdayscount: 30, isExcluded: 0 });

    const listed = await t.call('GET', `${base}/features`);
    expect(listed.body.features[1].license).toEqual({ ...sampleLicense, rentdayscount: 30, isExcluded: 0 });
    // The catalog's default is untouched.
    expect(listed.body.features[1].defaultLicense).toEqual(sampleFeature8(0).defaultLicense);
  });

  it('refuses to change the terms of a feature that cannot be modified (10034)', async () => {
    const id = await draftWithFirmware();
    const res = await t.call(
      'PUT',
      `/v1.0/orders/${id}/products/${firmware._id}/features/${f4()}`,
      sampleTerms,
    );
    expect(res.status).toBe(409);
    expect(code(res)).toBe(10034);
    expect(res.body.status.description).toMatch(/licensingmodel/);
  });

  it('accepts a body that repeats the current terms of an unmodifiable feature', async () => {
    const id = await draftWithFirmware();
    const res = await t.call('PUT', `/v1.0/orders/${id}/products/${firmware._id}/features/${f4()}`, {
      licensingmodel: 2,
      flags: 4,
      licenseRentBeginDate: 1565273129,
      licenseRentEndDate: 1596895529,
      isExcluded: false,
    });
    expect(res.status).toBe(200);
    expect(res.body.license).toEqual(sampleFeature4().license);
  });

  it('flips isExcluded through the body, within canexclude', async () => {
    const id = await draftWithFirmware();
    const base = `/v1.0/orders/${id}/products/${firmware._id}`;
    const out = await t.call('PUT', `${base}/features/${f8()}`, { isExcluded: true });
    expect(out.body.license.isExcluded).toBe(1);
    const locked = await t.call('PUT', `${base}/features/${f4()}`, { isExcluded: true });
    expect(code(locked)).toBe(10039);
  });

  it('refuses a rent end before the rent begin (10010) and leaves the terms as they were', async () => {
    const id = await draftWithFirmware();
    const base = `/v1.0/orders/${id}/products/${firmware._id}`;
    const res = await t.call('PUT', `${base}/features/${f8()}`, {
      licenseRentBeginDate: 1600000000,
      licenseRentEndDate: 1500000000,
    });
    expect(res.status).toBe(400);
    expect(code(res)).toBe(10010);
    expect((await t.call('GET', `${base}/features`)).body.features[1].license.rentbegindate).toBe(0);
  });

  it('refuses an unknown or mistyped field (10010)', async () => {
    const id = await draftWithFirmware();
    const res = await t.call('PUT', `/v1.0/orders/${id}/products/${firmware._id}/features/${f8()}`, {
      licenseNetLicensesCount: 3,
    });
    expect(code(res)).toBe(10010);
    expect(res.body.status.description).toMatch(/licenseNetLicensesCount/);
  });
});

describe('memory params', () => {
  it('stores the reference example "AdaFFFlgYWJj==" and answers its param sample', async () => {
    const id = await draftWithFirmware();
    const res = await t.call('PUT', paramPath(id), { data: 'AdaFFFlgYWJj==' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      param: {
        _id: param1(),
        data: 'AdaFFFlgYWJj',
        description: 'param1',
        editallowed: true,
        name: 'param1',
        offset: 20,
        size: 10,
      },
    });
  });

  it('accepts data filling the param exactly, unpadded base64, and empty data', async () => {
    const id = await draftWithFirmware();
    const full = await t.call('PUT', paramPath(id), { data: Buffer.alloc(10, 0xff).toString('base64') });
    expect(full.body.param.data).toBe('/////////////w==');
    const unpadded = await t.call('PUT', paramPath(id), { data: 'AAHiQA' });
    expect(unpadded.body.param.data).toBe('AAHiQA==');
    const empty = await t.call('PUT', paramPath(id), { data: '' });
    expect(empty.status).toBe(200);
    expect(empty.body.param.data).toBe('');
  });

  it('refuses data longer than the param (10036)', async () => {
    const id = await draftWithFirmware();
    const res = await t.call('PUT', paramPath(id), { data: Buffer.alloc(11).toString('base64') });
    expect(res.status).toBe(400);
    expect(code(res)).toBe(10036);
    expect(res.body.status.description).toMatch(/11 bytes/);
  });

  it('refuses text that is not base64 (10010)', async () => {
    const id = await draftWithFirmware();
    for (const data of ['A', 'AAAAA', 'AB=C', 'AAHi QA==', 'AAHi-A__', 'AA===']) {
      const res = await t.call('PUT', paramPath(id), { data });
      expect([data, code(res)]).toEqual([data, 10010]);
    }
  });

  it('refuses a param that is not editable (10035)', async () => {
    const id = await draftWithFirmware();
    const res = await t.call('PUT', paramPath(id, firmware.params['item500.serial']), { data: 'AAAAAA==' });
    expect(res.status).toBe(409);
    expect(code(res)).toBe(10035);
  });

  it('answers 10026 for a param of another memory item or product, or none at all', async () => {
    const id = await draftWithFirmware();
    const foreign = await t.call('PUT', paramPath(id, other.params['item600.123456']), { data: 'AA==' });
    expect(foreign.status).toBe(404);
    expect(code(foreign)).toBe(10026);
    const wrongItem = await t.call('PUT', paramPath(id, param1(), item500() + 1000), { data: 'AA==' });
    expect(code(wrongItem)).toBe(10026);
    const none = await t.call('PUT', paramPath(id, 999999), { data: 'AA==' });
    expect(code(none)).toBe(10026);
  });
});

describe('order status', () => {
  it('refuses every edit once the order is submitted (10030), but still lists the features', async () => {
    const id = await draftWithFirmware();
    const submitted = await t.call('PUT', `/v1.0/orders/${id}`, { orderStatus: 1 });
    expect(submitted.body.order.status).toBe(1);
    const base = `/v1.0/orders/${id}/products/${firmware._id}`;
    const edits: [string, string, unknown?][] = [
      ['POST', `/v1.0/orders/${id}/products/${other._id}`],
      ['DELETE', base],
      ['DELETE', `${base}/features${f8()}`],
      ['POST', `${base}/features/${f8()}`],
      ['PUT', `${base}/features/${f8()}`, sampleTerms],
      ['PUT', paramPath(id), { data: 'AA==' }],
    ];
    for (const [method, path, body] of edits) {
      const res = await t.call(method, path, body);
      expect([method, path, res.status, code(res)]).toEqual([method, path, 409, 10030]);
    }
    const listed = await t.call('GET', `${base}/features`);
    expect(listed.status).toBe(200);
    expect(listed.body.features).toEqual([sampleFeature4(), sampleFeature8(0)]);
  });
});

describe('productsOfOrder and restarts', () => {
  it("reads the order's products with its own licences and memory data, and keeps them across a restart", async () => {
    const id = await draftWithFirmware();
    const base = `/v1.0/orders/${id}/products/${firmware._id}`;
    await t.call('PUT', `${base}/features/${f8()}`, sampleTerms);
    await t.call('PUT', paramPath(id), { data: 'AdaFFFlgYWJj' });
    await t.call('POST', `/v1.0/orders/${id}/products/${other._id}`);
    await t.call('DELETE', `/v1.0/orders/${id}/products/${other._id}/features/${other.features[12274]}`);

    await t.restart();

    const listed = await t.call('GET', `${base}/features`);
    expect(listed.body.features[1].license).toEqual({ ...sampleLicense, isExcluded: 0 });

    const products = productsOfOrder(t.server.ctx.db, id);
    expect(products.map((p) => p.productnumber)).toEqual([778, 45369]);
    const [fw, mem] = products;
    expect(fw!.binding).toEqual({ CPU: true, HDD: true, MAC: true, OS: false });
    expect(fw!.featuresWithLicenses!.map((f) => f.license)).toEqual([
      sampleFeature4().license,
      { ...sampleLicense, isExcluded: 0 },
    ]);
    expect(fw!.memoryitems).toEqual([
      expect.objectContaining({
        name: 'item500',
        aliasid: 500,
        totalparams_size: 14,
        params: [
          expect.objectContaining({ name: 'param1', data: 'AdaFFFlgYWJj', size: 10, offset: 20 }),
          expect.objectContaining({ name: 'serial', data: 'AQIDBA==', editallowed: false }),
        ],
      }),
    ]);
    expect(mem!.featuresWithLicenses![0]!.license!.isExcluded).toBe(1);
    expect(mem!.memoryitems![0]!.params[0]!.data).toBe('AAHiQA==');
  });

  it('reads an order without products as an empty list', async () => {
    const id = await draftOrder();
    expect(productsOfOrder(t.server.ctx.db, id)).toEqual([]);
  });
});
