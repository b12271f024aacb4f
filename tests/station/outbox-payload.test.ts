import { afterEach, describe, expect, it } from 'vitest';
import * as resultNumbers from '../../electron/core/db/migrations/008-outbox-result-numbers';
import { sqlList } from '../../electron/core/db/sql-list';
import { OutboxWorker, type OutboxServer } from '../../electron/core/outbox/outbox-worker';
import { isKeyInOrder, KEY_IN_ORDER_RETCODES } from '../../shared/guardant/codes';
import type { OutboxItem } from '../../shared/station/models';
import { actionResultOf, keyCodeOf, keysInOrderOf } from '../../shared/station/outbox-results';
import { keyRange, StationFiles } from './outbox-fixture';

const cleanups: Array<() => unknown> = [];
function station(): StationFiles {
  const files = new StationFiles();
  cleanups.push(() => files.dispose());
  return files;
}
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const storedPayload = (s: StationFiles, id: number) =>
  s.db.prepare<[number], { payload: string }>('SELECT payload FROM outbox WHERE id = ?').get(id)!.payload;
const storedResult = (s: StationFiles, id: number) =>
  s.db.prepare<[number], { result: string | null }>('SELECT result FROM outbox WHERE id = ?').get(id)!.result;
const storePayload = (s: StationFiles, id: number, payload: string) =>
  s.db.prepare('UPDATE outbox SET payload = ? WHERE id = ?').run(payload, id);

describe('outbox payload', () => {
  it('is stored as it always was (no kind in the column) and read back typed per kind', () => {
    const s = station();
    const keys = keyRange(7, 2);
    const add = s.outbox.enqueueAddKeys(3, keys);
    const remove = s.outbox.enqueueRemoveKey(3, 7);
    const driver = s.outbox.enqueueSetDriverType(8, 2);
    const write = s.outbox.enqueueWriteLicense(3, 7);
    expect(storedPayload(s, add.id)).toBe(JSON.stringify({ keys }));
    expect(storedPayload(s, remove.id)).toBe('{}');
    expect(storedPayload(s, driver.id)).toBe('{"driverType":2}');
    expect(storedPayload(s, write.id)).toBe('{}');
    // A write as an older build left it after a lost answer.
    storePayload(s, write.id, '{"baseline":12,"outcomeUnknown":true,"idempotencyKey":"k-1"}');

    expect(s.outbox.queued(add.id)!.payload).toEqual({ kind: 'add-keys', keys });
    // An add settled by an older build: per-key retcodes as strings, turned into numbers by migration
    // 008 (run again here: this database is already migrated), read as numbers and counted in SQL.
    s.db
      .prepare(`UPDATE outbox SET status = 'done', result = '{"7":"0","8":"10172"}' WHERE id = ?`)
      .run(add.id);
    resultNumbers.up(s.db);
    expect(keysInOrderOf(s.outbox.get(add.id)!)).toEqual([7]);
    expect(keyCodeOf(s.outbox.get(add.id)!, 8)).toBe(10172);
    expect(s.outbox.list({ view: 'history' }).items).toMatchObject([{ id: add.id, failedKeys: 1 }]);
    expect(s.outbox.queued(remove.id)!.payload).toEqual({ kind: 'remove-key' });
    expect(s.outbox.queued(driver.id)!.payload).toEqual({ kind: 'set-driver-type', driverType: 2 });
    expect(s.outbox.queued(write.id)!.payload).toEqual({
      kind: 'write-license',
      baseline: 12,
      outcomeUnknown: true,
      idempotencyKey: 'k-1',
    });
  });

  it('writes the payload and the results only in the transitions that change them', () => {
    const s = station();
    const item = s.outbox.enqueueWriteLicense(3, 7);
    // Spelled unlike JSON.stringify would: a rewrite would show.
    const asStored = '{ "baseline": 4, "idempotencyKey": "k-2" }';
    storePayload(s, item.id, asStored);
    const queued = s.outbox.queued(item.id)!;
    const moved = s.outbox.transition(queued, ['pending'], { status: 'in-flight', attempts: 1 })!;
    expect(storedPayload(s, item.id)).toBe(asStored);
    expect(moved.payload).toEqual(queued.payload);

    const done = s.outbox.transition(moved, ['in-flight'], { status: 'done', result: new Map([[7, 0]]) })!;
    expect(done.result).toEqual({ '7': 0 });
    expect(storedResult(s, item.id)).toBe('{"7":0}');
    expect(storedPayload(s, item.id)).toBe(asStored);

    const failed = s.outbox.transition(done, ['done'], { status: 'failed', lastError: 'x' })!;
    expect(storedResult(s, item.id)).toBe('{"7":0}');
    expect(failed.result).toEqual({ '7': 0 });
    s.outbox.transition(failed, ['failed'], {
      status: 'pending',
      result: null,
      payload: { kind: 'write-license', baseline: 4, idempotencyKey: 'k-2', outcomeUnknown: false },
    });
    expect(storedResult(s, item.id)).toBeNull();
    expect(JSON.parse(storedPayload(s, item.id))).toEqual({
      baseline: 4,
      idempotencyKey: 'k-2',
      outcomeUnknown: false,
    });
  });

  it('fails an item whose stored payload is unreadable, in words, and goes on with its lane', async () => {
    const s = station();
    const wrongType = s.outbox.enqueueSetDriverType(5, 1);
    const notJson = s.outbox.enqueueSetDriverType(5, 2);
    const noKeys = s.outbox.enqueueAddKeys(3, keyRange(9, 1));
    const fine = s.outbox.enqueueSetDriverType(5, 0);
    storePayload(s, wrongType.id, '{"driverType":"HID"}');
    storePayload(s, notJson.id, '{"driverType":');
    storePayload(s, noKeys.id, '{}');
    expect(s.outbox.queued(wrongType.id)).toMatchObject({ payload: null, unreadable: expect.any(String) });

    const sent: number[] = [];
    const client = {
      setDriverType: async (_dongleId: number, driverType: number) => {
        sent.push(driverType);
        return {};
      },
    } as unknown as OutboxServer;
    const settled: OutboxItem[] = [];
    const w = new OutboxWorker({
      outbox: s.outbox,
      client,
      performWrite: () => Promise.reject(new Error('no write in this test')),
      onItemSettled: (item) => settled.push(item),
    });
    w.start();
    cleanups.push(() => w.stop());

    expect(await w.waitFor(wrongType.id)).toMatchObject({
      status: 'failed',
      lastError: expect.stringMatching(/^stored payload unreadable: .*driverType/),
    });
    expect(await w.waitFor(notJson.id)).toMatchObject({
      status: 'failed',
      lastError: expect.stringMatching(/^stored payload unreadable: not JSON/),
    });
    expect(await w.waitFor(noKeys.id)).toMatchObject({
      status: 'failed',
      lastError: expect.stringMatching(/^stored payload unreadable: .*keys/),
    });
    expect((await w.waitFor(fine.id)).status).toBe('done');
    expect(sent).toEqual([0]);
    // What observers get is the public item: nothing of the worker's own reading.
    for (const item of settled) expect(Object.keys(item)).not.toContain('unreadable');

    // A retry cannot mend it: it fails again, in the same words, without anything sent.
    s.outbox.retry(wrongType.id);
    expect(await w.waitFor(wrongType.id)).toMatchObject({
      status: 'failed',
      lastError: expect.stringMatching(/^stored payload unreadable: /),
      retries: 1,
    });
    expect(sent).toEqual([0]);
  });
});

