import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../../server/start';
import { addCatalog, saleOrder } from '../support/hardware-orders';
import { killHost, spawnStationHost, type HostProcess } from '../support/host-process';
import { startTestServer, TEST_TOKEN, type TestServer } from '../support/server-harness';
import { freePort } from '../support/free-port';

const KEYS = 12;

let server: TestServer;
let plain: number;
let port: number;
let serverUp = true;
const dirs: string[] = [];

async function serverDown(): Promise<void> {
  await server.server.close();
  serverUp = false;
}
async function serverBack(): Promise<void> {
  server.server = await startServer({ token: TEST_TOKEN, adminEnabled: true, dataDir: server.dataDir, port });
  serverUp = true;
}

beforeAll(async () => {
  port = await freePort();
  server = await startTestServer({ port });
  plain = addCatalog(server).plain;
});
afterAll(async () => {
  if (!serverUp) await serverBack();
  await server.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function startHost(dataDir: string, slowMs: number): Promise<HostProcess> {
  return spawnStationHost([
    ...['--server', `http://127.0.0.1:${port}`, '--token', TEST_TOKEN, '--bench', 'simulated'],
    ...['--keys', String(KEYS), '--data', dataDir, '--slow', String(slowMs)],
  ]);
}

async function history(dongleId: number): Promise<any[]> {
  return (await server.call('GET', `/v1.0/getdonglehistory/${dongleId}?limit=1000`)).body.history;
}

/** Resolves once the outbox has nothing open: subscribe first, then ask whether it already is. */
async function drained(host: HostProcess): Promise<void> {
  const event = new Promise<void>((resolve) => host.api.on('outbox:drained', () => resolve()));
  const s = await host.api.invoke('outbox:list', {});
  if (s.pending + s.inFlight + s.needsReconcile > 0) await event;
}

/** Each key is in the order once and holds exactly one successful write of it. */
async function expectWrittenOnce(orderId: number, keys: number[]): Promise<void> {
  const detail = (await server.call('GET', `/v1.0/orders/${orderId}`)).body.order;
  const inOrder = detail.dongles.map((d: { dongleid: number }) => d.dongleid);
  expect(new Set(inOrder).size).toBe(inOrder.length);
  expect(new Set(inOrder)).toEqual(new Set(keys));
  for (const id of keys) {
    const ok = (await history(id)).filter((h) => h.order._id === orderId && h.actionresult === 0);
    expect(ok, `key ${id} successful writes`).toHaveLength(1);
  }
}

describe('a run across restarts', () => {
  it('started offline and restarted offline, still adds and writes every key when the server is back', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kb-run-offline-'));
    dirs.push(dataDir);
    const order = await saleOrder(server, { quantity: 100, products: [plain] });
    let host = await startHost(dataDir, 0);
    const keys = (await host.api.invoke('keys:list', {})).map((k) => k.dongleId);
    expect(keys).toHaveLength(KEYS);

    await serverDown();
    // The add was tried and postponed: the run is waiting for the server.
    const postponed = new Promise<void>((resolve) =>
      host.api.on('outbox:changed', (s) => {
        if (s.items.some((i) => i.kind === 'add-keys' && i.attempts > 0 && i.status === 'pending')) resolve();
      }),
    );
    const { runId } = await host.api.invoke('licenses:write', { orderId: order._id, dongleIds: keys });
    await postponed;
    const waiting = await host.api.invoke('runs:get', { runId });
    expect(new Set(waiting.tasks.map((t) => t.state))).toEqual(new Set(['waiting-for-server']));
    await killHost(host);

    host = await startHost(dataDir, 0);
    await serverBack();
    await drained(host);
    await expectWrittenOnce(order._id, keys);
    const bench = await host.api.invoke('keys:list', {});
    for (const key of bench) expect(key, `key ${key.dongleId}`).toMatchObject({ state: 'written' });
    expect(await host.api.invoke('runs:get', { runId })).toMatchObject({
      status: 'finished',
      counts: { written: KEYS },
    });
    await killHost(host);
  }, 60_000);

  it('killed mid-run, restarted with the server down: written keys show written, and the rest finish once', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kb-run-crash-'));
    dirs.push(dataDir);
    const order = await saleOrder(server, { quantity: 100, products: [plain] });
    let host = await startHost(dataDir, 60);
    const keys = (await host.api.invoke('keys:list', {})).map((k) => k.dongleId);

    let done = 0;
    const someWritten = new Promise<void>((resolve) =>
      host.api.on('write:progress', (p) => {
        if (p.stage === 'done' && ++done === 3) resolve();
      }),
    );
    // Every host's simulated bench plugs the same key ids, so the first test wrote these keys into
    // another order: the run's pre-flight leaves them out unless re-writing is confirmed.
    await host.api.invoke('licenses:write', { orderId: order._id, dongleIds: keys, rewriteConfirmed: true });
    await someWritten;
    await killHost(host);
    await serverDown();

    // Whatever the server recorded before the kill is what the bench must show once reconciled.
    host = await startHost(dataDir, 0);
    await serverBack();
    await drained(host);
    await expectWrittenOnce(order._id, keys);
    const bench = await host.api.invoke('keys:list', {});
    for (const key of bench) expect(key, `key ${key.dongleId}`).toMatchObject({ state: 'written' });
    await killHost(host);
  }, 60_000);
});
