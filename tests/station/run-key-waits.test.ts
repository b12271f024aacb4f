import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEmbeddedDefault } from '../../electron/startup/embedded-default';
import type { Station } from '../../electron/core/station';
import { DEMO_ORDER_NUMBERS } from '../../server/seed/demo';
import { isFinalWriteStage } from '../../shared/station/models';
import { writesOf } from '../support/reference-server';
import { startStationUnderTest, type StationUnderTest } from '../support/station-harness';
import {
  finishedRun as finished,
  invokerOf,
  onBurn,
  orderIdOf,
  plugKeys,
  progressOf,
  startStationOn,
} from '../support/station-runs';

/*
 * Keys must stay plugged until written (issue 9, item 6): a key pulled before its write is sent, or
 * during it, leaves its task 'waiting-for-key' with words, its write held and no failure counted; the
 * same key plugged again, in any port, is written by itself, once.
 */

// A station of its own for each test: a key an earlier test pulled and plugged back, or a write it
// left held, is not this test's.
let s: StationUnderTest;
beforeEach(async () => {
  s = await startStationUnderTest();
  await s.api.invoke('settings:set', { writeConcurrency: 1 });
});
afterEach(() => s.close());

const plug = (count: number) => plugKeys(s.api, count);

describe('a key pulled before its write is sent', () => {
  it('waits for its key without failing, and is written once when plugged back in another port', async () => {
    const orderId = await orderIdOf(s.api, DEMO_ORDER_NUMBERS.bulk500);
    const [first, pulled] = await plug(2);
    const port = (await s.api.invoke('keys:list', {})).find((k) => k.dongleId === pulled)!.usbPath;
    await s.api.invoke('bench:simulate', { action: 'slow', delayMs: 600 });
    const failedBefore = (await s.api.invoke('outbox:list', {})).failed;
    // One write at a time: while the first key burns, the second key's write waits unsent; pull it then.
    onBurn(s.embedded, first!, () => s.embedded.bench.unplug([pulled!]));
    const waiting = progressOf(s.station, pulled!, (p) => p.stage === 'waiting-for-key');
    const firstDone = progressOf(s.station, first!, (p) => p.stage === 'done');
    const pulledSettled = progressOf(s.station, pulled!, (p) => isFinalWriteStage(p.stage));

    const { runId } = await s.api.invoke('licenses:write', { orderId, dongleIds: [first!, pulled!] });
    const held = await waiting;
    expect(held.message).toBe(`Unplugged: plug key ${pulled} back in, any port, to go on.`);
    await firstDone;
    // Not sent while away: the first key's burn is long over and the pulled key's write never ended.
    expect(
      await Promise.race([pulledSettled, new Promise((r) => setTimeout(() => r('still waiting'), 300))]),
    ).toBe('still waiting');
    await s.api.invoke('bench:simulate', { action: 'slow', delayMs: 0 });

    // Not a failure, and the run is not over while the key is away.
    let view = await s.api.invoke('runs:get', { runId });
    expect(view.status).toBe('running');
    expect(view.tasks.find((t) => t.dongleId === pulled)).toMatchObject({
      state: 'waiting-for-key',
      reason: held.message,
    });
    expect((await s.api.invoke('outbox:list', {})).failed).toBe(failedBefore);
    expect(await writesOf(s.embedded, pulled!, orderId)).toEqual([]);

    const written = progressOf(s.station, pulled!, (p) => p.stage === 'done');
    const elsewhere = s.embedded.bench.replug([pulled!], ['1-4.7'])[0]!;
    expect(elsewhere.usbPath).not.toBe(port);
    await written;
    view = await finished(s.station, runId);
    expect(view).toMatchObject({ status: 'finished', counts: { written: 2, failed: 0 } });
    // Written once: the held write was never sent while the key was away.
    expect(await writesOf(s.embedded, pulled!, orderId)).toEqual([0]);
    expect((await s.api.invoke('outbox:list', {})).failed).toBe(failedBefore);
  });
});

