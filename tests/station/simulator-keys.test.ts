import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SIMULATED_BENCH_STATE_FILE } from '../../electron/simulated-bench/bench-state';
import { StationErrorCode } from '../../shared/ipc/result';
import { startStationUnderTest, type StationUnderTest } from '../support/station-harness';

/**
 * The simulated bench across restarts of a station on one data folder (embedded reference server and
 * bench, real SQLite, the browser host's WebSocket): new keys never repeat an id, and a key pulled out
 * (in this run or an earlier one) can be plugged back from the Simulator.
 */
const dirs: string[] = [];
const running: StationUnderTest[] = [];
afterEach(async () => {
  for (const s of running.splice(0)) await s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const dataDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'kb-sim-'));
  dirs.push(dir);
  return dir;
};
async function start(dir: string) {
  const s = await startStationUnderTest({ dataDir: dir });
  running.push(s);
  return s;
}
async function stop(s: StationUnderTest) {
  running.splice(running.indexOf(s), 1);
  await s.close();
}
const ids = (keys: Array<{ dongleId: number }>) => keys.map((k) => k.dongleId);

describe('simulated keys across restarts', () => {
  it('never makes a key id twice in one data folder, and two data folders make different keys', async () => {
    const dir = dataDir();
    const first = await start(dir);
    const before = ids(await first.api.invoke('bench:simulate', { action: 'plug', count: 6 }));
    await stop(first);

    const second = await start(dir);
    // The answer is the whole bench: the first run's keys (still in the hub) and the six new ones.
    const after = ids(await second.api.invoke('bench:simulate', { action: 'plug', count: 6 })).filter(
      (id) => !before.includes(id),
    );
    expect(after).toHaveLength(6);
    expect(after.filter((id) => before.includes(id))).toEqual([]);
    // The hub kept the first run's keys through the restart: they are there again, with the new ones.
    expect(ids(await second.api.invoke('keys:list', {})).sort()).toEqual([...before, ...after].sort());

    const other = await start(dataDir());
    const elsewhere = ids(await other.api.invoke('bench:simulate', { action: 'plug', count: 6 }));
    expect(elsewhere.filter((id) => before.includes(id) || after.includes(id))).toEqual([]);
  });

  it('plugs a chosen key back in, one from an earlier run too, and refuses one it never made in words', async () => {
    const dir = dataDir();
    const first = await start(dir);
    const [kept] = await first.api.invoke('bench:simulate', { action: 'plug', count: 3 });
    await first.api.invoke('bench:simulate', { action: 'unplug', dongleIds: [kept!.dongleId] });
    await stop(first);

    const second = await start(dir);
    const offered = await second.api.invoke('bench:unplugged', {});
    expect(ids(offered)).toContain(kept!.dongleId);
    const bench = await second.api.invoke('bench:simulate', {
      action: 'replug',
      dongleIds: [kept!.dongleId],
    });
    expect(bench.find((k) => k.dongleId === kept!.dongleId)).toMatchObject({ model: kept!.model });
    expect(ids(await second.api.invoke('bench:unplugged', {}))).not.toContain(kept!.dongleId);

    // Pulled and plugged back in the same run.
    await second.api.invoke('bench:simulate', { action: 'unplug', dongleIds: [kept!.dongleId] });
    expect(ids(await second.api.invoke('keys:list', {}))).not.toContain(kept!.dongleId);
    await second.api.invoke('bench:simulate', { action: 'replug', dongleIds: [kept!.dongleId] });
    expect(ids(await second.api.invoke('keys:list', {}))).toContain(kept!.dongleId);

    const refused = second.api.invoke('bench:simulate', { action: 'replug', dongleIds: [12345] });
    await expect(refused).rejects.toMatchObject({
      code: StationErrorCode.InvalidRequest,
      message: expect.stringMatching(/never on this bench/),
    });
    const twice = second.api.invoke('bench:simulate', { action: 'replug', dongleIds: [kept!.dongleId] });
    await expect(twice).rejects.toMatchObject({ message: expect.stringMatching(/already plugged in/) });
  });

  it('starts afresh, without crashing, on a damaged state file', async () => {
    const dir = dataDir();
    writeFileSync(join(dir, SIMULATED_BENCH_STATE_FILE), '{"seed": "not a number"');
    const s = await start(dir);
    expect(await s.api.invoke('bench:simulate', { action: 'plug', count: 2 })).toHaveLength(2);
  });
});