describe('facts the outbox reads from shared/', () => {
  it('knows a key is in the order after retcode 0 or 10168, and only then', () => {
    expect(KEY_IN_ORDER_RETCODES).toEqual([0, 10168]);
    expect([0, 10168, 10172, 10033, 1].map(isKeyInOrder)).toEqual([true, true, false, false, false]);
  });

  it('reads per-key codes of the stored result as numbers', () => {
    const add: Pick<OutboxItem, 'status' | 'dongleIds' | 'result'> = {
      status: 'done',
      dongleIds: [1, 2, 3, 4],
      result: { '1': 0, '2': 10168, '3': 10172 },
    };
    expect([1, 2, 3, 4].map((id) => keyCodeOf(add, id))).toEqual([0, 10168, 10172, null]);
    expect(keysInOrderOf(add)).toEqual([1, 2]);
    expect(keysInOrderOf({ ...add, status: 'failed' })).toEqual([]);
    expect(actionResultOf({ dongleIds: [9], result: { '9': 201 } })).toBe(201);
    expect(actionResultOf({ dongleIds: [9], result: null })).toBeNull();
  });

  it('lists SQL literals with their quotes doubled, and numbers as numbers', () => {
    expect(sqlList(['done', 'failed'])).toBe("'done', 'failed'");
    // Unquoted: the stored codes are JSON numbers, and in SQLite the text '0' is not the integer 0.
    expect(sqlList([0, 10168])).toBe('0, 10168');
    expect(sqlList(["it's"])).toBe("'it''s'");
  });
});
