import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStationDatabase } from '../../electron/core/db/open';
import { migrations } from '../../electron/core/db/migrations';
import * as resultNumbers from '../../electron/core/db/migrations/008-outbox-result-numbers';
import { Outbox } from '../../electron/core/outbox/outbox';
import { actionResultOf, keyCodeOf, keysInOrderOf } from '../../shared/station/outbox-results';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A station database as the build before migration 008 left it, with its rows. */
function oldStation(
  rows: Array<{ kind: string; status: string; dongleIds: number[]; result: string | null }>,
) {
  const dir = mkdtempSync(join(tmpdir(), 'kb-result-numbers-'));
  dirs.push(dir);
  const file = join(dir, 'station.db');
  const old = new Database(file);
  const before = migrations.indexOf(resultNumbers.up);
  for (const up of migrations.slice(0, before)) up(old);
  old.pragma(`user_version = ${before}`);
  const insert = old.prepare(
    `INSERT INTO outbox (lane, kind, order_id, dongle_ids, payload, status, attempts, next_attempt_at,
       result, created_at, updated_at) VALUES (?, ?, 3, ?, '{}', ?, 1, 0, ?, ?, ?)`,
  );
  const ids = rows.map(
    (row, i) =>
      insert.run('order:3', row.kind, JSON.stringify(row.dongleIds), row.status, row.result, i, i)
        .lastInsertRowid as number,
  );
  old.close();
  return { file, ids };
}

describe('migration 008: outbox results as numbers', () => {
  it('converts old string results to numbers, and the Queue and the outcomes read the same', () => {
    const { file, ids } = oldStation([
      // An add: two keys in the order (added, already there), one refused.
      { kind: 'add-keys', status: 'done', dongleIds: [7, 8, 9], result: '{"7":"0","8":"10168","9":"10172"}' },
      { kind: 'write-license', status: 'failed', dongleIds: [7], result: '{"7":"201"}' },
      { kind: 'write-license', status: 'done', dongleIds: [8], result: '{"8":"0"}' },
      { kind: 'write-license', status: 'pending', dongleIds: [9], result: null },
    ]);
    const [add, failedWrite, doneWrite, pending] = ids as [number, number, number, number];

    const db = openStationDatabase(file);
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(migrations.length);
      const stored = (id: number) =>
        (db.prepare('SELECT result FROM outbox WHERE id = ?').get(id) as { result: string | null }).result;
      expect(stored(add)).toBe('{"7":0,"8":10168,"9":10172}');
      expect(stored(failedWrite)).toBe('{"7":201}');
      expect(stored(doneWrite)).toBe('{"8":0}');
      expect(stored(pending)).toBeNull();

      const outbox = new Outbox(db);
      expect(outbox.get(add)!.result).toEqual({ '7': 0, '8': 10168, '9': 10172 });
      expect(keysInOrderOf(outbox.get(add)!)).toEqual([7, 8]);
      expect(keyCodeOf(outbox.get(add)!, 9)).toBe(10172);
      expect(actionResultOf(outbox.get(failedWrite)!)).toBe(201);
      expect(actionResultOf(outbox.get(doneWrite)!)).toBe(0);
      expect(actionResultOf(outbox.get(pending)!)).toBeNull();
      // The Queue's failed-key counts, counted in SQL against the numbers.
      const failedKeys = (id: number, view: 'work' | 'history') =>
        outbox.list({ view }).items.find((item) => item.id === id)!.failedKeys;
      expect(failedKeys(add, 'history')).toBe(1);
      expect(failedKeys(doneWrite, 'history')).toBe(0);
      expect(failedKeys(failedWrite, 'work')).toBe(1);
      expect(failedKeys(pending, 'work')).toBe(0);

      // Applying it again changes nothing.
      resultNumbers.up(db);
      expect(stored(add)).toBe('{"7":0,"8":10168,"9":10172}');
    } finally {
      db.close();
    }
  });

  it('leaves a value that is no decimal number as it was, and the item reads it as an error, not a crash', () => {
    const { file, ids } = oldStation([
      { kind: 'add-keys', status: 'done', dongleIds: [7, 8], result: '{"7":"0","8":"oops"}' },
      { kind: 'write-license', status: 'done', dongleIds: [9], result: '{"9":' },
      { kind: 'write-license', status: 'done', dongleIds: [10], result: '{}' },
    ]);
    const [strange, broken, empty] = ids as [number, number, number];
    const db = openStationDatabase(file);
    try {
      const stored = (id: number) =>
        (db.prepare('SELECT result FROM outbox WHERE id = ?').get(id) as { result: string | null }).result;
      // Not cast to 0 (which would read as a success): kept, so it reads as what it is.
      expect(stored(strange)).toBe('{"7":0,"8":"oops"}');
      expect(stored(broken)).toBe('{"9":');
      expect(stored(empty)).toBe('{}');

      const outbox = new Outbox(db);
      expect(outbox.get(strange)).toMatchObject({
        result: null,
        lastError: expect.stringMatching(/^stored result unreadable: 8: /),
      });
      expect(outbox.get(broken)).toMatchObject({
        result: null,
        lastError: expect.stringMatching(/^stored result unreadable: not JSON/),
      });
      expect(outbox.get(empty)!.result).toEqual({});
      // A transition keeps the stored result as it is, and the words are not repeated on the next read.
      outbox.transition(outbox.get(strange)!, ['done'], { status: 'cancelled' });
      expect(stored(strange)).toBe('{"7":0,"8":"oops"}');
      expect(outbox.get(strange)!.lastError).toMatch(/^stored result unreadable: 8: [^;]*$/);
      // The Queue still lists them; a value that is not a success code counts as failed.
      const history = outbox.list({ view: 'history' }).items;
      expect(history.find((item) => item.id === strange)!.failedKeys).toBe(1);
      expect(history.find((item) => item.id === empty)!.failedKeys).toBe(0);
    } finally {
      db.close();
    }
  });
});
