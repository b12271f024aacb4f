import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedDefault } from '../../electron/startup/embedded-default';
import type { Station } from '../../electron/core/station';
import { DEMO_ORDER_NUMBERS } from '../../server/seed/demo';
import { startServer, type RunningServer } from '../../server/start';
import { OrderStatus } from '../../shared/guardant/codes';
import type { RunView } from '../../shared/station/models';
import { successfulWriteCount } from '../support/reference-server';
import { startStationUnderTest, type StationUnderTest } from '../support/station-harness';
import { invokerOf, orderIdOf, startStationOn, TEST_TIMING } from '../support/station-runs';

/*
 * Stop conditions (issue 9, item 5): an order revoked, or full, mid-run pauses the run once, as a used-up
 * balance does: the untouched keys stay "not attempted", no cascade of failed keys; the operator resumes
 * it (runs:resume) once the cause is fixed, and is told in words while it still holds.
 */

/** The run once no task of it waits any more (finished, paused or not). */
async function settled(station: Station, runId: number): Promise<RunView> {
  for (;;) {
    const next = station.events.once(
      'write:progress',
      (p) => p.jobId === String(runId) && p.done === p.total,
    );
    const view = await invokerOf(station).invoke('runs:get', { runId });
    if (view.status === 'finished') return view;
    await Promise.race([next, new Promise((r) => setTimeout(r, 200))]);
  }
}

async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected the request to be refused');
}

describe('an order revoked in the middle of a run', () => {
  let s: StationUnderTest;
  beforeAll(async () => {
    s = await startStationUnderTest();
  });
  afterAll(() => s.close());

  it('pauses the run once, leaves the rest not attempted, and writes them when resumed after the fix', async () => {
    await s.api.invoke('settings:set', { writeConcurrency: 1 });
    const keys = (await s.api.invoke('bench:simulate', { action: 'plug', count: 5 })).map((k) => k.dongleId);
    const orderId = await orderIdOf(s.api, DEMO_ORDER_NUMBERS.perpetual20);
    const queueBefore = await s.api.invoke('outbox:list', {});
    await s.api.invoke('bench:simulate', { action: 'slow', delayMs: 1000 });
    // Revoked on the server (its own API) while the second key burns: its write is refused.
    const lm = s.embedded.bench.licenseManager;
    let burns = 0;
    const revoked = new Promise<void>((resolve) => {
      const onBurn = () => {
        if (++burns !== 2) return;
        lm.events.off('burn-started', onBurn);
        void fetch(`${s.embedded.serverUrl}/v1.0/orders/${orderId}`, {
          method: 'PUT',
          headers: { authorization: `Bearer ${s.embedded.token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ orderStatus: OrderStatus.Revoked }),
        }).then((res) => {
          expect(res.status).toBe(200);
          resolve();
        });
      };
      lm.events.on('burn-started', onBurn);
    });

    const { runId } = await s.api.invoke('licenses:write', { orderId, dongleIds: keys });
    await revoked;
    const paused = await settled(s.station, runId);
    await s.api.invoke('bench:simulate', { action: 'slow', delayMs: 0 });

    expect(paused.stopReason).toMatch(/no longer open on the server/);
    expect(paused.counts).toMatchObject({ total: 5, written: 1, failed: 1, skipped: 3 });
    for (const task of paused.tasks.filter((t) => t.state === 'skipped')) {
      expect(task.reason).toMatch(/^Not attempted: The order is no longer open/);
    }
    // One failed write (the key the server refused), not a cascade; one banner in the shift log.
    expect((await s.api.invoke('outbox:list', {})).failed).toBe(queueBefore.failed + 1);
    const log = await s.api.invoke('shiftlog:list', {});
    expect(
      log.filter((e) => e.action === 'run stopped' && e.detail.startsWith(`run ${runId}:`)),
    ).toHaveLength(1);

    // Resuming while the order is still revoked is refused, in words, and changes nothing.
    const message = await refusal(s.api.invoke('runs:resume', { runId }));
    expect(message).toMatch(/still not open on the server/);
    expect((await s.api.invoke('runs:get', { runId })).counts).toEqual(paused.counts);

    // Fixed on the server (its data: a revoked order cannot be submitted again through the API).
    s.embedded.server.ctx.db
      .prepare('UPDATE orders SET status = ? WHERE _id = ?')
      .run(OrderStatus.Submitted, orderId);
    const resumed = await s.api.invoke('runs:resume', { runId });
    expect(resumed).toMatchObject({ status: 'running', stopReason: null });

    const done = await settled(s.station, runId);
    expect(done).toMatchObject({ stopReason: null, counts: { total: 5, written: 5, failed: 0, skipped: 0 } });
    for (const id of keys) {
      expect(await successfulWriteCount(s.embedded, id, orderId), `key ${id}`).toBe(1);
    }
    // The refused write was superseded by the key's successful one: no failure is left in the queue.
    expect((await s.api.invoke('outbox:list', {})).failed).toBe(queueBefore.failed);
    // A run that is not paused has nothing to resume.
    expect(await refusal(s.api.invoke('runs:resume', { runId }))).toMatch(/not paused/);
  });
});

describe('an order that is full when the run adds its keys', () => {
  let dataDir: string;
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('pauses instead of failing each key, and adds and writes the rest once places are freed', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'kb-order-full-'));
    const embedded = await startEmbeddedDefault({ dataDir, initialKeys: 3 });
    const station = await startStationOn(embedded, dataDir, {
      timing: { ...TEST_TIMING, backoff: { baseMs: 50, maxMs: 300 } },
    });
    let server: RunningServer = embedded.server;
    try {
      const api = invokerOf(station);
      const orderId = await orderIdOf(api, DEMO_ORDER_NUMBERS.bulk500);
      const keys = (await api.invoke('keys:list', {})).map((k) => k.dongleId);

      // The server is away when the run starts, so no pre-flight counts the places; meanwhile the order
      // fills up (another station) to one place left.
      const port = embedded.server.port;
      await embedded.server.close();
      const { runId } = await api.invoke('licenses:write', { orderId, dongleIds: keys });
      server = await startServer({
        dataDir: join(dataDir, 'server'),
        port,
        token: embedded.token,
        adminEnabled: true,
        prepare: (ctx) => {
          ctx.db
            .prepare(
              `UPDATE orders SET quantity = (SELECT COUNT(*) FROM order_dongles WHERE order_id = orders._id) + 1
                WHERE _id = ?`,
            )
            .run(orderId);
        },
      });

      const paused = await settled(station, runId);
      expect(paused.stopReason).toMatch(/^The order is full/);
      expect(paused.counts).toMatchObject({ total: 3, written: 1, failed: 0, skipped: 2 });
      for (const task of paused.tasks.filter((t) => t.state === 'skipped')) {
        expect(task.reason).toMatch(/^Not attempted: The order is full/);
      }
      expect(await refusal(api.invoke('runs:resume', { runId }))).toMatch(/still full/);

      server.ctx.db.prepare('UPDATE orders SET quantity = quantity + 10 WHERE _id = ?').run(orderId);
      expect(await api.invoke('runs:resume', { runId })).toMatchObject({
        status: 'running',
        stopReason: null,
      });
      const done = await settled(station, runId);
      expect(done.counts).toMatchObject({ total: 3, written: 3, failed: 0, skipped: 0 });
      for (const id of keys) {
        const restarted = { serverUrl: server.url, token: embedded.token };
        expect(await successfulWriteCount(restarted, id, orderId), `key ${id}`).toBe(1);
      }
    } finally {
      await station.close();
      await embedded.close();
      await server.close();
    }
  });
});
