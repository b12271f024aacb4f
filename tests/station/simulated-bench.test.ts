import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LicenseManagerClient } from '../../electron/core/license-manager/license-manager-client';
import { LicenseManagerError } from '../../electron/core/license-manager/license-manager-error';
import { SimulatedBench, type PluggedKey } from '../../electron/simulated-bench/simulated-bench';
import { ActionResult, DongleModel } from '../../shared/guardant/codes';
import { addCatalog, saleOrder, type Catalog } from '../support/hardware-orders';
import { startTestServer, TEST_TOKEN, type TestServer } from '../support/server-harness';

let t: TestServer;
let catalog: Catalog;
const open: SimulatedBench[] = [];

beforeAll(async () => {
  t = await startTestServer();
  catalog = addCatalog(t);
});
afterAll(() => t.close());
afterEach(async () => {
  for (const bench of open.splice(0)) await bench.close();
});

async function startBench(seed: number, serverUrl = t.server.url) {
  const bench = await SimulatedBench.start({ server: { url: serverUrl, token: TEST_TOKEN }, seed });
  open.push(bench);
  return { bench, lm: new LicenseManagerClient({ baseUrl: bench.licenseManagerUrl }) };
}

/** A Submitted hardware Sale order holding the keys, made over the server's HTTP API. */
async function orderWith(keys: PluggedKey[]) {
  const order = await saleOrder(t, { quantity: 10, products: [catalog.plain] });
  const added = await t.call('POST', `/v1.0/orders/${order._id}/multipledongles`, {
    dongles: keys.map((k) => ({
      dongleId: k.dongleId,
      dongleModel: k.model,
      publicCode: k.publicCode,
      typeFlags: k.typeFlags,
      netResource: k.netResource,
    })),
  });
  expect(added.status, JSON.stringify(added.body)).toBe(200);
  expect(added.body.dongles.map((d: any) => d.retcode)).toEqual(keys.map(() => '0'));
  return order._id as number;
}

