import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { GuardantClient } from '../../electron/core/api/guardant-client';
import { openStationDatabase, StationSchemaTooNewError } from '../../electron/core/db/open';
import { migrations } from '../../electron/core/db/migrations';
import { retryDelay } from '../../electron/core/outbox/backoff';
import { OutboxError } from '../../electron/core/outbox/outbox-error';
import type { OutboxWorker } from '../../electron/core/outbox/outbox-worker';
import { RunStore } from '../../electron/core/runs/run-store';
import type { KeyIdentity, OutboxItem } from '../../shared/station/models';
import { addCatalog, key, saleOrder, type Catalog } from '../support/hardware-orders';
import { startTestServer, type TestServer } from '../support/server-harness';
import {
  historyCount,
  keyRange,
  keysInOrder,
  never,
  StationFiles,
  stationClient,
  worker,
  writeThroughServer,
} from './outbox-fixture';

let t: TestServer;
let catalog: Catalog;
let client: GuardantClient;
let nextKey = 500_000;
/** Fresh key ids per test, so tests sharing the server never meet each other's keys. */
const freshKeys = (count: number, over: Partial<KeyIdentity> = {}) => {
  const keys = keyRange(nextKey, count, over);
  nextKey += count;
  return keys;
};

const cleanups: Array<() => unknown> = [];
function station(): StationFiles {
  const files = new StationFiles();
  cleanups.push(() => files.dispose());
  return files;
}
function started(w: OutboxWorker): OutboxWorker {
  w.start();
  cleanups.push(() => w.stop());
  return w;
}

