import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ServerUnreachableError } from '../../electron/core/api/errors';
import type { GuardantClient } from '../../electron/core/api/guardant-client';
import { LicenseManagerClient } from '../../electron/core/license-manager/license-manager-client';
import { writeActivityOf } from '../../electron/core/license-manager/write-activity';
import type { OutboxWorker, PerformWrite } from '../../electron/core/outbox/outbox-worker';
import { SimulatedBench } from '../../electron/simulated-bench/simulated-bench';
import { addCatalog, addKeys, saleOrder, type Catalog } from '../support/hardware-orders';
import { startTestServer, TEST_TOKEN, type TestServer } from '../support/server-harness';
import { historyCount, StationFiles, stationClient, worker } from './outbox-fixture';

let t: TestServer;
let catalog: Catalog;
let client: GuardantClient;
let bench: SimulatedBench;
let lm: LicenseManagerClient;
let withoutExtension: { url: string; close: () => Promise<void> };
const cleanups: Array<() => unknown> = [];

/**
 * The reference server as a Guardant Station without Keybench's answer by idempotency key: a loopback
 * proxy that sends `GET /v1.0/writes` to a route the server does not have, so the station gets the
 * server's own "no such route" answer (10020), exactly as from a real Guardant Station.
 */
async function serverWithoutWritesByKey(target: string) {
  const proxy: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const url = new URL(req.url ?? '/', target);
        if (url.pathname === '/v1.0/writes') url.pathname = '/v1.0/no-such-route';
        const headers = new Headers();
        for (const [name, value] of Object.entries(req.headers)) {
          if (['host', 'connection', 'content-length'].includes(name) || value === undefined) continue;
          headers.set(name, Array.isArray(value) ? value.join(', ') : value);
        }
        const body = Buffer.concat(chunks);
        const answer = await fetch(url, {
          method: req.method,
          headers,
          body: body.length ? new Uint8Array(body) : undefined,
        });
        res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'text/plain' });
        res.end(Buffer.from(await answer.arrayBuffer()));
      })().catch(() => res.destroy());
    });
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => proxy.close(() => resolve())),
  };
}