describe('a key pulled in the middle of its burn', () => {
  it('waits for its key and is written when it is back', async () => {
    const orderId = await orderIdOf(s.api, DEMO_ORDER_NUMBERS.bulk500);
    const [key] = await plug(1);
    await s.api.invoke('bench:simulate', { action: 'slow', delayMs: 400 });
    const failedBefore = (await s.api.invoke('outbox:list', {})).failed;
    onBurn(s.embedded, key!, () => s.embedded.bench.unplug([key!]));
    const waiting = progressOf(s.station, key!, (p) => p.stage === 'waiting-for-key');

    const { runId } = await s.api.invoke('licenses:write', { orderId, dongleIds: [key!] });
    expect((await waiting).message).toMatch(/^Unplugged: plug key \d+ back in, any port, to go on\.$/);
    await s.api.invoke('bench:simulate', { action: 'slow', delayMs: 0 });
    // The server keeps the interrupted attempt (202); the station does not count it as a failure.
    expect(await writesOf(s.embedded, key!, orderId)).toEqual([202]);
    expect((await s.api.invoke('runs:get', { runId })).status).toBe('running');
    expect((await s.api.invoke('outbox:list', {})).failed).toBe(failedBefore);

    const written = progressOf(s.station, key!, (p) => p.stage === 'done');
    s.embedded.bench.replug([key!]);
    await written;
    expect(await finished(s.station, runId)).toMatchObject({ counts: { written: 1, failed: 0 } });
    expect(await writesOf(s.embedded, key!, orderId)).toEqual([202, 0]);
  });

  it('is cancelled with its held write from the Queue', async () => {
    const orderId = await orderIdOf(s.api, DEMO_ORDER_NUMBERS.bulk500);
    const [key] = await plug(1);
    await s.api.invoke('bench:simulate', { action: 'slow', delayMs: 400 });
    onBurn(s.embedded, key!, () => s.embedded.bench.unplug([key!]));
    const waiting = progressOf(s.station, key!, (p) => p.stage === 'waiting-for-key');
    const { runId } = await s.api.invoke('licenses:write', { orderId, dongleIds: [key!] });
    await waiting;
    await s.api.invoke('bench:simulate', { action: 'slow', delayMs: 0 });

    const queue = await s.api.invoke('outbox:list', {});
    const held = queue.items.find((i) => i.kind === 'write-license' && i.lastError?.includes(String(key)));
    expect(held).toMatchObject({ status: 'pending' });
    await s.api.invoke('outbox:cancel', { itemId: held!.id });
    expect(await s.api.invoke('runs:get', { runId })).toMatchObject({
      status: 'finished',
      counts: { cancelled: 1 },
    });
    s.embedded.bench.replug([key!]);
  });
});

describe('a restart while a task waits for its key', () => {
  let dataDir: string;
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('still waits, and goes on by itself when the key is plugged again', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'kb-key-wait-restart-'));
    const embedded = await startEmbeddedDefault({ dataDir, initialKeys: 1 });
    const start = (): Promise<Station> => startStationOn(embedded, dataDir);
    let station = await start();
    try {
      const api = invokerOf(station);
      const orderId = await orderIdOf(api, DEMO_ORDER_NUMBERS.bulk500);
      const [key] = (await api.invoke('keys:list', {})).map((k) => k.dongleId);
      embedded.bench.slow(400);
      onBurn(embedded, key!, () => embedded.bench.unplug([key!]));
      const waiting = progressOf(station, key!, (p) => p.stage === 'waiting-for-key');
      const { runId } = await api.invoke('licenses:write', { orderId, dongleIds: [key!] });
      await waiting;
      embedded.bench.slow(0);
      await station.close();

      station = await start();
      // Give the restarted station time to reconnect (which makes postponed items due) and settle.
      await new Promise((r) => setTimeout(r, 500));
      const view = await invokerOf(station).invoke('runs:get', { runId });
      expect(view.status).toBe('running');
      expect(view.tasks[0]).toMatchObject({ state: 'waiting-for-key' });

      const written = progressOf(station, key!, (p) => p.stage === 'done');
      embedded.bench.replug([key!], ['1-2.3']);
      await written;
      expect(await finished(station, runId)).toMatchObject({ counts: { written: 1, failed: 0 } });
      expect(await writesOf(embedded, key!, orderId)).toEqual([202, 0]);
    } finally {
      await station.close();
      await embedded.close();
    }
  });
});
