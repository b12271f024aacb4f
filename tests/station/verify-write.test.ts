import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GuardantClient } from '../../electron/core/api/guardant-client';
import { LicenseManagerClient } from '../../electron/core/license-manager/license-manager-client';
import { LicenseManagerError } from '../../electron/core/license-manager/license-manager-error';
import { licenceDigest } from '../../electron/core/verification/licence-digest';
import { ReadCache } from '../../electron/core/cache/read-cache';
import {
  orderFromReadCache,
  verifyWrite,
  type VerifyWriteDeps,
} from '../../electron/core/verification/verify-write';
import { SimulatedBench, type PluggedKey } from '../../electron/simulated-bench/simulated-bench';
import { addProduct } from '../../server/store/catalog-writer';
import { ActionResult } from '../../shared/guardant/codes';
import { canonicalLicenceJson } from '../../shared/license-manager/licence-content';
import type { SpoiledWrite } from '../../shared/license-manager/schemas';
import { startTestServer, TEST_TOKEN, type TestServer } from '../support/server-harness';
import { StationFiles, stationClient } from './outbox-fixture';
import { freePort } from '../support/free-port';

let t: TestServer;
let guardant: GuardantClient;
let cad: { _id: number; features: Record<number, number> };
let viewer: { _id: number };
const open: { close(): Promise<void> }[] = [];

beforeAll(async () => {
  t = await startTestServer();
  guardant = new GuardantClient({ baseUrl: t.server.url, credentials: () => ({ token: TEST_TOKEN }) });
  const db = t.server.ctx.db;
  cad = addProduct(db, {
    productnumber: 5001,
    name: 'CAD Pro',
    features: [
      { featurenumber: 1, name: 'Draw' },
      { featurenumber: 2, name: 'Export', runcounter: 10 },
      { featurenumber: 3, name: 'Render' },
    ],
  });
  viewer = addProduct(db, {
    productnumber: 5002,
    name: 'Viewer',
    features: [{ featurenumber: 1, name: 'View' }],
  });
});
afterAll(() => t.close());
afterEach(async () => {
  for (const thing of open.splice(0)) await thing.close();
});

async function startBench(seed: number) {
  const bench = await SimulatedBench.start({ server: { url: t.server.url, token: TEST_TOKEN }, seed });
  open.push(bench);
  const lm = new LicenseManagerClient({ baseUrl: bench.licenseManagerUrl });
  const deps: VerifyWriteDeps = { licenseManager: lm, order: (id) => guardant.getOrder(id) };
  return { bench, lm, deps };
}

/**
 * A Submitted hardware order with CAD Pro (feature 3 left out of the key) and Viewer, holding the
 * keys; made over the server's HTTP API as an operator's back office would.
 */
async function orderWith(keys: PluggedKey[]): Promise<{ _id: number; number: number }> {
  const created = await t.call('POST', '/v1.0/orders', {
    orderType: 0,
    isHardwareLicense: true,
    orderQuantity: 10,
  });
  expect(created.status, JSON.stringify(created.body)).toBe(200);
  const order = created.body.order;
  for (const productId of [cad._id, viewer._id]) {
    const added = await t.call('POST', `/v1.0/orders/${order._id}/products/${productId}`);
    expect(added.status, JSON.stringify(added.body)).toBe(200);
  }
  const excluded = await t.call(
    'DELETE',
    `/v1.0/orders/${order._id}/products/${cad._id}/features/${cad.features[3]}`,
  );
  expect(excluded.status, JSON.stringify(excluded.body)).toBe(200);
  const submitted = await t.call('PUT', `/v1.0/orders/${order._id}`, { orderStatus: 1 });
  expect(submitted.status, JSON.stringify(submitted.body)).toBe(200);
  if (keys.length === 0) return { _id: order._id, number: order.number };
  const added = await t.call('POST', `/v1.0/orders/${order._id}/multipledongles`, {
    dongles: keys.map((k) => ({
      dongleId: k.dongleId,
      dongleModel: k.model,
      publicCode: k.publicCode,
      typeFlags: k.typeFlags,
      netResource: k.netResource,
    })),
  });
  expect(added.body.dongles.map((d: any) => d.retcode)).toEqual(keys.map(() => '0'));
  return { _id: order._id, number: order.number };
}

/** The key's burn with this id, from the server's history of the key. */
const burnOf = async (dongleId: number, burnId: number | null) =>
  ((await t.call('GET', `/v1.0/getdonglehistory/${dongleId}`)).body.history as any[]).find(
    (burn) => burn._id === burnId,
  );

