import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEmbeddedDefault } from '../../electron/startup/embedded-default';
import { STATION_DATABASE_FILE, type Station } from '../../electron/core/station';
import { DEMO_ORDER_NUMBERS } from '../../server/seed/demo';
import type { WriteProgress } from '../../shared/station/models';
import { successfulWriteCount } from '../support/reference-server';
import { startStationUnderTest, type StationUnderTest } from '../support/station-harness';
import {
  finishedRun as waitForRun,
  invokerOf,
  orderIdOf,
  plugKeys,
  runToEnd,
  startStationOn,
  TEST_TIMING,
} from '../support/station-runs';

/*
 * Verify after write, wired into the run engine: a write's ActionResult 0 leaves its task 'verifying'
 * until the key's licence has been read back and compared with the order; a mismatch fails the key with
 * the verdict's words, and a task a restart finds 'verifying' is verified again, never written again.
 */

// A station of its own for each test: the keys a test plugs and the writes it spoils are its own.
let s: StationUnderTest;
beforeEach(async () => {
  s = await startStationUnderTest();
});
afterEach(() => s.close());

const plug = (count: number) => plugKeys(s.api, count);
const run = (orderId: number, dongleIds: number[]) => runToEnd(s, orderId, dongleIds);

/** What a crash between a write and its read-back leaves in the station's files: the run's task 'verifying'. */
function leftVerifying(dataDir: string, runId: number): void {
  const db = new Database(join(dataDir, STATION_DATABASE_FILE));
  try {
    db.prepare(`UPDATE run_tasks SET state = 'verifying', reason = NULL WHERE run_id = ?`).run(runId);
    db.prepare(`UPDATE runs SET status = 'running' WHERE id = ?`).run(runId);
  } finally {
    db.close();
  }
}

describe('verify after write in a run', () => {
  it('ends a key whose write was spoiled failed with the mismatch in words, the others written', async () => {
    const orderId = await orderIdOf(s.api, DEMO_ORDER_NUMBERS.bulk500);
    const keys = await plug(3);
    await s.api.invoke('bench:simulate', {
      action: 'spoil-next-write',
      dongleId: keys[1]!,
      how: 'drop-feature',
    });

    const { view } = await run(orderId, keys);

    const spoiled = view.tasks.find((t) => t.dongleId === keys[1])!;
    expect(spoiled.state).toBe('failed');
    expect(spoiled.reason).toMatch(/^Feature \d+ of product '.+' is missing on the key\.$/);
    for (const id of [keys[0]!, keys[2]!]) {
      expect(view.tasks.find((t) => t.dongleId === id)!.state).toBe('written');
    }
    expect(view).toMatchObject({ status: 'finished', counts: { written: 2, failed: 1 } });
    const bench = await s.api.invoke('keys:list', {});
    expect(bench.find((k) => k.dongleId === keys[1])).toMatchObject({ state: 'failed' });
    // "Retry failed" may write it again: a new run writes it and, verified, it is written.
    const retried = await run(orderId, [keys[1]!]);
    expect(retried.view.tasks[0]).toMatchObject({ state: 'written' });
  });

  it('ends a healthy run with every key written only after its read-back', async () => {
    const orderId = await orderIdOf(s.api, DEMO_ORDER_NUMBERS.bulk500);
    const keys = await plug(3);

    const { view, seen } = await run(orderId, keys);

    expect(view).toMatchObject({ status: 'finished', counts: { written: 3, failed: 0 } });
    for (const id of keys) {
      const stages = seen.filter((p) => p.dongleId === id).map((p) => p.stage);
      expect(stages.indexOf('verifying'), `key ${id}: ${stages.join(',')}`).toBeGreaterThanOrEqual(0);
      expect(stages.at(-1)).toBe('done');
      expect(stages.indexOf('verifying')).toBeLessThan(stages.lastIndexOf('done'));
    }
    const log = await s.api.invoke('shiftlog:list', {});
    for (const id of keys) {
      // One row per key write, written once its read-back agreed.
      expect(log.filter((e) => e.keyOutcome && e.dongleId === id)).toMatchObject([
        { action: 'write', outcome: 'written', code: 0 },
      ]);
    }
  });
});

