import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCatalog, saleOrder } from '../support/hardware-orders';
import { killHost, spawnStationHost, type HostProcess } from '../support/host-process';
import { startTestServer, TEST_TOKEN, type TestServer } from '../support/server-harness';

const KEYS = 40;
const RUNS = 10;

let server: TestServer;
let stationDir: string;

beforeAll(async () => {
  server = await startTestServer();
  stationDir = mkdtempSync(join(tmpdir(), 'kb-crash-'));
});
afterAll(async () => {
  await server.close();
  rmSync(stationDir, { recursive: true, force: true });
});

/** The real browser-mode host process, pointed at the reference server with a simulated bench. */
function startHost(): Promise<HostProcess> {
  return spawnStationHost([
    '--server',
    server.server.url,
    '--token',
    TEST_TOKEN,
    '--bench',
    'simulated',
    '--keys',
    String(KEYS),
    '--data',
    stationDir,
    // Each write takes a while, so the kills below land in the middle of the queue, not after it.
    '--slow',
    '40',
  ]);
}

const kill = (host: HostProcess) => killHost(host);

async function history(dongleId: number): Promise<any[]> {
  return (await server.call('GET', `/v1.0/getdonglehistory/${dongleId}?limit=1000`)).body.history;
}

describe('the station host killed with SIGKILL during sync', () => {
  it(`loses nothing and writes no licence twice over ${RUNS} crashes`, async () => {
    const catalog = addCatalog(server);
    const order = await saleOrder(server, { quantity: 1000, products: [catalog.plain] });

    let host = await startHost();
    const keys = (await host.api.invoke('keys:list', {})).map((k) => k.dongleId);
    expect(keys).toHaveLength(KEYS);
    await host.api.invoke('licenses:write', { orderId: order._id, dongleIds: keys });

    // Kill the host at random moments while the queue drains, then start it again on the same data.
    let killedMidBatch = 0;
    for (let run = 0; run < RUNS; run++) {
      await new Promise((r) => setTimeout(r, 30 + Math.floor(Math.random() * 250)));
      await kill(host);
      let writtenSoFar = 0;
      for (const id of keys) {
        if ((await history(id)).some((h) => h.order._id === order._id && h.actionresult === 0))
          writtenSoFar++;
      }
      if (writtenSoFar > 0 && writtenSoFar < keys.length) killedMidBatch++;
      host = await startHost();
    }
    // Otherwise the test would prove nothing about crashes during sync.
    expect(killedMidBatch).toBeGreaterThanOrEqual(2);

    // Whatever the crashes interrupted is reconciled and finished by the restarted host.
    const deadline = Date.now() + 60_000;
    let summary = await host.api.invoke('outbox:list', {});
    while (summary.pending + summary.inFlight + summary.needsReconcile > 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      summary = await host.api.invoke('outbox:list', {});
    }
    expect(summary.pending + summary.inFlight + summary.needsReconcile).toBe(0);

    // Keys whose write was never queued before the first crash are written now, in a fresh job.
    const written = new Set<number>();
    for (const id of keys) {
      const ok = (await history(id)).filter((h) => h.order._id === order._id && h.actionresult === 0);
      expect(ok.length, `key ${id} successful writes`).toBeLessThanOrEqual(1);
      if (ok.length === 1) written.add(id);
    }
    const rest = keys.filter((id) => !written.has(id));
    if (rest.length) {
      const finished = new Promise<void>((resolve) => {
        let n = 0;
        host.api.on('write:progress', (p) => {
          if (['done', 'failed', 'unplugged'].includes(p.stage) && ++n === rest.length) resolve();
        });
      });
      await host.api.invoke('licenses:write', { orderId: order._id, dongleIds: rest });
      await finished;
    }

    const detail = (await server.call('GET', `/v1.0/orders/${order._id}`)).body.order;
    const inOrder = detail.dongles.map((d: { dongleid: number }) => d.dongleid);
    expect(new Set(inOrder).size).toBe(inOrder.length);
    expect(new Set(inOrder)).toEqual(new Set(keys));
    for (const id of keys) {
      const ok = (await history(id)).filter((h) => h.order._id === order._id && h.actionresult === 0);
      expect(ok, `key ${id}`).toHaveLength(1);
    }
    await kill(host);
  }, 180_000);
});
