import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCount } from '../../shared/station/outbox-statuses';
import { addCatalog, saleOrder } from '../support/hardware-orders';
import { killHost, spawnStationHost, type HostProcess } from '../support/host-process';
import { launchTsx, stopProcess } from '../support/processes';
import { startTestServer, TEST_TOKEN, type TestServer } from '../support/server-harness';

const KEYS = 3;
/**
 * Each write takes this long in the license manager: half burning, then the server records it, then
 * half reading back. Long enough that the killed station is up again well before the first half is
 * over, so its reconciliation meets writes still burning and not yet on record.
 */
const SLOW_MS = 20_000;

let server: TestServer;
let stationDir: string;
let lm: ChildProcess | null = null;
let host: HostProcess | null = null;

beforeAll(async () => {
  server = await startTestServer();
  stationDir = mkdtempSync(join(tmpdir(), 'kb-lm-crash-'));
});
afterAll(async () => {
  if (host) await killHost(host);
  if (lm) await stopProcess(lm, 'SIGKILL');
  await server.close();
  rmSync(stationDir, { recursive: true, force: true });
});

/** The simulated license manager as its own process, over the same keys as the station's bench. */
async function startLicenseManager(): Promise<{ url: string; burnStarted: Promise<void> }> {
  const { child, match } = await launchTsx(
    [
      'electron/simulated-bench/license-manager-main.ts',
      '--server',
      server.server.url,
      '--token',
      TEST_TOKEN,
      '--keys',
      String(KEYS),
      '--slow',
      String(SLOW_MS),
    ],
    /listening on (http:\/\/\S+)/,
  );
  lm = child;
  const burnStarted = new Promise<void>((resolve) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (/burn started: key \d+/.test(out)) resolve();
    });
  });
  return { url: match[1]!, burnStarted };
}

/** The real browser-mode host process, writing through the separate license manager. */
async function startHost(lmUrl: string): Promise<HostProcess> {
  host = await spawnStationHost([
    '--server',
    server.server.url,
    '--token',
    TEST_TOKEN,
    '--bench',
    'simulated',
    '--keys',
    String(KEYS),
    '--lm',
    lmUrl,
    '--data',
    stationDir,
  ]);
  return host;
}

async function writesOf(orderId: number, dongleId: number): Promise<Array<{ actionresult: number }>> {
  const { body } = await server.call('GET', `/v1.0/getdonglehistory/${dongleId}?limit=1000`);
  return body.history.filter((h: { order: { _id: number } }) => h.order._id === orderId);
}

describe('a crash while a separate license-manager process is still burning', () => {
  it('writes every key once: the restarted station waits for the burns it lost and takes their outcome', async () => {
    const catalog = addCatalog(server);
    const order = await saleOrder(server, { quantity: 100, products: [catalog.plain] });
    const manager = await startLicenseManager();

    await startHost(manager.url);
    const keys = (await host!.api.invoke('keys:list', {})).map((k) => k.dongleId);
    expect(keys).toHaveLength(KEYS);
    await host!.api.invoke('licenses:write', { orderId: order._id, dongleIds: keys });

    // SIGKILL while the license manager burns: its process, and the burns, go on without the station.
    await manager.burnStarted;
    await killHost(host!);
    host = null;
    for (const id of keys) expect(await writesOf(order._id, id), `key ${id} on record too soon`).toEqual([]);

    await startHost(manager.url);
    const drained = new Promise<void>((resolve) => host!.api.on('outbox:drained', () => resolve()));
    if (openCount(await host!.api.invoke('outbox:list', {})) > 0) await drained;
    const summary = await host!.api.invoke('outbox:list', {});
    expect(openCount(summary)).toBe(0);
    expect(summary.failed).toBe(0);

    // The server's history is the proof: one write per key, a success, whatever the station lost.
    for (const id of keys) {
      const writes = await writesOf(order._id, id);
      expect(
        writes.map((w) => w.actionresult),
        `key ${id}`,
      ).toEqual([0]);
    }
    const detail = (await server.call('GET', `/v1.0/orders/${order._id}`)).body.order;
    const inOrder = detail.dongles.map((d: { dongleid: number }) => d.dongleid);
    expect(inOrder.length).toBe(KEYS);
    expect(new Set(inOrder)).toEqual(new Set(keys));
  }, 240_000);
});