describe('a task a restart finds verifying', () => {
  let dataDir: string;
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('is verified again and not written again', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'kb-verify-restart-'));
    const embedded = await startEmbeddedDefault({ dataDir, initialKeys: 1 });
    const start = (): Promise<Station> => startStationOn(embedded, dataDir);
    try {
      let station = await start();
      const api = invokerOf(station);
      const orderId = await orderIdOf(api, DEMO_ORDER_NUMBERS.bulk500);
      const [key] = (await api.invoke('keys:list', {})).map((k) => k.dongleId) as [number];
      const written = station.events.once('write:progress', (p) => p.dongleId === key && p.stage === 'done');
      const { runId } = await api.invoke('licenses:write', {
        orderId,
        dongleIds: [key],
        rewriteConfirmed: false,
      });
      await written;
      await station.close();

      // A crash after the write settled and before its read-back: the task is left 'verifying'.
      leftVerifying(dataDir, runId);

      station = await start();
      const view = await waitForRun(station, runId);
      expect(view).toMatchObject({ status: 'finished', counts: { written: 1 } });
      expect(await successfulWriteCount(embedded, key, orderId)).toBe(1);
      // The read-back before the crash and the one after: each a row of the key's write.
      const log = await invokerOf(station).invoke('shiftlog:list', { since: 0 });
      expect(log.filter((e) => e.keyOutcome && e.action === 'write' && e.outcome === 'written')).toHaveLength(
        2,
      );
      await station.close();
    } finally {
      await embedded.close();
    }
  });
});

describe('read-backs that could not be made, across a restart', () => {
  let dataDir: string;
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('go on counting and waiting where they were, instead of starting over', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'kb-verify-tries-'));
    const embedded = await startEmbeddedDefault({ dataDir, initialKeys: 1 });
    const start = (backoffMs: number): Promise<Station> =>
      startStationOn(embedded, dataDir, {
        timing: {
          ...TEST_TIMING,
          verifyBackoff: { baseMs: backoffMs, maxMs: backoffMs },
          verifyMaxAttempts: 3,
        },
      });
    try {
      let station = await start(100);
      const api = invokerOf(station);
      const orderId = await orderIdOf(api, DEMO_ORDER_NUMBERS.bulk500);
      const [key] = (await api.invoke('keys:list', {})).map((k) => k.dongleId) as [number];
      const written = station.events.once('write:progress', (p) => p.dongleId === key && p.stage === 'done');
      const { runId } = await api.invoke('licenses:write', { orderId, dongleIds: [key] });
      await written;
      await station.close();

      // A crash before the read-back, and the key is away: each check cannot be made.
      leftVerifying(dataDir, runId);
      embedded.bench.unplug([key]);

      // Two checks that cannot be made, then the station goes down during the long wait for the third.
      station = await start(1_500);
      const tries: WriteProgress[] = [];
      await new Promise<void>((resolve) => {
        const off = station.events.on('write:progress', (p) => {
          if (p.dongleId !== key || p.stage !== 'verifying') return;
          tries.push(p);
          if (tries.length < 2) return;
          off();
          resolve();
        });
      });
      expect(tries[1]!.message).toMatch(/not on the bench/);
      await station.close();
      const stopped = Date.now();
      const stored = new Database(join(dataDir, STATION_DATABASE_FILE));
      const row = stored
        .prepare('SELECT verify_attempts, verify_next_at FROM run_tasks WHERE run_id = ?')
        .get(runId) as { verify_attempts: number; verify_next_at: number };
      stored.close();
      expect(row.verify_attempts).toBe(2);
      expect(row.verify_next_at).toBeGreaterThan(stopped);

      // The restarted station makes the third and last check, after the wait it had left, not three more.
      const restarted = Date.now();
      station = await start(1_500);
      const seen: WriteProgress[] = [];
      station.events.on('write:progress', (p) => p.dongleId === key && seen.push(p));
      const view = await waitForRun(station, runId);
      expect(Date.now()).toBeGreaterThanOrEqual(row.verify_next_at);
      expect(row.verify_next_at).toBeGreaterThan(restarted);
      expect(seen.map((p) => p.stage)).toEqual(['failed']);
      expect(view.tasks[0]).toMatchObject({ state: 'failed' });
      expect(view.tasks[0]!.reason).toMatch(/^Could not be verified: /);
      // The key's write is one shift-log row per read-back that settled it: checked before the crash,
      // then failed by the checks that could not be made.
      const log = await invokerOf(station).invoke('shiftlog:list', { since: 0 });
      expect(log.filter((e) => e.action === 'write' && e.dongleId === key).map((e) => e.outcome)).toEqual([
        'written',
        'failed',
      ]);
      await station.close();
      embedded.bench.replug([key]);
    } finally {
      await embedded.close();
    }
  });
});
