import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConnectionMonitor, probeOrders } from '../../electron/core/connection/connection-monitor';
import type { Connection } from '../../shared/station/models';
import { saleOrder } from '../support/hardware-orders';
import { startTestServer, type TestServer } from '../support/server-harness';
import { keyRange, keysInOrder, StationFiles, stationClient, worker } from './outbox-fixture';

/**
 * The server going away under a draining outbox. Each test runs its own server on its own data
 * folder, so it can be stopped and started again on the same port with the same data.
 */

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A server that can go down and come back on the same address with the same data. */
async function restartableServer() {
  const dataDir = mkdtempSync(join(tmpdir(), 'kb-faults-'));
  let t: TestServer = await startTestServer({ dataDir });
  const port = t.server.port;
  let up = true;
  const handle = {
    get t() {
      return t;
    },
    url: t.server.url,
    async down() {
      if (!up) return;
      up = false;
      await t.server.close();
    },
    async up() {
      if (up) return;
      t = await startTestServer({ dataDir, port });
      up = true;
    },
  };
  cleanups.push(async () => {
    await handle.down();
    rmSync(dataDir, { recursive: true, force: true });
  });
  return handle;
}

function station(): StationFiles {
  const files = new StationFiles();
  cleanups.push(() => files.dispose());
  return files;
}

describe('the server goes away while the outbox drains', () => {
  it('holds a 500-key batch while the server is down and adds every key exactly once when it is back', async () => {
    const server = await restartableServer();
    const s = station();
    const order = await saleOrder(server.t, { quantity: 600 });
    const keys = keyRange(700_000, 500);
    const items = [0, 1, 2, 3, 4].map((i) =>
      s.outbox.enqueueAddKeys(order._id, keys.slice(i * 100, i * 100 + 100)),
    );

    const changes: Connection['state'][] = [];
    const probing = stationClient(server.url);
    const monitor = new ConnectionMonitor({
      serverUrl: server.url,
      probe: probeOrders(probing),
      probeIntervalMs: 100,
      onChange: (c) => changes.push(c.state),
      // The station's wiring: the server is back, so stop waiting out the backoff.
      onOnline: () => w.kick(),
    });
    const client = stationClient(server.url, {
      onReachability: (reachable, error) => monitor.report(reachable, error),
    });
    let reportHeld!: () => void;
    const held = new Promise<void>((resolve) => (reportHeld = resolve));
    const w = worker(s.outbox, client, {
      backoff: { baseMs: 50, maxMs: 5_000 },
      onChange: (summary) => {
        if (summary.items.some((i) => i.status === 'pending' && i.attempts > 0)) reportHeld();
      },
    });
    cleanups.push(
      () => w.stop(),
      () => monitor.stop(),
    );
    monitor.start();
    w.start();

    await w.waitFor(items[0]!.id);
    await server.down();
    // The worker meets the closed server: the rest of the batch stays pending, with backoff.
    await held;
    expect(monitor.state.state).toBe('offline');
    const summary = s.outbox.list();
    expect(summary.failed).toBe(0);
    const waiting = summary.items.find((i) => i.status === 'pending' && i.attempts > 0)!;
    expect(waiting.lastError).toMatch(/^Server unreachable/);
    expect(waiting.nextAttemptAt).toBeGreaterThan(waiting.updatedAt - 1);

    await server.up();
    // The monitor's probe notices, and its onOnline kicks the worker past its backoff.
    await w.whenIdle();
    expect(changes).toContain('offline');
    expect(changes.at(-1)).toBe('online');
    for (const item of items) expect((await w.waitFor(item.id)).status).toBe('done');
    const inOrder = await keysInOrder(server.t, order._id);
    expect(inOrder).toHaveLength(500);
    expect(new Set(inOrder)).toEqual(new Set(keys.map((k) => k.dongleId)));
  });

  it('drains 300 keys through a server that flaps every ~second, in bounded time', async () => {
    const server = await restartableServer();
    const s = station();
    const order = await saleOrder(server.t, { quantity: 600 });
    const keys = keyRange(800_000, 300);
    const items = Array.from({ length: 100 }, (_, i) =>
      s.outbox.enqueueAddKeys(order._id, keys.slice(i * 3, i * 3 + 3)),
    );
    // A slow server, so the drain spans the flaps.
    const slow: typeof fetch = async (input, init) => {
      await new Promise((r) => setTimeout(r, 15));
      return fetch(input, init);
    };
    const w = worker(s.outbox, stationClient(server.url, { fetch: slow }), {
      backoff: { baseMs: 20, maxMs: 300 },
    });
    cleanups.push(() => w.stop());
    const started = Date.now();
    w.start();

    let flaps = 0;
    const flapping = (async () => {
      for (; flaps < 3; flaps++) {
        await new Promise((r) => setTimeout(r, 500));
        await server.down();
        await new Promise((r) => setTimeout(r, 500));
        await server.up();
      }
    })();
    await flapping;
    await w.whenIdle();
    const elapsed = Date.now() - started;

    expect(flaps).toBe(3);
    expect(elapsed).toBeLessThan(15_000);
    const settled = await Promise.all(items.map((item) => w.waitFor(item.id)));
    expect(settled.every((i) => i.status === 'done')).toBe(true);
    // Items cut off mid-request were sent again; the server's 10168 kept every key single.
    expect(settled.some((i) => i.attempts > 1)).toBe(true);
    const inOrder = await keysInOrder(server.t, order._id);
    expect(inOrder).toHaveLength(300);
    expect(new Set(inOrder).size).toBe(300);
  });
});

describe('ConnectionMonitor', () => {
  it('emits on change only and probes while offline until the server is back', async () => {
    const server = await restartableServer();
    const client = stationClient(server.url);
    const seen: Connection[] = [];
    let waiting: ((c: Connection) => void) | null = null;
    const nextChange = () => new Promise<Connection>((resolve) => (waiting = resolve));
    let online = 0;
    const monitor = new ConnectionMonitor({
      serverUrl: server.url,
      probe: probeOrders(client),
      probeIntervalMs: 50,
      onChange: (c) => {
        seen.push(c);
        waiting?.(c);
      },
      onOnline: () => online++,
    });
    cleanups.push(() => monitor.stop());
    expect(monitor.state).toMatchObject({ state: 'unknown', lastOkAt: null, lastError: null });

    expect((await monitor.probeNow()).state).toBe('online');
    monitor.report(true);
    monitor.report(true);
    expect(seen.map((c) => c.state)).toEqual(['online']);
    expect(online).toBe(1);
    expect(monitor.state.lastOkAt).toEqual(expect.any(Number));

    await server.down();
    let change = nextChange();
    monitor.start();
    expect(await change).toMatchObject({ state: 'offline', lastError: expect.any(String) });
    change = nextChange();
    await server.up();
    // No request is made by anyone: the monitor's own probe finds the server back.
    expect((await change).state).toBe('online');
    expect(online).toBe(2);
    expect(seen.map((c) => c.state)).toEqual(['online', 'offline', 'online']);
  });
});