beforeAll(async () => {
  t = await startTestServer();
  catalog = addCatalog(t);
  client = stationClient(t.server.url);
});
afterAll(() => t.close());
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('station database', () => {
  it('is created in WAL mode at the current schema with the tables the station needs', () => {
    const s = station();
    expect(s.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(s.db.pragma('user_version', { simple: true })).toBe(migrations.length);
    const tables = s.db
      .prepare<[], { name: string }>(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`)
      .all()
      .map((r) => r.name);
    expect(tables).toEqual(
      expect.arrayContaining([
        'outbox',
        'cached_orders',
        'key_records',
        'shift_log',
        'shifts',
        'settings',
        'runs',
        'run_tasks',
      ]),
    );
    // Opening again migrates nothing and keeps the data.
    s.outbox.enqueueRemoveKey(1, 2);
    s.reopen();
    expect(s.outbox.list().pending).toBe(1);
  });

  it('refuses a database written by a newer Keybench', () => {
    const s = station();
    s.db.close();
    const raw = new Database(s.file);
    raw.pragma('user_version = 99');
    raw.close();
    expect(() => openStationDatabase(s.file)).toThrow(StationSchemaTooNewError);
  });

  it('leaves a newer database untouched, byte for byte, and names the file it refused', () => {
    const s = station();
    s.db.close();
    // A newer Keybench may have chosen another journal mode; refusing must not switch it to WAL.
    const raw = new Database(s.file);
    raw.pragma('journal_mode = DELETE');
    raw.pragma('user_version = 99');
    raw.close();
    const before = readFileSync(s.file);
    expect(() => openStationDatabase(s.file)).toThrow(s.file);
    expect(readFileSync(s.file).equals(before)).toBe(true);
    expect(existsSync(`${s.file}-wal`)).toBe(false);
  });

  it('names the file when it is not a station database at all', () => {
    const s = station();
    s.db.close();
    writeFileSync(s.file, 'these are not the bytes of an SQLite database, '.repeat(100));
    expect(() => openStationDatabase(s.file)).toThrow(`The station database ${s.file} could not be opened`);
  });
});

describe('Outbox store', () => {
  it('enqueues one item per call into the lane of its order or key', () => {
    const { outbox } = station();
    const add = outbox.enqueueAddKeys(7, freshKeys(3));
    const remove = outbox.enqueueRemoveKey(7, 42);
    const driver = outbox.enqueueSetDriverType(42, 2);
    const write = outbox.enqueueWriteLicense(7, 42);
    expect(add).toMatchObject({
      kind: 'add-keys',
      lane: 'order:7',
      orderId: 7,
      status: 'pending',
      attempts: 0,
    });
    expect(add.dongleIds).toHaveLength(3);
    expect(remove).toMatchObject({ kind: 'remove-key', lane: 'order:7', dongleIds: [42] });
    expect(driver).toMatchObject({ kind: 'set-driver-type', lane: 'dongle:42', orderId: null });
    expect(write).toMatchObject({ kind: 'write-license', lane: 'dongle:42', dongleIds: [42] });
    expect(outbox.get(add.id)).toEqual(add);
    expect(outbox.get(9999)).toBeNull();
    const summary = outbox.list();
    expect(summary).toMatchObject({ pending: 4, inFlight: 0, failed: 0, needsReconcile: 0 });
    expect(summary.items.map((i) => i.id)).toEqual([add.id, remove.id, driver.id, write.id]);
  });

  it('refuses empty and oversize batches', () => {
    const { outbox } = station();
    expect(() => outbox.enqueueAddKeys(1, [])).toThrow(OutboxError);
    expect(() => outbox.enqueueAddKeys(1, keyRange(1, 1001))).toThrow(/1 to 1000/);
    expect(outbox.enqueueAddKeys(1, keyRange(1, 1000)).dongleIds).toHaveLength(1000);
  });

  // The runs enqueue inside RunStore.transaction(); an enqueue opens no transaction of its own.
  it('commits an item with the state change that caused it, or neither', () => {
    const { db, outbox } = station();
    const runs = new RunStore(db, Date.now);
    const record = db.prepare(
      `INSERT INTO key_records (dongle_id, order_id, state, updated_at) VALUES (?, ?, 'in-order', 0)`,
    );
    runs.transaction(() => {
      record.run(1, 5);
      outbox.enqueueAddKeys(5, keyRange(1, 1));
    });
    expect(() =>
      runs.transaction(() => {
        record.run(2, 5);
        outbox.enqueueAddKeys(5, keyRange(2, 1));
        throw new Error('the operator unplugged the key');
      }),
    ).toThrow('unplugged');
    expect(db.prepare('SELECT dongle_id FROM key_records').all()).toEqual([{ dongle_id: 1 }]);
    const [only] = outbox.list().items;
    expect(outbox.get(only!.id)!.dongleIds).toEqual([1]);
  });

  it('retries failed items, tries waiting ones now, and cancels only items not in flight', () => {
    const { outbox } = station();
    const item = outbox.enqueueRemoveKey(1, 2);
    // A waiting item's "retry" brings its next attempt forward and keeps everything else.
    const waiting = outbox.queued(item.id)!;
    outbox.transition(waiting, ['pending'], {
      status: 'pending',
      attempts: 3,
      nextAttemptAt: Date.now() + 60_000,
    });
    const now = outbox.retry(item.id);
    expect(now).toMatchObject({ status: 'pending', attempts: 3 });
    expect(now.nextAttemptAt).toBeLessThanOrEqual(Date.now());
    outbox.transition(outbox.queued(item.id)!, ['pending'], { status: 'pending', attempts: 0 });
    expect(() => outbox.retry(12345)).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    const queued = outbox.queued(item.id)!;
    outbox.transition(queued, ['pending'], { status: 'in-flight' });
    expect(() => outbox.cancel(item.id)).toThrow(expect.objectContaining({ code: 'CONFLICT' }));
    outbox.transition({ ...queued, status: 'in-flight' }, ['in-flight'], {
      status: 'failed',
      lastError: 'x',
    });
    expect(outbox.retry(item.id)).toMatchObject({ status: 'pending', attempts: 0, lastError: null });
    expect(outbox.cancel(item.id).status).toBe('cancelled');
    expect(outbox.cancel(item.id).status).toBe('cancelled');
    expect(outbox.list()).toMatchObject({ pending: 0, failed: 0 });
  });

  it('draws backoff with full jitter under a doubling ceiling, never below Retry-After', () => {
    const policy = { baseMs: 100, maxMs: 1000 };
    expect(retryDelay(1, policy, null, () => 1)).toBe(100);
    expect(retryDelay(3, policy, null, () => 1)).toBe(400);
    expect(retryDelay(10, policy, null, () => 1)).toBe(1000);
    expect(retryDelay(3, policy, null, () => 0.5)).toBe(200);
    expect(retryDelay(1, policy, 1000, () => 0)).toBe(1000);
  });
});

describe('OutboxWorker', () => {
  it('adds the keys of every item exactly once and reports the drain once', async () => {
    const s = station();
    const order = await saleOrder(t, { quantity: 600 });
    const keys = freshKeys(600);
    const items = [0, 1, 2].map((i) =>
      s.outbox.enqueueAddKeys(order._id, keys.slice(i * 200, i * 200 + 200)),
    );
    const onDrained = vi.fn();
    const settled: OutboxItem[] = [];
    const summaries: unknown[] = [];
    const w = started(
      worker(s.outbox, client, {
        onDrained,
        onItemSettled: (item) => settled.push(item),
        onChange: (summary) => summaries.push(summary),
      }),
    );
    await w.whenIdle();
    for (const item of items) {
      const done = await w.waitFor(item.id);
      expect(done.status).toBe('done');
      expect(Object.values(done.result!)).toEqual(Array(200).fill(0));
    }
    expect(settled.map((i) => i.id)).toEqual(items.map((i) => i.id));
    const inOrder = await keysInOrder(t, order._id);
    expect(inOrder).toHaveLength(600);
    expect(new Set(inOrder)).toEqual(new Set(keys.map((k) => k.dongleId)));
    await new Promise((r) => setImmediate(r));
    expect(onDrained).toHaveBeenCalledTimes(1);
    // Summaries are coalesced per window: the last one may follow the drain by up to that window.
    await vi.waitFor(() => expect(summaries.at(-1)).toMatchObject({ pending: 0, inFlight: 0, failed: 0 }));

    // A new item wakes the worker on its own, and its drain is announced again.
    const more = s.outbox.enqueueAddKeys(order._id, freshKeys(1));
    expect((await w.waitFor(more.id)).result).toEqual({ [more.dongleIds[0]!]: 10033 });
    await w.whenIdle();
    await new Promise((r) => setImmediate(r));
    expect(onDrained).toHaveBeenCalledTimes(2);
  });

  it('applies the items of one lane strictly in order: add, remove, add again', async () => {
    const s = station();
    const order = await saleOrder(t, { quantity: 600 });
    const [k] = freshKeys(1);
    const calls: string[] = [];
    const spying = new Proxy(client, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver);
        if (prop === 'addDongles' || prop === 'removeDongle') {
          return (...args: unknown[]) => {
            calls.push(String(prop));
            return (value as (...a: unknown[]) => unknown).apply(target, args);
          };
        }
        return value;
      },
    });
    const a1 = s.outbox.enqueueAddKeys(order._id, [k!]);
    const r = s.outbox.enqueueRemoveKey(order._id, k!.dongleId);
    const a2 = s.outbox.enqueueAddKeys(order._id, [k!]);
    const w = started(worker(s.outbox, spying));
    await w.whenIdle();
    expect(calls).toEqual(['addDongles', 'removeDongle', 'addDongles']);
    for (const item of [a1, r, a2]) expect((await w.waitFor(item.id)).result).toEqual({ [k!.dongleId]: 0 });
    expect(await keysInOrder(t, order._id)).toEqual([k!.dongleId]);
  });

  it('waits out Retry-After on a lane while other lanes go on', async () => {
    const s = station();
    const order = await saleOrder(t, { quantity: 600 });
    const [driverKey] = freshKeys(1);
    const setup = s.outbox.enqueueAddKeys(order._id, [driverKey!]);
    const prep = started(worker(s.outbox, client));
    await prep.waitFor(setup.id);
    await prep.stop();

    const attempts: number[] = [];
    const busyOnce: typeof fetch = async (input, init) => {
      if (String(input).endsWith('/multipledongles')) {
        attempts.push(Date.now());
        if (attempts.length === 1) {
          return new Response('{}', { status: 503, headers: { 'retry-after': '1' } });
        }
      }
      return fetch(input, init);
    };
    const add = s.outbox.enqueueAddKeys(order._id, freshKeys(2));
    const later = s.outbox.enqueueRemoveKey(order._id, driverKey!.dongleId);
    const driver = s.outbox.enqueueSetDriverType(driverKey!.dongleId, 2);
    const w = started(
      worker(s.outbox, stationClient(t.server.url, { fetch: busyOnce }), {
        backoff: { baseMs: 1, maxMs: 5 },
      }),
    );

    // The other lane is not held back by the order's lane.
    expect((await w.waitFor(driver.id)).status).toBe('done');
    const waiting = s.outbox.get(add.id)!;
    expect(waiting).toMatchObject({
      status: 'pending',
      attempts: 1,
      lastError: expect.stringMatching(/503/),
    });
    expect(waiting.nextAttemptAt - waiting.updatedAt).toBeGreaterThanOrEqual(990);
    expect(s.outbox.get(later.id)!.status).toBe('pending');

    expect((await w.waitFor(add.id)).status).toBe('done');
    expect(attempts).toHaveLength(2);
    expect(attempts[1]! - attempts[0]!).toBeGreaterThanOrEqual(990);
    expect((await w.waitFor(later.id)).status).toBe('done');
    const row = t.server.ctx.db
      .prepare('SELECT drivertype FROM dongles WHERE dongleid = ?')
      .get(driverKey!.dongleId);
    expect(row).toEqual({ drivertype: 2 });
  });

  it('reports per-key retcodes such as 10172 and still counts the item done', async () => {
    const s = station();
    const order = await saleOrder(t, { quantity: 600, products: [catalog.timed] });
    const [sign] = freshKeys(1);
    const [time] = freshKeys(1, { model: 3 });
    const item = s.outbox.enqueueAddKeys(order._id, [sign!, time!]);
    const w = started(worker(s.outbox, client));
    const done = await w.waitFor(item.id);
    expect(done.status).toBe('done');
    expect(done.result).toEqual({ [sign!.dongleId]: 10172, [time!.dongleId]: 0 });
  });

  it('fails an item the server refuses, with the reason, and applies it once retried after the fix', async () => {
    const s = station();
    const revoked = await saleOrder(t, { quantity: 600 });
    await t.call('PUT', `/v1.0/orders/${revoked._id}`, { orderStatus: 2 });
    const draft = await saleOrder(t, { quantity: 600, submit: false });
    const onRevoked = s.outbox.enqueueAddKeys(revoked._id, freshKeys(1));
    const onDraft = s.outbox.enqueueAddKeys(draft._id, freshKeys(3));
    const w = started(worker(s.outbox, client));

    const refused = await w.waitFor(onRevoked.id);
    expect(refused).toMatchObject({ status: 'failed', result: null });
    expect(refused.lastError).toMatch(/code 10030/);
    expect((await w.waitFor(onDraft.id)).status).toBe('failed');

    await t.call('PUT', `/v1.0/orders/${draft._id}`, { orderStatus: 1 });
    expect(s.outbox.retry(onDraft.id).status).toBe('pending');
    const done = await w.waitFor(onDraft.id);
    expect(done).toMatchObject({ status: 'done', attempts: 1, lastError: null });
    expect(await keysInOrder(t, draft._id)).toEqual(onDraft.dongleIds);
  });

  it('fails an item whose answer is not the Guardant API, and goes on with the next one', async () => {
    const s = station();
    const order = await saleOrder(t, { quantity: 600 });
    let answer = 0;
    const garbled: typeof fetch = async (input, init) => {
      if (String(input).endsWith('/multipledongles') && answer < 2) {
        answer++;
        return answer === 1
          ? new Response('<html><body>Welcome to nginx</body></html>', {
              headers: { 'content-type': 'text/html' },
            })
          : Response.json({ dongles: [{ surprise: true }] });
      }
      return fetch(input, init);
    };
    const html = s.outbox.enqueueAddKeys(order._id, freshKeys(1));
    const wrongJson = s.outbox.enqueueAddKeys(order._id, freshKeys(1));
    const fine = s.outbox.enqueueAddKeys(order._id, freshKeys(1));
    const w = started(worker(s.outbox, stationClient(t.server.url, { fetch: garbled })));
    expect(await w.waitFor(html.id)).toMatchObject({
      status: 'failed',
      lastError: expect.stringMatching(/^Bad server response: .*not JSON/),
    });
    expect(await w.waitFor(wrongJson.id)).toMatchObject({
      status: 'failed',
      lastError: expect.stringMatching(/^Bad server response: .*unexpected answer/),
    });
    expect((await w.waitFor(fine.id)).status).toBe('done');
  });

  it('never sends a cancelled item, and a cancel does not hold back its lane', async () => {
    const s = station();
    const order = await saleOrder(t, { quantity: 600 });
    const cancelled = s.outbox.enqueueAddKeys(order._id, freshKeys(2));
    const next = s.outbox.enqueueAddKeys(order._id, freshKeys(1));
    expect(s.outbox.cancel(cancelled.id).status).toBe('cancelled');
    const w = started(worker(s.outbox, client));
    expect((await w.waitFor(next.id)).status).toBe('done');
    expect(await keysInOrder(t, order._id)).toEqual(next.dongleIds);
    expect(s.outbox.get(cancelled.id)!.status).toBe('cancelled');
  });

  it('recovers an item the database left in flight when it failed mid-settle, without a restart', async () => {
    const s = station();
    const order = await saleOrder(t, { quantity: 10 });
    const keys = freshKeys(2);
    const first = s.outbox.enqueueAddKeys(order._id, keys.slice(0, 1));
    const second = s.outbox.enqueueAddKeys(order._id, keys.slice(1));
    // The disk fills up right after the first item went in flight…
    const realTransition = s.outbox.transition.bind(s.outbox);
    let diskFull = false;
    let filledOnce = false;
    let faults = 0;
    let hitFullDisk!: () => void;
    const fullDiskHit = new Promise<void>((resolve) => (hitFullDisk = resolve));
    vi.spyOn(s.outbox, 'transition').mockImplementation((item, from, change) => {
      if (diskFull) {
        if (++faults === 2) hitFullDisk();
        throw new Error('SQLITE_FULL: database or disk is full');
      }
      const moved = realTransition(item, from, change);
      if (change.status === 'in-flight' && !filledOnce) diskFull = filledOnce = true;
      return moved;
    });
    const w = started(worker(s.outbox, client));
    // The worker has run into the full disk twice, settling the item and then marking it failed (so it
    // is now pausing to recover), rather than "50 ms have passed": freed after the first fault only, the
    // worker just settles the item as failed (Internal), a different path from the one under test…
    await fullDiskHit;
    diskFull = false; // …and the operator frees some space.
    expect((await w.waitFor(first.id)).status).toBe('done');
    expect((await w.waitFor(second.id)).status).toBe('done');
    expect(new Set(await keysInOrder(t, order._id))).toEqual(new Set(keys.map((k) => k.dongleId)));
  });

  it('reconciles an add-keys item left in flight by a crash instead of adding the keys twice', async () => {
    const s = station();
    const order = await saleOrder(t, { quantity: 600 });
    const item = s.outbox.enqueueAddKeys(order._id, freshKeys(5));
    let reached!: () => void;
    const serverHasIt = new Promise<void>((r) => (reached = r));
    const crashing = new Proxy(client, {
      get(target, prop, receiver) {
        if (prop !== 'addDongles') return Reflect.get(target, prop, receiver);
        // The server applies the batch; the answer is lost with the station.
        return async (...args: Parameters<GuardantClient['addDongles']>) => {
          await target.addDongles(...args);
          reached();
          return never();
        };
      },
    });
    worker(s.outbox, crashing).start();
    await serverHasIt;
    expect(s.outbox.get(item.id)!.status).toBe('in-flight');

    s.reopen();
    const w = started(worker(s.outbox, client));
    const done = await w.waitFor(item.id);
    expect(done.status).toBe('done');
    expect(Object.values(done.result!)).toEqual(Array(5).fill(10168));
    expect(done.attempts).toBe(2);
    expect((await keysInOrder(t, order._id)).sort()).toEqual([...item.dongleIds].sort());
  });

  it('sends again a remove-key left in flight and counts "not in the order" as done', async () => {
    const s = station();
    const order = await saleOrder(t, { quantity: 600 });
    const [k] = freshKeys(1);
    // The server is sent the wire's identity (dongleModel), the same key as freshKeys made.
    await t.call('POST', `/v1.0/orders/${order._id}/dongles`, key(k!.dongleId));
    const item = s.outbox.enqueueRemoveKey(order._id, k!.dongleId);
    await client.removeDongle(order._id, k!.dongleId);
    s.outbox.transition(s.outbox.queued(item.id)!, ['pending'], { status: 'in-flight', attempts: 1 });
    s.reopen();
    const w = started(worker(s.outbox, client));
    expect(await w.waitFor(item.id)).toMatchObject({ status: 'done', result: { [k!.dongleId]: 10038 } });
  });
});

describe('OutboxWorker: licence writes are billed, so never written twice', () => {
  async function orderWithKey() {
    const order = await saleOrder(t, { quantity: 600, products: [catalog.plain] });
    const [k] = freshKeys(1);
    const res = await t.call('POST', `/v1.0/orders/${order._id}/dongles`, key(k!.dongleId));
    expect(res.status).toBe(200);
    return { orderId: order._id as number, dongleId: k!.dongleId };
  }

  /** Runs a worker whose performWrite stops the station after `before` (or before writing at all). */
  async function crashDuringWrite(s: StationFiles, itemId: number, recordFirst: boolean, dongleResult = 0) {
    let reached!: () => void;
    const crashed = new Promise<void>((r) => (reached = r));
    worker(s.outbox, client, {
      performWrite: async (orderId, dongleId, idempotencyKey) => {
        if (recordFirst) await client.recordWrite(orderId, dongleId, dongleResult, idempotencyKey);
        reached();
        return never();
      },
    }).start();
    await crashed;
    expect(s.outbox.get(itemId)!.status).toBe('in-flight');
    s.reopen();
  }

  it('writes once and records the outcome', async () => {
    const s = station();
    const { orderId, dongleId } = await orderWithKey();
    const item = s.outbox.enqueueWriteLicense(orderId, dongleId);
    const w = started(worker(s.outbox, client));
    expect(await w.waitFor(item.id)).toMatchObject({ status: 'done', result: { [dongleId]: 0 } });
    expect(await historyCount(t, dongleId)).toBe(1);
  });

  it('finds the write the server recorded before the crash and does not write again', async () => {
    const s = station();
    const { orderId, dongleId } = await orderWithKey();
    const item = s.outbox.enqueueWriteLicense(orderId, dongleId);
    await crashDuringWrite(s, item.id, true);

    const performWrite = vi.fn(writeThroughServer(client));
    const w = started(worker(s.outbox, client, { performWrite }));
    expect(await w.waitFor(item.id)).toMatchObject({ status: 'done', result: { [dongleId]: 0 } });
    expect(performWrite).not.toHaveBeenCalled();
    expect(await historyCount(t, dongleId)).toBe(1);
  });

  it('writes after the crash when the server never saw the write', async () => {
    const s = station();
    const { orderId, dongleId } = await orderWithKey();
    // An earlier write of the same order and key is the baseline, not this item's write.
    await client.recordWrite(orderId, dongleId, 0);
    const item = s.outbox.enqueueWriteLicense(orderId, dongleId);
    await crashDuringWrite(s, item.id, false);

    const performWrite = vi.fn(writeThroughServer(client));
    const w = started(worker(s.outbox, client, { performWrite }));
    expect((await w.waitFor(item.id)).status).toBe('done');
    expect(performWrite).toHaveBeenCalledTimes(1);
    expect(await historyCount(t, dongleId)).toBe(2);
  });

  it('takes a failed write found on reconcile as failed with its ActionResult; a retry writes again', async () => {
    const s = station();
    const { orderId, dongleId } = await orderWithKey();
    const item = s.outbox.enqueueWriteLicense(orderId, dongleId);
    await crashDuringWrite(s, item.id, true, 201);

    const performWrite = vi.fn(writeThroughServer(client));
    const w = started(worker(s.outbox, client, { performWrite }));
    const failed = await w.waitFor(item.id);
    expect(failed).toMatchObject({ status: 'failed', result: { [dongleId]: 201 } });
    expect(failed.lastError).toMatch(/^ActionResult 201: Writing into the key failed/);
    expect(performWrite).not.toHaveBeenCalled();

    expect(s.outbox.retry(item.id).status).toBe('pending');
    expect((await w.waitFor(item.id)).status).toBe('done');
    expect(performWrite).toHaveBeenCalledTimes(1);
    expect(await historyCount(t, dongleId)).toBe(2);
  });

  it('fails a write the server scripted to fail, with the operator-facing meaning', async () => {
    const s = station();
    const { orderId, dongleId } = await orderWithKey();
    await t.call('POST', '/v1.0/admin/faults', { dongleId, actionResult: 2 });
    const item = s.outbox.enqueueWriteLicense(orderId, dongleId);
    const w = started(worker(s.outbox, client));
    const failed = await w.waitFor(item.id);
    expect(failed).toMatchObject({ status: 'failed', result: { [dongleId]: 2 } });
    expect(failed.lastError).toMatch(/balance is used up/);
  });

  it('checks the ledger before writing again when a write ended with an unknown outcome', async () => {
    const s = station();
    const { orderId, dongleId } = await orderWithKey();
    const item = s.outbox.enqueueWriteLicense(orderId, dongleId);
    let calls = 0;
    const w = started(
      worker(s.outbox, client, {
        performWrite: async (o, d, idempotencyKey) => {
          calls++;
          await client.recordWrite(o, d, 0, idempotencyKey);
          // The license manager lost track after the server recorded the write.
          throw new Error('license manager crashed');
        },
      }),
    );
    const failed = await w.waitFor(item.id);
    expect(failed).toMatchObject({ status: 'failed', lastError: 'license manager crashed' });
    expect(s.outbox.retry(item.id).status).toBe('needs-reconcile');
    expect(await w.waitFor(item.id)).toMatchObject({ status: 'done', result: { [dongleId]: 0 } });
    expect(calls).toBe(1);
    expect(await historyCount(t, dongleId)).toBe(1);
  });

  it('fails a write the server refuses (key not in the order) without a second attempt', async () => {
    const s = station();
    const order = await saleOrder(t, { quantity: 600 });
    const [k] = freshKeys(1);
    const item = s.outbox.enqueueWriteLicense(order._id, k!.dongleId);
    const w = started(worker(s.outbox, client));
    const failed = await w.waitFor(item.id);
    expect(failed.status).toBe('failed');
    expect(failed.lastError).toMatch(/code 10038/);
  });
});
