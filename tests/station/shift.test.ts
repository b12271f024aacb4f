// The CSV's times are the station's local time with its offset: a zone with an offset (and daylight
// saving) that is not UTC, set before anything reads the clock.
process.env.TZ = 'Europe/Berlin';

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { parse } from 'csv-parse/sync';
import { afterEach, describe, expect, it } from 'vitest';
import { openStationDatabase } from '../../electron/core/db/open';
import { migrations } from '../../electron/core/db/migrations';
import * as shiftsMigration from '../../electron/core/db/migrations/006-shifts';
import { STATION_DATABASE_FILE } from '../../electron/core/station';
import { ActionResult, actionResultMeaning, dongleModelName } from '../../shared/guardant/codes';
import { StationRequestError } from '../../shared/ipc/station-api';
import {
  isFinalWriteStage,
  NO_OPERATOR,
  type AttachedKey,
  type WriteProgress,
} from '../../shared/station/models';
import { DEMO_ORDER_NUMBERS } from '../../server/seed/demo';
import { startStationUnderTest, type StationUnderTest } from '../support/station-harness';

/*
 * Issue 10, the shift record: a shift the operator owns (started with a name, running until it is
 * ended, across restarts), every shift-log entry in the shift open at the time, and a CSV per shift
 * with one row per key outcome, read the way Excel and LibreOffice read it.
 */

const COLUMNS = [
  'time',
  'station',
  'operator',
  'order number',
  'customer',
  'key id',
  'model',
  'USB port',
  'action',
  'outcome',
  'code',
  'meaning',
];
const STATION = 'Bench Ø 7';
const OPERATOR = 'Zoë Ångström';

const open: StationUnderTest[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function start(options: { dataDir?: string; keys?: number } = {}): Promise<StationUnderTest> {
  const s = await startStationUnderTest({ ...options, stationName: STATION });
  open.push(s);
  return s;
}

async function stop(s: StationUnderTest): Promise<void> {
  open.splice(open.indexOf(s), 1);
  await s.close();
}

function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kb-shift-'));
  dirs.push(dir);
  return dir;
}

/** The order as the Write screen opens it (through the station's cache), by its number. */
async function orderOf(s: StationUnderTest, number: number) {
  const page = await s.api.invoke('orders:list', { q: String(number), limit: 1000 });
  const { _id } = page.orders.find((o) => o.number === number)!;
  return (await s.api.invoke('orders:get', { orderId: _id })).order;
}

async function plug(s: StationUnderTest, count: number): Promise<AttachedKey[]> {
  const before = new Set((await s.api.invoke('keys:list', {})).map((k) => k.dongleId));
  const fresh = (keys: AttachedKey[]) => keys.filter((k) => !before.has(k.dongleId));
  const arrived = s.next('keys:changed', (keys) => fresh(keys).length >= count);
  await s.api.invoke('bench:simulate', { action: 'plug', count });
  return fresh(await arrived);
}

/** Writes the keys into the order and resolves with each key's final progress. */
async function writeAll(s: StationUnderTest, orderId: number, dongleIds: number[]) {
  const finals = new Map<number, WriteProgress>();
  const done = new Promise<void>((resolve) => {
    const off = s.api.on('write:progress', (p) => {
      if (!isFinalWriteStage(p.stage)) return;
      finals.set(p.dongleId, p);
      if (finals.size === dongleIds.length) {
        off();
        resolve();
      }
    });
  });
  await s.api.invoke('licenses:write', { orderId, dongleIds });
  await done;
  return finals;
}

/** The CSV as a spreadsheet reads it: the BOM stripped, then rows of cells. */
function cells(csv: string): string[][] {
  expect(csv.charCodeAt(0), 'starts with a UTF-8 byte-order mark').toBe(0xfeff);
  return parse(csv.slice(1), { relax_column_count: false }) as string[][];
}

