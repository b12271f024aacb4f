/**
 * Browser mode's own process takes its data folder and name from --data and --name, by the start-up
 * resolver's rules (tests/station/resolve-startup.test.ts has the rules; this is the wiring).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LOCK_FILE } from '../../electron/core/db/data-dir-lock';
import { STATION_DATABASE_FILE } from '../../electron/core/station';
import { killHost, spawnStationHost } from '../support/host-process';

const dir = mkdtempSync(join(tmpdir(), 'kb-web-startup-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('browser mode started with --data and --name', () => {
  it('keeps its station in that folder and goes by that name', async () => {
    const host = await spawnStationHost(['--keys', '1', '--data', dir, '--name', 'Line 3']);
    try {
      expect(await host.api.invoke('station:info', {})).toMatchObject({
        stationName: 'Line 3',
        host: 'browser',
      });
      expect(existsSync(join(dir, LOCK_FILE))).toBe(true);
      expect(existsSync(join(dir, STATION_DATABASE_FILE))).toBe(true);
    } finally {
      await killHost(host);
    }
  }, 60_000);

  it('refuses a name Settings would not save, in one line, before the folder is made', () => {
    const folder = join(dir, 'never-made');
    const run = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        'electron/web-host/main.ts',
        '--port',
        '0',
        '--data',
        folder,
        '--name',
        'x'.repeat(65),
      ],
      { encoding: 'utf8', timeout: 30_000 },
    );
    expect(run.status).toBe(2);
    expect(run.stderr.trim().split('\n')).toEqual([
      'keybench station: --name is longer than 64 characters (see --help)',
    ]);
    expect(existsSync(folder)).toBe(false);
  });
});