beforeAll(async () => {
  t = await startTestServer();
  catalog = addCatalog(t);
  client = stationClient(t.server.url);
  bench = await SimulatedBench.start({ server: { url: t.server.url, token: TEST_TOKEN } });
  lm = new LicenseManagerClient({ baseUrl: bench.licenseManagerUrl });
  withoutExtension = await serverWithoutWritesByKey(t.server.url);
});
afterAll(async () => {
  await withoutExtension.close();
  await bench.close();
  await t.close();
});
afterEach(async () => {
  bench.slow(0);
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function station(): StationFiles {
  const files = new StationFiles();
  cleanups.push(() => files.dispose());
  return files;
}
function started(w: OutboxWorker): OutboxWorker {
  w.start();
  cleanups.push(() => w.stop());
  return w;
}

/** A plugged key in a fresh Submitted order. */
async function orderWithPluggedKey() {
  const [key] = bench.plug(1);
  const order = await saleOrder(t, { quantity: 10, products: [catalog.plain] });
  await addKeys(t, order._id, key!.dongleId);
  return { orderId: order._id, dongleId: key!.dongleId };
}

/**
 * A station that sends the item's write through the license manager and dies (its database closed
 * as a crash leaves it) once the burn has begun; the license manager burns on. `withKey: false` is
 * a station from before idempotency keys: the license manager cannot tell its write from another.
 */
async function crashMidBurn(s: StationFiles, withKey: boolean): Promise<void> {
  const burning = new Promise<void>((resolve) =>
    bench.licenseManager.events.once('burn-started', () => resolve()),
  );
  const performWrite: PerformWrite = (orderId, dongleId, idempotencyKey) =>
    lm.writeLicense(dongleId, orderId, withKey ? idempotencyKey : undefined);
  started(worker(s.outbox, client, { performWrite }));
  await burning;
  s.reopen();
}

const throughLicenseManager = (): PerformWrite =>
  vi.fn<PerformWrite>((orderId, dongleId, idempotencyKey) =>
    lm.writeLicense(dongleId, orderId, idempotencyKey),
  );

describe('reconciling a write whose answer was lost while the license manager still burns it', () => {
  it('waits while the license manager runs the write with its key, then takes the outcome on record', async () => {
    const s = station();
    const { orderId, dongleId } = await orderWithPluggedKey();
    bench.slow(3_000);
    const item = s.outbox.enqueueWriteLicense(orderId, dongleId);
    await crashMidBurn(s, true);
    expect(await historyCount(t, dongleId)).toBe(0);

    const performWrite = throughLicenseManager();
    const w = started(
      worker(s.outbox, client, { performWrite, writeActivity: writeActivityOf(lm), reconcilePollMs: 100 }),
    );
    await vi.waitFor(
      () =>
        expect(s.outbox.get(item.id)!.lastError).toMatch(
          /^Waiting: the license manager is still writing this key/,
        ),
      {
        timeout: 5_000,
      },
    );
    expect(s.outbox.get(item.id)!).toMatchObject({ status: 'needs-reconcile', attempts: 1 });
    // Decided, the item no longer says it waits.
    expect(await w.waitFor(item.id)).toMatchObject({
      status: 'done',
      result: { [dongleId]: 0 },
      lastError: null,
    });
    expect(performWrite).not.toHaveBeenCalled();
    expect(await historyCount(t, dongleId)).toBe(1);
  });

  it('from a server that cannot answer by key, waits until the key is idle, then compares the last burn', async () => {
    const s = station();
    const { orderId, dongleId } = await orderWithPluggedKey();
    const bare = stationClient(withoutExtension.url);
    expect(await bare.writesByIdempotencyKey('any-key')).toBeNull();
    bench.slow(3_000);
    const item = s.outbox.enqueueWriteLicense(orderId, dongleId);
    await crashMidBurn(s, false);

    const performWrite = throughLicenseManager();
    const w = started(
      worker(s.outbox, bare, { performWrite, writeActivity: writeActivityOf(lm), reconcilePollMs: 100 }),
    );
    await vi.waitFor(
      () =>
        expect(s.outbox.get(item.id)!.lastError).toMatch(
          /^Waiting: a write into this key is still under way/,
        ),
      {
        timeout: 5_000,
      },
    );
    expect(await w.waitFor(item.id)).toMatchObject({ status: 'done', result: { [dongleId]: 0 } });
    expect(performWrite).not.toHaveBeenCalled();
    expect(await historyCount(t, dongleId)).toBe(1);
  });

  it('sends again a write the license manager never received, with the same key, once', async () => {
    const s = station();
    const { orderId, dongleId } = await orderWithPluggedKey();
    const item = s.outbox.enqueueWriteLicense(orderId, dongleId);
    // The station died after marking the write in flight and before the request left it (this worker
    // is never stopped: its write never answers, as after a crash).
    let firstKey = '';
    const reached = new Promise<void>((resolve) =>
      worker(s.outbox, client, {
        performWrite: (_orderId, _dongleId, idempotencyKey) => {
          firstKey = idempotencyKey;
          resolve();
          return new Promise(() => {});
        },
      }).start(),
    );
    await reached;
    s.reopen();

    const performWrite = throughLicenseManager();
    const w = started(worker(s.outbox, client, { performWrite, writeActivity: writeActivityOf(lm) }));
    expect(await w.waitFor(item.id)).toMatchObject({ status: 'done', result: { [dongleId]: 0 } });
    expect(performWrite).toHaveBeenCalledWith(orderId, dongleId, firstKey);
    expect(performWrite).toHaveBeenCalledTimes(1);
    expect(await historyCount(t, dongleId)).toBe(1);
  });
});

describe("the license manager's write activity (docs/license-manager-api.md)", () => {
  it('lists a write under way with its key, and joins a second request with that key instead of burning twice', async () => {
    const { orderId, dongleId } = await orderWithPluggedKey();
    bench.slow(1_000);
    expect(await lm.writeActivity(dongleId)).toEqual([]);
    const burning = new Promise<void>((resolve) =>
      bench.licenseManager.events.once('burn-started', () => resolve()),
    );
    const first = lm.writeLicense(dongleId, orderId, 'activity-test-1');
    await burning;
    expect(await lm.writeActivity(dongleId)).toEqual([
      { orderId, idempotencyKey: 'activity-test-1', state: 'burning' },
    ]);
    const again = lm.writeLicense(dongleId, orderId, 'activity-test-1');
    const [a, b] = await Promise.all([first, again]);
    expect(b).toEqual(a);
    expect(a.actionResult).toBe(0);
    expect(await historyCount(t, dongleId)).toBe(1);
    expect(await lm.writeActivity(dongleId)).toEqual([]);
  });

  it('refuses a write whose key is not a plain token, and one reusing the key of another write under way', async () => {
    const { orderId, dongleId } = await orderWithPluggedKey();
    await expect(lm.writeLicense(dongleId, orderId, 'not a token')).rejects.toMatchObject({
      code: 'REFUSED',
      details: { lmCode: 'BAD_REQUEST', httpStatus: 400 },
    });
    bench.slow(1_000);
    const first = lm.writeLicense(dongleId, orderId, 'activity-test-2');
    await expect(lm.writeLicense(dongleId, orderId + 1, 'activity-test-2')).rejects.toMatchObject({
      code: 'REFUSED',
      details: { lmCode: 'BAD_REQUEST' },
    });
    await first;
    expect(await historyCount(t, dongleId)).toBe(1);
  });
});

describe('asking a license manager that cannot tell', () => {
  /** A license manager that answers the activity read with `status` and `body`, as an older or broken one would. */
  async function answering(status: number, body: unknown) {
    const lmServer = createServer((_req, res) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    });
    await new Promise<void>((resolve) => lmServer.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => lmServer.close(() => resolve())));
    return new LicenseManagerClient({
      baseUrl: `http://127.0.0.1:${(lmServer.address() as AddressInfo).port}`,
    });
  }

  it('reads a license manager without the activity read (NOT_FOUND) as "cannot tell"', async () => {
    const older = await answering(404, { error: { code: 'NOT_FOUND', message: 'no route GET …/activity' } });
    expect(await writeActivityOf(older)(42)).toBeNull();
  });

  it('asks again later when the answer is about another key, garbled, or does not come', async () => {
    const wrongKey = await answering(200, { dongleId: 43, writes: [] });
    await expect(writeActivityOf(wrongKey)(42)).rejects.toBeInstanceOf(ServerUnreachableError);
    await expect(writeActivityOf(wrongKey)(42)).rejects.toThrow(/about key 43, not key 42/);
    const garbled = await answering(200, {
      dongleId: 42,
      writes: [{ orderId: 1, idempotencyKey: 'a b', state: 'x' }],
    });
    await expect(writeActivityOf(garbled)(42)).rejects.toBeInstanceOf(ServerUnreachableError);
    const gone = new LicenseManagerClient({ baseUrl: 'http://127.0.0.1:1', timeoutMs: 1_000 });
    await expect(writeActivityOf(gone)(42)).rejects.toBeInstanceOf(ServerUnreachableError);
  });
});