/** "2026-12-02T09:03:04+01:00" for the instant `ms` in Berlin, written out independently of the code. */
function berlin(ms: number): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/Berlin',
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      timeZoneName: 'longOffset',
    })
      .formatToParts(new Date(ms))
      .map((p) => [p.type, p.value]),
  );
  const offset = parts.timeZoneName === 'GMT' ? '+00:00' : parts.timeZoneName!.replace('GMT', '');
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}${offset}`;
}

describe('a shift', () => {
  it('is started with a name, stays open across a restart, and ends only when it is ended', async () => {
    const dir = dataDir();
    let s = await start({ dataDir: dir });
    expect(await s.api.invoke('shift:current', {})).toBeNull();

    const before = Date.now();
    const shift = await s.api.invoke('shift:start', { operator: `  ${OPERATOR} ` });
    expect(shift).toMatchObject({ operator: OPERATOR, endedAt: null });
    expect(shift.startedAt).toBeGreaterThanOrEqual(before);

    await stop(s);
    s = await start({ dataDir: dir });
    expect(await s.api.invoke('shift:current', {})).toEqual(shift);

    // Another operator cannot take over an open shift: the station says whose it is.
    const refused = await s.api.invoke('shift:start', { operator: 'Boris' }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(StationRequestError);
    expect((refused as Error).message).toContain(`${OPERATOR}'s shift is still open`);
    // A name is required; spaces alone are not one.
    await expect(s.api.invoke('shift:start', { operator: '   ' })).rejects.toThrow();

    const ended = await s.api.invoke('shift:end', {});
    expect(ended).toMatchObject({ id: shift.id, operator: OPERATOR });
    expect(ended!.endedAt).toBeGreaterThanOrEqual(shift.startedAt);
    expect(await s.api.invoke('shift:current', {})).toBeNull();

    await stop(s);
    s = await start({ dataDir: dir });
    expect(await s.api.invoke('shift:current', {})).toBeNull();
    const next = await s.api.invoke('shift:start', { operator: 'Boris' });
    expect((await s.api.invoke('shift:list', {})).map((x) => [x.id, x.operator])).toEqual([
      [next.id, 'Boris'],
      [shift.id, OPERATOR],
    ]);
  });

  it('tells every window when it starts or ends', async () => {
    const s = await start();
    const started = s.next('shift:changed');
    await s.api.invoke('shift:start', { operator: OPERATOR });
    expect(await started).toMatchObject({ operator: OPERATOR, endedAt: null });
    const ended = s.next('shift:changed');
    await s.api.invoke('shift:end', {});
    expect(await ended).toBeNull();
  });

  it('keeps its own log: work before it and after it is in other shifts', async () => {
    const s = await start();
    const order = await orderOf(s, DEMO_ORDER_NUMBERS.perpetual20!);
    const [a, b, c] = await plug(s, 3);

    // Work with no shift open lands in a shift the station opens with no operator.
    await writeAll(s, order._id, [a!.dongleId]);
    const automatic = (await s.api.invoke('shift:current', {}))!;
    expect(automatic.operator).toBe(NO_OPERATOR);

    // Starting a named shift ends that one: what happened before the name was typed is not put on her.
    const mine = await s.api.invoke('shift:start', { operator: OPERATOR });
    expect(mine.id).not.toBe(automatic.id);
    await writeAll(s, order._id, [b!.dongleId]);
    await s.api.invoke('shift:end', {});
    await writeAll(s, order._id, [c!.dongleId]);

    const keysOf = async (shiftId: number) =>
      (await s.api.invoke('shiftlog:list', { shiftId })).filter((e) => e.keyOutcome).map((e) => e.dongleId);
    expect(await keysOf(automatic.id)).toEqual([a!.dongleId]);
    expect(await keysOf(mine.id)).toEqual([b!.dongleId]);
    const after = (await s.api.invoke('shift:current', {}))!;
    expect(after.operator).toBe(NO_OPERATOR);
    expect(await keysOf(after.id)).toEqual([c!.dongleId]);
    // With no shift named, the list shows the shift open now.
    expect((await s.api.invoke('shiftlog:list', {})).map((e) => e.shiftId)).toEqual(
      expect.arrayContaining([after.id]),
    );
    await expect(s.api.invoke('shiftlog:csv', { shiftId: 999_999 })).rejects.toThrow(/no shift 999999/);
  });
});

