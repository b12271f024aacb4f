import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ActionResult, actionResultMeaning, DongleModel } from '../../shared/guardant/codes';
import type { AutoModeState } from '../../shared/station/auto-mode';
import { DEMO_ORDER_NUMBERS } from '../../server/seed/demo';
import { startEmbeddedDefault } from '../../electron/startup/embedded-default';
import {
  keyHistory,
  newHardwareOrder,
  serverJson,
  successfulWrites as successfulWritesOfKey,
} from '../support/reference-server';
import { startStationUnderTest, type StationUnderTest } from '../support/station-harness';
import { invokerOf, startStationOn } from '../support/station-runs';

/*
 * Auto mode (issue 9, item 8) over the real server and the simulated bench, through the browser-mode
 * host's WebSocket: "write every key I plug". Every test makes its own order and stops auto mode at the
 * end, so none depends on another.
 */

let s: StationUnderTest;
beforeAll(async () => {
  s = await startStationUnderTest();
});
afterAll(() => s.close());
// A test that fails half-way must not leave its session on for the next one.
afterEach(async () => {
  await s.api.invoke('auto:stop', {});
});

const server = (method: string, path: string, body?: unknown) => serverJson(s.embedded, method, path, body);
const order = (quantity: number) => newHardwareOrder(s.embedded, quantity);

/** The bench's keys once no key is still arriving (a key an earlier test plugged may still be read). */
async function settledKeys(): Promise<Set<number>> {
  let last = '';
  for (;;) {
    const ids = (await s.api.invoke('keys:list', {})).map((k) => k.dongleId).sort();
    if (JSON.stringify(ids) === last) return new Set(ids);
    last = JSON.stringify(ids);
    await new Promise((r) => setTimeout(r, 400));
  }
}

async function plug(model: DongleModel = DongleModel.SIGN): Promise<number> {
  const before = await settledKeys();
  const keys = await s.api.invoke('bench:simulate', { action: 'plug', count: 1, model });
  const fresh = keys.filter((k) => !before.has(k.dongleId)).map((k) => k.dongleId);
  expect(fresh).toHaveLength(1);
  return fresh[0]!;
}

/** Resolves with auto mode's state once it satisfies the predicate (now or after later pushes). */
async function until(predicate: (state: AutoModeState) => boolean): Promise<AutoModeState> {
  let off = () => {};
  const pushed = new Promise<AutoModeState>((resolve) => {
    off = s.api.on('auto:changed', (state) => {
      if (predicate(state)) resolve(state);
    });
  });
  try {
    const now = await s.api.invoke('auto:state', {});
    if (predicate(now)) return now;
    return await pushed;
  } finally {
    off();
  }
}

const rowsOf = (state: AutoModeState, dongleId: number) => state.keys.filter((k) => k.dongleId === dongleId);
const settled =
  (dongleId: number, arrivals = 1) =>
  (state: AutoModeState) =>
    rowsOf(state, dongleId).length >= arrivals &&
    rowsOf(state, dongleId).every((r) => r.outcome !== 'checking' && r.outcome !== 'writing');

const successfulWrites = (dongleId: number) => successfulWritesOfKey(s.embedded, dongleId);

async function stopAuto(): Promise<void> {
  await s.api.invoke('auto:stop', {});
}