describe('reading back what a key holds', () => {
  it('holds nothing before a write and the order licence after a real write through the reference server', async () => {
    const { bench, lm } = await startBench(101);
    const [key] = bench.plug(1);
    const order = await orderWith([key!]);
    expect(await lm.readLicence(key!.dongleId)).toBeNull();

    const written = await lm.writeLicense(key!.dongleId, order._id);
    expect(written.actionResult).toBe(ActionResult.Success);

    const licence = await lm.readLicence(key!.dongleId);
    const terms = (runCounter: number) => ({
      licensingModel: expect.any(Number),
      consumptionMode: 0,
      flags: 0,
      isRemote: false,
      netLicensesCount: 0,
      rentBeginDate: 0,
      rentEndDate: 0,
      rentDaysCount: 0,
      runCounter,
    });
    // Feature 3 of CAD Pro is excluded in the order, so it is not on the key.
    expect(licence).toEqual({
      orderId: order._id,
      orderNumber: order.number,
      burnId: written.burnId,
      writtenAt: (await burnOf(key!.dongleId, written.burnId)).actiondate,
      products: [
        {
          productNumber: 5001,
          features: [
            { featureNumber: 1, terms: terms(0) },
            { featureNumber: 2, terms: terms(10) },
          ],
        },
        { productNumber: 5002, features: [{ featureNumber: 1, terms: terms(0) }] },
      ],
      digest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
    });
    // The digest as docs/license-manager-api.md defines it: SHA-256 of the canonical JSON.
    const canonical = canonicalLicenceJson(licence!.products);
    expect(canonical).toMatch(
      /^\{"products":\[\{"features":\[\{"featureNumber":1,"terms":\{"consumptionMode":0,"flags":0,"isRemote":false,"licensingModel":\d+,"netLicensesCount":0,"rentBeginDate":0,"rentDaysCount":0,"rentEndDate":0,"runCounter":0\}\},/,
    );
    expect(licence!.digest).toBe('sha256:' + createHash('sha256').update(canonical).digest('hex'));

    // The key's memory outlives unplugging; an unplugged key cannot be read.
    bench.unplug([key!.dongleId]);
    const absent = await lm.readLicence(key!.dongleId).catch((e: unknown) => e);
    expect(absent).toBeInstanceOf(LicenseManagerError);
    expect(absent).toMatchObject({
      code: 'REFUSED',
      details: { httpStatus: 404, lmCode: 'DONGLE_NOT_FOUND' },
    });
    bench.replug([key!.dongleId]);
    expect(await lm.readLicence(key!.dongleId)).toEqual(licence);
  });

  it('answers DONGLE_BUSY while a write into the key is under way', async () => {
    const { bench, lm, deps } = await startBench(102);
    const [key] = bench.plug(1);
    const order = await orderWith([key!]);
    bench.slow(400);
    const started = once(bench.licenseManager.events, 'burn-started');
    const writing = lm.writeLicense(key!.dongleId, order._id);
    await started;
    const busy = await lm.readLicence(key!.dongleId).catch((e: unknown) => e);
    expect(busy).toMatchObject({ code: 'REFUSED', details: { httpStatus: 409, lmCode: 'DONGLE_BUSY' } });
    expect((busy as LicenseManagerError).retryable).toBe(true);
    expect(await verifyWrite(deps, { dongleId: key!.dongleId, orderId: order._id })).toMatchObject({
      outcome: 'unknown',
      cause: 'key-busy',
    });
    expect((await writing).actionResult).toBe(ActionResult.Success);
    expect(await verifyWrite(deps, { dongleId: key!.dongleId, orderId: order._id })).toMatchObject({
      outcome: 'ok',
    });
  });
});

describe('the licence digest', () => {
  it('is the one docs/license-manager-api.md shows for its example', () => {
    const products = [
      {
        productNumber: 5001,
        features: [
          {
            featureNumber: 2,
            terms: {
              licensingModel: 1,
              consumptionMode: 0,
              flags: 0,
              isRemote: false,
              netLicensesCount: 0,
              rentBeginDate: 0,
              rentEndDate: 0,
              rentDaysCount: 30,
              runCounter: 10,
            },
          },
        ],
      },
    ];
    expect(licenceDigest(products)).toBe(
      'sha256:4d9fda5838ef29a00324f1dc60a3d68c909bbd16dddccb44dbfec3efd75474d3',
    );
    // Fields outside the schema do not change it; other content does.
    const noisy = [
      { productNumber: 5001, extra: 1, features: [{ ...products[0]!.features[0]!, name: 'Export' }] },
    ];
    expect(licenceDigest(noisy)).toBe(
      'sha256:4d9fda5838ef29a00324f1dc60a3d68c909bbd16dddccb44dbfec3efd75474d3',
    );
    expect(licenceDigest([])).not.toBe(licenceDigest(products));
  });
});

describe('verify after write', () => {
  it('a healthy write verifies ok, with the digest of the order licence', async () => {
    const { bench, lm, deps } = await startBench(103);
    const [key] = bench.plug(1);
    const order = await orderWith([key!]);
    expect((await lm.writeLicense(key!.dongleId, order._id)).actionResult).toBe(0);
    const verdict = await verifyWrite(deps, { dongleId: key!.dongleId, orderId: order._id });
    expect(verdict).toEqual({
      outcome: 'ok',
      orderId: order._id,
      dongleId: key!.dongleId,
      digest: (await lm.readLicence(key!.dongleId))!.digest,
    });
  });

  const spoils: [
    SpoiledWrite,
    string,
    (previous: { number: number }, current: { number: number }) => string,
  ][] = [
    ['blank', 'no-licence', () => 'The key holds no licence after the write.'],
    [
      'previous',
      'other-order',
      (a, b) => `The key holds order ${a.number}'s licence, not order ${b.number}'s.`,
    ],
    ['drop-feature', 'missing-feature', () => "Feature 1 of product 'Viewer' is missing on the key."],
    [
      'alter-terms',
      'terms-differ',
      () =>
        "Feature 1 of product 'CAD Pro' differs on the key: network licences 1 where the order says 0, run counter 1 where the order says 0.",
    ],
  ];
  it.each(spoils)(
    'a write spoiled as %s reports success, is recorded as one, and verifies as a %s mismatch',
    async (how, mismatch, reason) => {
      const { bench, lm, deps } = await startBench(110 + spoils.findIndex(([h]) => h === how));
      const [key] = bench.plug(1);
      const first = await orderWith([key!]);
      const second = await orderWith([key!]);
      expect((await lm.writeLicense(key!.dongleId, first._id)).actionResult).toBe(0);

      bench.spoilNextWrite(key!.dongleId, how);
      const written = await lm.writeLicense(key!.dongleId, second._id);
      expect(written.actionResult).toBe(ActionResult.Success);
      expect(await burnOf(key!.dongleId, written.burnId)).toMatchObject({ actionresult: 0 });

      const verdict = await verifyWrite(deps, { dongleId: key!.dongleId, orderId: second._id });
      expect(verdict).toEqual({
        outcome: 'mismatch',
        orderId: second._id,
        dongleId: key!.dongleId,
        mismatch,
        reason: reason(first, second),
        held:
          how === 'blank'
            ? null
            : { orderId: how === 'previous' ? first._id : second._id, digest: expect.any(String) },
      });

      // The spoil is spent: writing again puts the licence into the key.
      expect((await lm.writeLicense(key!.dongleId, second._id)).actionResult).toBe(0);
      expect(await verifyWrite(deps, { dongleId: key!.dongleId, orderId: second._id })).toMatchObject({
        outcome: 'ok',
      });
    },
  );

  it('verifies from the read cache while the server is down, and says unknown for an order never fetched', async () => {
    const { bench, lm } = await startBench(130);
    const [key] = bench.plug(1);
    const order = await orderWith([key!]);
    const unseen = await orderWith([]);
    expect((await lm.writeLicense(key!.dongleId, order._id)).actionResult).toBe(0);
    const files = new StationFiles();
    open.push({ close: async () => files.dispose() });
    // The station read the order when the operator armed it; then the server went away.
    await new ReadCache({ db: files.db, client: stationClient(t.server.url) }).getOrder(order._id);
    const offline = orderFromReadCache(
      new ReadCache({ db: files.db, client: stationClient('http://127.0.0.1:9') }),
    );

    expect(
      await verifyWrite(
        { licenseManager: lm, order: offline },
        { dongleId: key!.dongleId, orderId: order._id },
      ),
    ).toMatchObject({ outcome: 'ok' });
    expect(
      await verifyWrite(
        { licenseManager: lm, order: offline },
        { dongleId: key!.dongleId, orderId: unseen._id },
      ),
    ).toMatchObject({ outcome: 'unknown', cause: 'order-unavailable' });
  });

  it('an unreachable license manager gives unknown, and nothing is written', async () => {
    const port = await freePort();
    const lm = new LicenseManagerClient({ baseUrl: `http://127.0.0.1:${port}`, timeoutMs: 2_000 });
    const verdict = await verifyWrite(
      { licenseManager: lm, order: () => guardant.getOrder(1) },
      { dongleId: 991846791, orderId: 1 },
    );
    expect(verdict).toMatchObject({
      outcome: 'unknown',
      cause: 'license-manager-unreachable',
      reason: expect.stringMatching(/^The license manager did not answer/),
    });
  });

  it('an unplugged key or an order that cannot be read gives unknown, not a mismatch', async () => {
    const { bench, lm, deps } = await startBench(120);
    const [key] = bench.plug(1);
    const order = await orderWith([key!]);
    expect((await lm.writeLicense(key!.dongleId, order._id)).actionResult).toBe(0);

    const offline = await verifyWrite(
      { licenseManager: lm, order: () => Promise.reject(new Error('server unreachable')) },
      { dongleId: key!.dongleId, orderId: order._id },
    );
    expect(offline).toMatchObject({ outcome: 'unknown', cause: 'order-unavailable' });
    // An offline cache may know only the order's summary: no products, nothing to compare with.
    const summaryOnly = await verifyWrite(
      { licenseManager: lm, order: async () => ({ number: order.number }) },
      { dongleId: key!.dongleId, orderId: order._id },
    );
    expect(summaryOnly).toMatchObject({ outcome: 'unknown', cause: 'order-unavailable' });

    bench.unplug([key!.dongleId]);
    expect(await verifyWrite(deps, { dongleId: key!.dongleId, orderId: order._id })).toMatchObject({
      outcome: 'unknown',
      cause: 'key-not-present',
    });
  });
});

describe('a malformed read-back is refused at the boundary', () => {
  const goodLicence = {
    orderId: 7,
    orderNumber: 34,
    burnId: 1,
    writtenAt: 1_764_600_000,
    products: [],
    digest: licenceDigest([]),
  };
  const bodies: [string, number, string, RegExp][] = [
    ['not JSON', 200, '<html>proxy</html>', /body that is not JSON/],
    ['an empty object', 200, '{}', /unexpected answer \(dongleId/],
    [
      'a digest that is not SHA-256',
      200,
      JSON.stringify({ dongleId: 42, licence: { ...goodLicence, digest: 'md5:abc' } }),
      /licence\.digest/,
    ],
    [
      'products that are not a list',
      200,
      JSON.stringify({ dongleId: 42, licence: { ...goodLicence, products: 'all' } }),
      /licence\.products/,
    ],
    [
      'a negative order id',
      200,
      JSON.stringify({ dongleId: 42, licence: { ...goodLicence, orderId: -3 } }),
      /licence\.orderId/,
    ],
    [
      'a feature without terms',
      200,
      JSON.stringify({
        dongleId: 42,
        licence: { ...goodLicence, products: [{ productNumber: 1, features: [{ featureNumber: 1 }] }] },
      }),
      /licence\.products\.0\.features\.0\.terms/,
    ],
    [
      'an answer about another key',
      200,
      JSON.stringify({ dongleId: 43, licence: null }),
      /about key 43, not key 42/,
    ],
    ['an HTTP error without the error body', 500, 'oops', /HTTP 500/],
  ];

  let server: Server;
  let answer: { status: number; body: string };
  beforeAll(async () => {
    server = createServer((_req, res) => {
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      res.end(answer.body);
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it.each(bodies)(
    '%s is a BAD_RESPONSE, and verification says unknown',
    async (_what, status, body, message) => {
      answer = { status, body };
      const lm = new LicenseManagerClient({
        baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      });
      const error = await lm.readLicence(42).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(LicenseManagerError);
      expect(error).toMatchObject({ code: 'BAD_RESPONSE', message: expect.stringMatching(message) });
      expect((error as LicenseManagerError).message).toContain('GET /v1.0/lm/dongles/42/licence');

      const verdict = await verifyWrite(
        { licenseManager: lm, order: async () => ({ number: 34, products: [] }) },
        { dongleId: 42, orderId: 7 },
      );
      expect(verdict).toMatchObject({ outcome: 'unknown', cause: 'license-manager-failed' });
    },
  );
});