describe("a shift's CSV", () => {
  it('has one row per key write, the columns asked for, a BOM and local times with their offset', async () => {
    const s = await start();
    const order = await orderOf(s, DEMO_ORDER_NUMBERS.perpetual20!);
    const shift = await s.api.invoke('shift:start', { operator: OPERATOR });
    const keys = await plug(s, 3);
    const failing = keys[2]!;
    await s.api.invoke('bench:simulate', {
      action: 'fail-next-write',
      dongleId: failing.dongleId,
      actionResult: ActionResult.DongleBurnFailed,
    });
    const finals = await writeAll(
      s,
      order._id,
      keys.map((k) => k.dongleId),
    );
    expect(finals.get(failing.dongleId)!.stage).toBe('failed');

    const csv = await s.api.invoke('shiftlog:csv', { shiftId: shift.id });
    expect(csv.endsWith('\r\n')).toBe(true);
    const [header, ...rows] = cells(csv);
    expect(header).toEqual(COLUMNS);
    // One row per key: the write and its read-back are one outcome, and the run's own events are not rows.
    expect(rows.map((r) => Number(r[5])).sort()).toEqual(keys.map((k) => k.dongleId).sort());

    const entries = (await s.api.invoke('shiftlog:list', { shiftId: shift.id })).filter((e) => e.keyOutcome);
    for (const key of keys) {
      const row = Object.fromEntries(
        COLUMNS.map((c, i) => [c, rows.find((r) => Number(r[5]) === key.dongleId)![i]]),
      );
      const entry = entries.find((e) => e.dongleId === key.dongleId)!;
      expect(row).toMatchObject({
        time: berlin(entry.at),
        station: STATION,
        operator: OPERATOR,
        'order number': String(order.number),
        customer: order.customer!.companyname,
        model: dongleModelName[key.model],
        'USB port': key.usbPath,
        action: 'write licence',
      });
      expect(row.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+01:00$/);
      if (key === failing) {
        expect(row).toMatchObject({
          outcome: 'failed',
          code: String(ActionResult.DongleBurnFailed),
          meaning: actionResultMeaning[ActionResult.DongleBurnFailed],
        });
      } else {
        expect(row).toMatchObject({ outcome: 'written', code: '0' });
        expect(row.meaning).toMatch(/^Written and checked/);
      }
    }
  });

  it('keeps what was true when it happened: a renamed station and an unplugged key do not rewrite it', async () => {
    const s = await start();
    const order = await orderOf(s, DEMO_ORDER_NUMBERS.perpetual20!);
    const shift = await s.api.invoke('shift:start', { operator: OPERATOR });
    const [key] = await plug(s, 1);
    await writeAll(s, order._id, [key!.dongleId]);
    await s.api.invoke('settings:set', { stationName: 'Bench 8' });
    await s.api.invoke('bench:simulate', { action: 'unplug', dongleIds: [key!.dongleId] });
    const [, row] = cells(await s.api.invoke('shiftlog:csv', { shiftId: shift.id }));
    expect(row!.slice(1, 8)).toEqual([
      STATION,
      OPERATOR,
      String(order.number),
      order.customer!.companyname,
      String(key!.dongleId),
      dongleModelName[key!.model],
      key!.usbPath,
    ]);
  });

  it("has one row per key added to an order on its own, with the server's words", async () => {
    const s = await start();
    const order = await orderOf(s, DEMO_ORDER_NUMBERS.perpetual20!);
    const shift = await s.api.invoke('shift:start', { operator: OPERATOR });
    const keys = (await plug(s, 2)).map((k) => k.dongleId);
    const drained = s.next('outbox:drained');
    await s.api.invoke('keys:addToOrder', { orderId: order._id, dongleIds: keys });
    await drained;
    const [, ...rows] = cells(await s.api.invoke('shiftlog:csv', { shiftId: shift.id }));
    expect(rows.map((r) => [Number(r[5]), r[8], r[9], r[10], r[11]]).sort()).toEqual(
      keys.sort().map((id) => [id, 'add to order', 'added', '0', 'Added to the order.']),
    );
  });

  it('sums the shift per order in a second export', async () => {
    const s = await start();
    const perpetual = await orderOf(s, DEMO_ORDER_NUMBERS.perpetual20!);
    const shift = await s.api.invoke('shift:start', { operator: OPERATOR });
    const keys = await plug(s, 3);
    await s.api.invoke('bench:simulate', {
      action: 'fail-next-write',
      dongleId: keys[0]!.dongleId,
      actionResult: ActionResult.DongleBurnFailed,
    });
    await writeAll(
      s,
      perpetual._id,
      keys.map((k) => k.dongleId),
    );
    const [header, ...rows] = cells(await s.api.invoke('shiftlog:summaryCsv', { shiftId: shift.id }));
    expect(header).toEqual([
      'order number',
      'customer',
      'keys',
      'written',
      'added',
      'failed',
      'not attempted',
      'cancelled',
      'other',
      'first',
      'last',
    ]);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.slice(0, 9)).toEqual([
      String(perpetual.number),
      perpetual.customer!.companyname,
      '3',
      '2',
      '0',
      '1',
      '0',
      '0',
      '0',
    ]);
    expect(rows[0]![9]).toMatch(/\+01:00$/);
  });
});