describe('auto mode', () => {
  // Each test starts on a quiet bench: a key an earlier test plugged last must not arrive during it.
  beforeEach(async () => {
    await settledKeys();
  });

  it('is off until turned on, and leaves the keys already on the bench alone', async () => {
    const target = await order(5);
    const before = await plug();
    expect((await s.api.invoke('auto:state', {})).on).toBe(false);

    const started = await s.api.invoke('auto:start', { orderId: target._id });
    expect(started).toMatchObject({
      on: true,
      orderId: target._id,
      orderNumber: target.number,
      placesLeft: 5,
    });

    const key = await plug();
    const state = await until(settled(key));
    expect(rowsOf(state, before)).toEqual([]);
    expect(await successfulWrites(before)).toEqual([]);
    await stopAuto();
  });

  it('writes each key plugged one by one exactly once, with a running count', async () => {
    const target = await order(10);
    await s.api.invoke('auto:start', { orderId: target._id });
    const keys: number[] = [];
    for (let i = 0; i < 3; i++) {
      const key = await plug();
      keys.push(key);
      const state = await until(settled(key));
      expect(rowsOf(state, key)).toMatchObject([{ outcome: 'written' }]);
      expect(state.counts).toMatchObject({ written: i + 1, failed: 0, flagged: 0 });
    }
    for (const key of keys) {
      expect((await successfulWrites(key)).map((w) => w.order._id)).toEqual([target._id]);
    }
    const { order: detail } = await server('GET', `/v1.0/orders/${target._id}`);
    expect(detail.dongles.map((d: { dongleid: number }) => d.dongleid).sort()).toEqual([...keys].sort());
    await stopAuto();
  });

  it('flags an incompatible key with the reason and leaves it alone, then writes a fitting one', async () => {
    // A time-limited demo order needs a clock key: a Sign key does not fit it.
    const number = DEMO_ORDER_NUMBERS.timeLimited50!;
    const page = await s.api.invoke('orders:list', { q: String(number), limit: 100 });
    const timed = page.orders.find((o) => o.number === number)!;
    await s.api.invoke('auto:start', { orderId: timed._id });

    const sign = await plug(DongleModel.SIGN);
    const flagged = await until(settled(sign));
    expect(rowsOf(flagged, sign)).toMatchObject([{ outcome: 'flagged', runId: null }]);
    expect(rowsOf(flagged, sign)[0]!.message).toMatch(/does not fit.*time limited.*Left alone/);
    expect(flagged.counts).toMatchObject({ written: 0, flagged: 1 });

    const clock = await plug(DongleModel.TIME);
    const written = await until(settled(clock));
    expect(rowsOf(written, clock)).toMatchObject([{ outcome: 'written' }]);
    expect(await successfulWrites(sign)).toEqual([]);
    const log = await s.api.invoke('shiftlog:list', {});
    expect(log.some((e) => e.dongleId === sign && e.outcome === 'left alone')).toBe(true);
    await stopAuto();
  });

  it("respects the order's places: ends by itself when they are used up, and takes no more keys", async () => {
    const target = await order(2);
    await s.api.invoke('auto:start', { orderId: target._id });
    const first = await plug();
    await until(settled(first));
    const second = await plug();
    const full = await until((st) => settled(second)(st) && !st.on);
    expect(full.counts).toMatchObject({ written: 2 });
    expect(full.placesLeft).toBe(0);
    expect(full.ended).toMatch(new RegExp(`Order ${target.number} is full`));

    const third = await plug();
    await new Promise((r) => setTimeout(r, 500));
    expect(rowsOf(await s.api.invoke('auto:state', {}), third)).toEqual([]);
    expect(await successfulWrites(third)).toEqual([]);
    await expect(s.api.invoke('auto:start', { orderId: target._id })).rejects.toThrow(/no place left/);
  });

  it('flags keys beyond the places when several arrive at once', async () => {
    const target = await order(1);
    await s.api.invoke('auto:start', { orderId: target._id });
    const keys = (await s.api.invoke('bench:simulate', { action: 'plug', count: 3 })).slice(-3);
    const done = await until(
      (st) => !st.on && st.counts.inProgress === 0 && st.counts.written + st.counts.flagged === 3,
    );
    expect(done.counts).toMatchObject({ written: 1, flagged: 2 });
    const writtenKeys = [];
    for (const k of keys) if ((await successfulWrites(k.dongleId)).length) writtenKeys.push(k.dongleId);
    expect(writtenKeys).toHaveLength(1);
  });

  it('never gives a place twice to keys arriving while the adds before them are on their way', async () => {
    const target = await order(2);
    await s.api.invoke('auto:start', { orderId: target._id });
    // Three arrivals in quick succession, each settled by the bench on its own.
    s.embedded.bench.plug(1);
    await new Promise((r) => setTimeout(r, 120));
    s.embedded.bench.plug(1);
    await new Promise((r) => setTimeout(r, 120));
    s.embedded.bench.plug(1);
    const done = await until((st) => !st.on && st.counts.inProgress === 0);
    // The third arrival is either flagged "Order full" or came after the session ended (no row).
    expect(done.counts).toMatchObject({ written: 2, failed: 0 });
    for (const row of done.keys.filter((k) => k.outcome === 'flagged'))
      expect(row.message).toMatch(/^Order full/);
    const { order: detail } = await server('GET', `/v1.0/orders/${target._id}`);
    expect(detail.dongles).toHaveLength(2);
  });

  it('Stop takes no more keys', async () => {
    const target = await order(5);
    await s.api.invoke('auto:start', { orderId: target._id });
    const first = await plug();
    await until(settled(first));
    const stopped = await s.api.invoke('auto:stop', {});
    expect(stopped).toMatchObject({ on: false, ended: 'Stopped.' });

    const after = await plug();
    await new Promise((r) => setTimeout(r, 500));
    const state = await s.api.invoke('auto:state', {});
    expect(rowsOf(state, after)).toEqual([]);
    expect(state.counts.written).toBe(1);
    expect(await successfulWrites(after)).toEqual([]);
  });

  it('lets a running write finish after Stop', async () => {
    const target = await order(5);
    await s.api.invoke('bench:simulate', { action: 'slow', delayMs: 600 });
    try {
      await s.api.invoke('auto:start', { orderId: target._id });
      const key = await plug();
      await until((st) => rowsOf(st, key).some((r) => r.outcome === 'writing'));
      await stopAuto();
      const state = await until(settled(key));
      expect(state.on).toBe(false);
      expect(rowsOf(state, key)).toMatchObject([{ outcome: 'written' }]);
    } finally {
      await s.api.invoke('bench:simulate', { action: 'slow', delayMs: 0 });
    }
  });

  it('does not write a key twice when it is unplugged and plugged again', async () => {
    const target = await order(5);
    await s.api.invoke('auto:start', { orderId: target._id });
    const key = await plug();
    await until(settled(key));
    // Through the IPC: it answers once the bench has settled, so the station saw the key leave.
    await s.api.invoke('bench:simulate', { action: 'unplug', dongleIds: [key] });
    const back = s.station.events.once('keys:changed', (keys) => keys.some((k) => k.dongleId === key));
    s.embedded.bench.replug([key]);
    await back;

    const state = await until(settled(key, 2));
    expect(rowsOf(state, key).map((r) => r.outcome)).toEqual(['flagged', 'written']);
    expect(rowsOf(state, key)[0]!.message).toMatch(/Already written in this session/);
    expect(state.counts).toMatchObject({ written: 1, flagged: 1 });
    expect(await successfulWrites(key)).toHaveLength(1);
    await stopAuto();
  });

  it('counts a key whose write fails as failed, with the reason in words', async () => {
    const target = await order(5);
    // Plugged before auto mode, taken out and scripted to fail, then plugged back: a new arrival.
    const key = await plug();
    await s.api.invoke('auto:start', { orderId: target._id });
    // Through the IPC: it answers once the bench has settled, so the station saw the key leave.
    await s.api.invoke('bench:simulate', { action: 'unplug', dongleIds: [key] });
    await s.embedded.bench.failNextWrite(key, ActionResult.DongleBurnFailed);
    s.embedded.bench.replug([key]);

    const state = await until(settled(key));
    expect(rowsOf(state, key)).toMatchObject([{ outcome: 'failed' }]);
    expect(rowsOf(state, key)[0]!.message).toContain(actionResultMeaning[ActionResult.DongleBurnFailed]);
    expect(state.counts).toMatchObject({ written: 0, failed: 1 });
    expect(await successfulWrites(key)).toEqual([]);
    await stopAuto();
  });

  it('refuses a second session while one is on', async () => {
    const a = await order(3);
    const b = await order(3);
    await s.api.invoke('auto:start', { orderId: a._id });
    await expect(s.api.invoke('auto:start', { orderId: b._id })).rejects.toThrow(/already on for order/);
    await stopAuto();
  });
});

describe('auto mode after a restart', () => {
  it('is off, and a key plugged then is not written', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kb-auto-restart-'));
    const embedded = await startEmbeddedDefault({ dataDir });
    // The app's own timings: what a restarted station does on its own, not sped up for tests.
    const open = () => startStationOn(embedded, dataDir, { timing: undefined });
    try {
      const target = await newHardwareOrder(embedded, 5);
      const first = await open();
      expect((await invokerOf(first).invoke('auto:start', { orderId: target._id })).on).toBe(true);
      await first.close();

      const second = await open();
      try {
        expect(await invokerOf(second).invoke('auto:state', {})).toMatchObject({ on: false, keys: [] });
        const changed = second.events.once('keys:changed', (keys) => keys.length === 1);
        embedded.bench.plug(1);
        const [key] = await changed;
        await new Promise((r) => setTimeout(r, 500));
        expect(await keyHistory(embedded, key!.dongleId)).toEqual([]);
      } finally {
        await second.close();
      }
    } finally {
      await embedded.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
