// Local times with an offset that is not UTC's, as a station abroad writes them.
process.env.TZ = 'Europe/Berlin';

import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ActionResult } from '../../shared/guardant/codes';
import type { AttachedKey } from '../../shared/station/models';
import { DEMO_ORDER_NUMBERS } from '../../server/seed/demo';
import { startStationUnderTest, type StationUnderTest } from '../support/station-harness';

/*
 * The shift CSV opened by a real spreadsheet: LibreOffice Calc, headless, imports the station's CSV,
 * saves it as .xlsx, and that workbook is converted back to CSV and compared cell by cell with what
 * the station wrote. Needs `soffice` (Debian: libreoffice-calc-nogui, in .ci/apt-packages).
 */

const soffice = spawnSync('sh', ['-c', 'command -v soffice'], { encoding: 'utf8' }).stdout.trim();
const run = promisify(execFile);
/** LibreOffice's CSV filter options: comma, double quote, UTF-8 (76), from line 1, text kept as text. */
const CSV_FILTER = '44,34,76,1,,0,false,true,false,false';

let s: StationUnderTest;
let dir: string;

async function convert(file: string, to: string, outDir: string, infilter?: string): Promise<void> {
  await run(
    soffice,
    [
      '--headless',
      '--norestore',
      // A profile of its own: a user's running LibreOffice (or another test) cannot take the call.
      `-env:UserInstallation=${pathToFileURL(join(dir, 'profile')).href}`,
      ...(infilter ? [`--infilter=${infilter}`] : []),
      '--convert-to',
      to,
      '--outdir',
      outDir,
      file,
    ],
    { timeout: 150_000 },
  );
}

describe.skipIf(!soffice)('the shift CSV in LibreOffice Calc', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kb-shift-lo-'));
    s = await startStationUnderTest({ stationName: 'Bench Ø 7' });
  });
  afterAll(async () => {
    await s?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('opens, saves as xlsx and reads back with every cell as the station wrote it', async () => {
    const page = await s.api.invoke('orders:list', {
      q: String(DEMO_ORDER_NUMBERS.perpetual20),
      limit: 1000,
    });
    const { _id: orderId } = page.orders.find((o) => o.number === DEMO_ORDER_NUMBERS.perpetual20)!;
    await s.api.invoke('orders:get', { orderId });
    const shift = await s.api.invoke('shift:start', { operator: 'Zoë Ångström' });
    const before = new Set((await s.api.invoke('keys:list', {})).map((k) => k.dongleId));
    const fresh = (keys: AttachedKey[]) => keys.filter((k) => !before.has(k.dongleId));
    const arrived = s.next('keys:changed', (keys) => fresh(keys).length >= 2);
    await s.api.invoke('bench:simulate', { action: 'plug', count: 2 });
    const keys = fresh(await arrived).map((k) => k.dongleId);
    await s.api.invoke('bench:simulate', {
      action: 'fail-next-write',
      dongleId: keys[0]!,
      actionResult: ActionResult.DongleBurnFailed,
    });
    const settled = new Set<number>();
    const done = new Promise<void>((resolve) => {
      const off = s.api.on('write:progress', (p) => {
        if (p.stage === 'done' || p.stage === 'failed') settled.add(p.dongleId);
        if (settled.size < keys.length) return;
        off();
        resolve();
      });
    });
    await s.api.invoke('licenses:write', { orderId, dongleIds: keys });
    await done;

    const written = await s.api.invoke('shiftlog:csv', { shiftId: shift.id });
    const csvFile = join(dir, 'shift.csv');
    writeFileSync(csvFile, written, 'utf8');
    await convert(csvFile, 'xlsx', dir, `CSV:${CSV_FILTER}`);
    await convert(
      join(dir, 'shift.xlsx'),
      `csv:Text - txt - csv (StarCalc):${CSV_FILTER}`,
      join(dir, 'back'),
    );

    const expected = parse(written, { bom: true }) as string[][];
    const readBack = parse(readFileSync(join(dir, 'back', 'shift.csv'), 'utf8'), { bom: true }) as string[][];
    expect(expected).toHaveLength(1 + keys.length);
    expect(readBack).toEqual(expected);
    // What the mojibake looked like: none of it, and the words are there.
    expect(readBack.flat().join(' ')).toMatch(/Zoë Ångström/);
    expect(readBack.flat().join(' ')).not.toMatch(/Ã/);
  }, 300_000);
});

describe.skipIf(soffice)('the shift CSV in LibreOffice Calc (skipped)', () => {
  it.skip('needs `soffice` on the PATH: install libreoffice-calc-nogui (listed in .ci/apt-packages)', () => {});
});
