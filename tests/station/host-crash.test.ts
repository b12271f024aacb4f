import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCount } from '../../shared/station/outbox-statuses';
import { addCatalog, saleOrder } from '../support/hardware-orders';
import { killHost, spawnStationHost, type HostProcess } from '../support/host-process';
import { startTestServer, TEST_TOKEN, type TestServer } from '../support/server-harness';
import { startWriteGate, type StopPoint } from '../support/write-gate';

const KEYS = 40;
/** Every stop of the plan below once: 0, 1 or 2 writes, then before or after the server. */
const RUNS = 6;

let server: TestServer;
let gate: Awaited<ReturnType<typeof startWriteGate>>;
let stationDir: string;
/** The host now running, killed here too if the test fails half-way (and by the run's teardown). */
let host: HostProcess | null = null;

beforeAll(async () => {
  server = await startTestServer();
  gate = await startWriteGate(server.server.url);
  stationDir = mkdtempSync(join(tmpdir(), 'kb-crash-'));
});
afterAll(async () => {
  if (host) await killHost(host);
  await gate.close();
  await server.close();
  rmSync(stationDir, { recursive: true, force: true });
});

/** The real browser-mode host process, reaching the reference server through the write gate. */
async function startHost(): Promise<HostProcess> {
  host = await spawnStationHost([
    '--server',
    gate.url,
    '--token',
    TEST_TOKEN,
    '--bench',
    'simulated',
    '--keys',
    String(KEYS),
    '--data',
    stationDir,
  ]);
  return host;
}

async function kill(): Promise<void> {
  await killHost(host!);
  host = null;
}

async function history(dongleId: number): Promise<any[]> {
  return (await server.call('GET', `/v1.0/getdonglehistory/${dongleId}?limit=1000`)).body.history;
}

async function successfulWrites(orderId: number, keys: number[]): Promise<Map<number, number>> {
  const counts = new Map<number, number>();
  for (const id of keys) {
    const ok = (await history(id)).filter((h) => h.order._id === orderId && h.actionresult === 0);
    counts.set(id, ok.length);
  }
  return counts;
}

const sum = (counts: Map<number, number>) => [...counts.values()].reduce((a, b) => a + b, 0);

describe('the station host killed with SIGKILL during sync', () => {
  // Each kill lands at an exact point of the queue, chosen by the write gate rather than by a delay, so
  // the test means the same on a quiet machine and on a loaded one: after 0, 1 or 2 further writes,
  // either while a write is on its way to the server or after the server recorded it but before the
  // station heard back (the case a resend would bill twice).
  it(`loses nothing and writes no licence twice over ${RUNS} crashes`, async () => {
    const catalog = addCatalog(server);
    const order = await saleOrder(server, { quantity: 1000, products: [catalog.plain] });
    const plan = Array.from({ length: RUNS }, (_, run) => ({
      writes: run % 3,
      at: (run % 2 ? 'after-server' : 'before-server') as StopPoint,
    }));

    await startHost();
    const keys = (await host!.api.invoke('keys:list', {})).map((k) => k.dongleId);
    expect(keys).toHaveLength(KEYS);
    let stopped = gate.stopAfter(plan[0]!.writes, plan[0]!.at);
    await host!.api.invoke('licenses:write', { orderId: order._id, dongleIds: keys });

    let expected = 0;
    for (let run = 0; run < RUNS; run++) {
      await stopped;
      await kill();
      expected += plan[run]!.writes + (plan[run]!.at === 'after-server' ? 1 : 0);
      const counts = await successfulWrites(order._id, keys);
      expect(
        [...counts.values()].every((n) => n <= 1),
        `run ${run}: a key written twice`,
      ).toBe(true);
      expect(sum(counts), `run ${run}: licences written so far`).toBe(expected);
      // The next life: set its stop before it starts, since its worker resumes the queue at once.
      const next = plan[run + 1];
      if (next) stopped = gate.stopAfter(next.writes, next.at);
      else gate.open();
      await startHost();
    }
    expect(expected).toBeGreaterThan(0);
    expect(expected).toBeLessThan(KEYS);

    // Whatever the crashes interrupted is reconciled and finished by the last host: wait for its word.
    const drained = new Promise<void>((resolve) => host!.api.on('outbox:drained', () => resolve()));
    if (openCount(await host!.api.invoke('outbox:list', {})) > 0) await drained;
    const summary = await host!.api.invoke('outbox:list', {});
    expect(openCount(summary)).toBe(0);
    expect(summary.failed).toBe(0);

    // Every write was queued before the first crash, so every key holds the licence exactly once now.
    const counts = await successfulWrites(order._id, keys);
    for (const id of keys) expect(counts.get(id), `key ${id}`).toBe(1);
    const detail = (await server.call('GET', `/v1.0/orders/${order._id}`)).body.order;
    const inOrder = detail.dongles.map((d: { dongleid: number }) => d.dongleid);
    expect(new Set(inOrder).size).toBe(inOrder.length);
    expect(new Set(inOrder)).toEqual(new Set(keys));
    await kill();
  }, 600_000);
});