const history = async (dongleId: number) => {
  const res = await t.call('GET', `/v1.0/getdonglehistory/${dongleId}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.history as any[];
};
const activations = async () => (await t.call('GET', '/v1.0/admin/vendor')).body.vendor.activations as number;

describe('the simulated bench', () => {
  it('makes the same keys from the same seed, every model among them, some with a network resource', async () => {
    const { bench: a } = await startBench(42);
    const { bench: b } = await startBench(42);
    const { bench: c } = await startBench(43);
    const keys = a.plug(12);
    expect(b.plug(12).map((k) => k.dongleId)).toEqual(keys.map((k) => k.dongleId));
    expect(c.plug(12).map((k) => k.dongleId)).not.toEqual(keys.map((k) => k.dongleId));
    expect(new Set(keys.map((k) => k.dongleId)).size).toBe(12);
    expect(new Set(keys.map((k) => k.model))).toEqual(new Set([2, 3, 4, 5]));
    expect(keys.filter((k) => k.netResource > 0).length).toBeGreaterThan(0);
    expect(keys.filter((k) => k.netResource === 0).length).toBeGreaterThan(0);
    expect(a.plug(2, { model: DongleModel.CODE_TIME, netResource: 7 })).toMatchObject([
      { model: 5, netResource: 7, productId: 0x0009 },
      { model: 5, netResource: 7, productId: 0x0009 },
    ]);
    // Hubs fill port by port: the eleventh key is on the second hub.
    expect(keys[10]!.usbPath).toBe('1-2.1');
  });

  it('a write through the license manager is a real, billed burn in the key history on the server', async () => {
    const { bench, lm } = await startBench(1);
    const [key] = bench.plug(1);
    const orderId = await orderWith([key!]);
    const before = await activations();

    const result = await lm.writeLicense(key!.dongleId, orderId);
    expect(result).toEqual({ actionResult: ActionResult.Success, burnId: expect.any(Number) });
    const [burn, ...rest] = await history(key!.dongleId);
    expect(rest).toEqual([]);
    expect(burn).toMatchObject({ _id: result.burnId, actionresult: 0, order: { _id: orderId } });
    expect(await activations()).toBe(before - 1);

    const last = await t.call('GET', `/v1.0/orders/${orderId}/dongles/${key!.dongleId}/getlastburninfo`);
    expect(last.body.lastburninfo).toMatchObject({ _id: result.burnId, actionresult: 0 });
  });

  it('failNextWrite 201: the key fails the burn, the server records 201, and only the next write', async () => {
    const { bench, lm } = await startBench(2);
    const [key] = bench.plug(1);
    const orderId = await orderWith([key!]);
    const before = await activations();

    await bench.failNextWrite(key!.dongleId, ActionResult.DongleBurnFailed);
    expect(await lm.writeLicense(key!.dongleId, orderId)).toMatchObject({ actionResult: 201 });
    expect((await history(key!.dongleId)).map((h) => h.actionresult)).toEqual([201]);
    expect(await activations()).toBe(before); // a failed write is not billed

    expect(await lm.writeLicense(key!.dongleId, orderId)).toMatchObject({ actionResult: 0 });
    expect((await history(key!.dongleId)).map((h) => h.actionresult)).toEqual([201, 0]);
  });

  it('failNextWrite 2: the server refuses for lack of balance, scripted on the server', async () => {
    const { bench, lm } = await startBench(3);
    const [key] = bench.plug(1);
    const orderId = await orderWith([key!]);

    await bench.failNextWrite(key!.dongleId, ActionResult.VendorHasNoActivationTransactionsAvailable);
    const result = await lm.writeLicense(key!.dongleId, orderId);
    expect(result).toEqual({ actionResult: 2, burnId: expect.any(Number) });
    expect(await history(key!.dongleId)).toMatchObject([{ _id: result.burnId, actionresult: 2 }]);
    expect(await lm.writeLicense(key!.dongleId, orderId)).toMatchObject({ actionResult: 0 });
  });

  it('a key pulled out in the middle of a slow write answers 202, recorded; plugged back in it writes', async () => {
    const { bench, lm } = await startBench(4);
    const [key, neighbour] = bench.plug(2);
    const orderId = await orderWith([key!, neighbour!]);
    bench.slow(400);

    // Pulled out the moment its burn begins (the manager's own event), not after a guessed delay: under
    // load the request could arrive after the delay, and then nothing would have been burnt at all.
    const started = new Promise<void>((resolve) => {
      const onBurn = (id: number) => {
        if (id !== key!.dongleId) return;
        bench.licenseManager.events.off('burn-started', onBurn);
        bench.unplug([key!.dongleId]);
        resolve();
      };
      bench.licenseManager.events.on('burn-started', onBurn);
    });
    const writing = lm.writeLicense(key!.dongleId, orderId);
    const neighbourWriting = lm.writeLicense(neighbour!.dongleId, orderId);
    await started;
    const result = await writing;
    expect(result).toEqual({ actionResult: ActionResult.DongleNotFound, burnId: expect.any(Number) });
    expect(await history(key!.dongleId)).toMatchObject([{ _id: result.burnId, actionresult: 202 }]);
    // The key next to it was not disturbed.
    expect(await neighbourWriting).toMatchObject({ actionResult: 0 });

    bench.slow(0);
    bench.replug([key!.dongleId]);
    expect(await lm.writeLicense(key!.dongleId, orderId)).toMatchObject({ actionResult: 0 });
  });

  it('writing into a key that is not plugged answers 202 and records nothing', async () => {
    const { bench, lm } = await startBench(5);
    const [key] = bench.plug(1);
    const orderId = await orderWith([key!]);
    bench.unplug();
    expect(await lm.writeLicense(key!.dongleId, orderId)).toEqual({ actionResult: 202, burnId: null });
    expect(await history(key!.dongleId)).toEqual([]);
  });

  it('a key that is not in the order is refused with the server reason', async () => {
    const { bench, lm } = await startBench(6);
    const [inOrder, stranger] = bench.plug(2);
    const orderId = await orderWith([inOrder!]);
    const error = await lm.writeLicense(stranger!.dongleId, orderId).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LicenseManagerError);
    expect(error).toMatchObject({
      code: 'REFUSED',
      details: { httpStatus: 409, lmCode: 'SERVER_REJECTED', apiCode: 10038 },
    });
    expect((error as LicenseManagerError).retryable).toBe(false);
  });

  it('with the Guardant server unreachable the write answers 503 with its error body: retry later', async () => {
    const gone = await startTestServer();
    const url = gone.server.url;
    await gone.close();
    const { bench, lm } = await startBench(7, url);
    const [key] = bench.plug(1);

    const raw = await fetch(`${bench.licenseManagerUrl}/v1.0/lm/dongles/${key!.dongleId}/write`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ orderId: 1 }),
    });
    expect(raw.status).toBe(503);
    expect((await raw.json()).error).toMatchObject({ code: 'SERVER_UNREACHABLE' });

    const error = (await lm.writeLicense(key!.dongleId, 1).catch((e: unknown) => e)) as LicenseManagerError;
    expect(error).toMatchObject({
      code: 'REFUSED',
      details: { httpStatus: 503, lmCode: 'SERVER_UNREACHABLE' },
    });
    expect(error.retryable).toBe(true);
  });

  it('refuses to script a success or a code that is not an ActionResultCode', async () => {
    const { bench } = await startBench(8);
    const [key] = bench.plug(1);
    await expect(bench.failNextWrite(key!.dongleId, 0)).rejects.toThrow(RangeError);
    await expect(bench.failNextWrite(key!.dongleId, 999)).rejects.toThrow(RangeError);
  });

  it('answers malformed write requests with its error body', async () => {
    const { bench } = await startBench(9);
    const [key] = bench.plug(1);
    const post = (path: string, body: string) =>
      fetch(bench.licenseManagerUrl + path, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
    const notJson = await post(`/v1.0/lm/dongles/${key!.dongleId}/write`, '{');
    expect(notJson.status).toBe(400);
    expect((await notJson.json()).error.code).toBe('BAD_REQUEST');
    const noOrder = await post(`/v1.0/lm/dongles/${key!.dongleId}/write`, '{"order":1}');
    expect(noOrder.status).toBe(400);
    const noRoute = await post('/v1.0/lm/nothing', '{}');
    expect(noRoute.status).toBe(404);
    expect((await noRoute.json()).error.code).toBe('NOT_FOUND');
  });
});