describe('a station database from before shifts', () => {
  it('puts each day of its old log into a shift of no operator', async () => {
    const dir = dataDir();
    const file = join(dir, STATION_DATABASE_FILE);
    const old = new Database(file);
    const before = migrations.indexOf(shiftsMigration.up);
    for (const up of migrations.slice(0, before)) up(old);
    old.pragma(`user_version = ${before}`);
    const day1 = new Date(2026, 10, 30, 23, 30).getTime();
    const day2 = new Date(2026, 11, 1, 0, 30).getTime(); // an hour later, the next local day
    const insert = old.prepare(
      'INSERT INTO shift_log (at, action, order_id, dongle_id, outcome, detail) VALUES (?, ?, ?, ?, ?, ?)',
    );
    insert.run(day1, 'write', 5, 77, 'written', '');
    insert.run(day1 + 1000, 'verify', 5, 77, 'verified', '');
    insert.run(day2, 'run started', 5, null, 'pending', 'run 1: 1 key(s)');
    old.close();

    const db = openStationDatabase(file);
    try {
      const shifts = db.prepare('SELECT id, operator, ended_at AS endedAt FROM shifts ORDER BY id').all();
      expect(shifts).toHaveLength(2);
      expect(shifts.every((x: any) => x.operator === NO_OPERATOR && x.endedAt !== null)).toBe(true);
      const rows = db
        .prepare('SELECT shift_id AS shiftId, key_outcome AS keyOutcome FROM shift_log ORDER BY id')
        .all();
      expect(rows).toEqual([
        { shiftId: (shifts[0] as any).id, keyOutcome: 1 },
        { shiftId: (shifts[0] as any).id, keyOutcome: 0 },
        { shiftId: (shifts[1] as any).id, keyOutcome: 0 },
      ]);
      // Applying it again changes nothing.
      shiftsMigration.up(db);
      expect(db.prepare('SELECT count(*) AS n FROM shifts').get()).toEqual({ n: 2 });
    } finally {
      db.close();
    }
  });
});
