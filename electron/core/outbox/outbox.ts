import type { Database, Statement } from 'better-sqlite3';
import { KEY_IN_ORDER_RETCODES, MAX_BATCH_DONGLES } from '../../../shared/guardant/codes';
import { StationErrorCode } from '../../../shared/ipc/result';
import {
  OUTBOX_FIRST_KEYS,
  type OutboxCounts,
  type OutboxEntry,
  type OutboxItem,
  type OutboxKind,
  type OutboxPage,
  type OutboxStatus,
  type OutboxSummary,
  type OutboxView,
  type KeyIdentity,
} from '../../../shared/station/models';
import {
  CANCELLABLE_OUTBOX_STATUSES,
  DUE_OUTBOX_STATUSES,
  isCancellable,
  isDue,
  isRetryable,
  OPEN_OUTBOX_STATUSES,
  OUTBOX_COUNT_FIELD,
  OUTBOX_VIEW_STATUSES,
  SETTLED_OUTBOX_STATUSES,
} from '../../../shared/station/outbox-statuses';
import { resultOf, type KeyCodes } from '../../../shared/station/outbox-results';
import { sqlList } from '../db/sql-list';
import { OutboxError } from './outbox-error';
import { parseStoredResult, unreadableResultWords } from './stored-result';
import {
  parsePayload,
  storedPayload,
  type OutboxPayload,
  type QueuedItem,
  type ReadItem,
} from './outbox-payload';

/** `status IN (…)` of the open statuses, in the words of the partial index it is read through. */
const OPEN = `(${sqlList(OPEN_OUTBOX_STATUSES)})`;
const SETTLED = `(${sqlList(SETTLED_OUTBOX_STATUSES)})`;
const DUE = `(${sqlList(DUE_OUTBOX_STATUSES)})`;

export const orderLane = (orderId: number) => `order:${orderId}`;
export const dongleLane = (dongleId: number) => `dongle:${dongleId}`;

interface OutboxRow {
  id: number;
  kind: OutboxKind;
  lane: string;
  order_id: number | null;
  dongle_ids: string;
  payload: string;
  status: OutboxStatus;
  attempts: number;
  next_attempt_at: number;
  last_error: string | null;
  result: string | null;
  created_at: number;
  updated_at: number;
  retries: number;
  superseded_by: number | null;
}

/** A move of one item, applied only if the item is still in one of the `from` statuses. */
export interface Transition {
  status: OutboxStatus;
  attempts?: number;
  nextAttemptAt?: number;
  lastError?: string | null;
  /** Per-key codes (see outbox-results.ts); null clears them. */
  result?: KeyCodes | null;
  /** Written only when given: a transition that does not change the payload leaves it as stored. */
  payload?: OutboxPayload;
  retries?: number;
}

export interface OutboxOptions {
  clock?: () => number;
  /** summary() shows at most this many pending, in-flight, to-reconcile and failed items (oldest first)… */
  openLimit?: number;
  /** …and this many recently settled ones (newest first). */
  recentLimit?: number;
}

/** Which page of which view list() answers. */
export interface OutboxPageQuery {
  view: OutboxView;
  offset?: number;
  limit?: number;
}

const WORK = `(${sqlList(OUTBOX_VIEW_STATUSES.work)})`;
/** In the words of the partial index `outbox_settled` (migration 001). */
const HISTORY = `(${sqlList(OUTBOX_VIEW_STATUSES.history)})`;

const ENTRY_COLUMNS = `id, kind, lane, order_id, status, attempts, next_attempt_at, last_error, created_at,
  updated_at, retries, superseded_by, json_array_length(dongle_ids) AS key_count,
  -- The codes are JSON numbers (migration 008), matched by sqlList's unquoted numbers; a result that
  -- is no JSON counts nothing here rather than failing the whole list (the full item says why).
  (SELECT count(*) FROM json_each(CASE WHEN json_valid(result) THEN result END)
    WHERE value NOT IN (${sqlList(KEY_IN_ORDER_RETCODES)})) AS failed_keys,
  (SELECT json_group_array(value) FROM (SELECT value FROM json_each(dongle_ids) LIMIT ${OUTBOX_FIRST_KEYS}))
    AS first_keys`;

interface EntryRow extends Pick<
  OutboxRow,
  | 'id'
  | 'kind'
  | 'lane'
  | 'order_id'
  | 'status'
  | 'attempts'
  | 'next_attempt_at'
  | 'last_error'
  | 'created_at'
  | 'updated_at'
  | 'retries'
  | 'superseded_by'
> {
  key_count: number;
  failed_keys: number;
  first_keys: string;
}

/** The queue panel's view of an item: counts in place of the per-key lists. */
const entryOf = (row: EntryRow): OutboxEntry => ({
  id: row.id,
  kind: row.kind,
  lane: row.lane,
  orderId: row.order_id,
  status: row.status,
  attempts: row.attempts,
  nextAttemptAt: row.next_attempt_at,
  lastError: row.last_error,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  retries: row.retries,
  supersededBy: row.superseded_by,
  keyCount: row.key_count,
  failedKeys: row.failed_keys,
  firstKeys: JSON.parse(row.first_keys) as number[],
});

/** The item without what only the worker reads. */
export const publicItem = (item: OutboxItem & { payload?: unknown; unreadable?: string }): OutboxItem => {
  const { payload: _payload, unreadable: _unreadable, ...rest } = item;
  return rest;
};

/** The stored last error, led by the words of an unreadable result (once: a transition may have stored them). */
function lastErrorWith(unreadable: string | null, stored: string | null): string | null {
  if (!unreadable || stored?.startsWith(unreadable)) return stored ?? unreadable;
  return stored ? `${unreadable}; ${stored}` : unreadable;
}

function toPublic(row: OutboxRow): OutboxItem {
  const stored = parseStoredResult(row.result);
  // An unreadable result is no outcome (null) and says so in the item's last error.
  const unreadable = 'unreadable' in stored ? unreadableResultWords(stored.unreadable) : null;
  return {
    id: row.id,
    kind: row.kind,
    lane: row.lane,
    orderId: row.order_id,
    dongleIds: JSON.parse(row.dongle_ids) as number[],
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    lastError: lastErrorWith(unreadable, row.last_error),
    result: 'result' in stored ? stored.result : null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    retries: row.retries,
    supersededBy: row.superseded_by,
  };
}

/** A row with its payload parsed; a payload that does not parse makes an UnreadableItem, not a throw. */
function toItem(row: OutboxRow): ReadItem {
  const item = toPublic(row);
  const parsed = parsePayload(row.kind, row.payload);
  return 'payload' in parsed
    ? ({ ...item, payload: parsed.payload } as QueuedItem)
    : { ...item, payload: null, unreadable: parsed.unreadable };
}

/**
 * The durable queue of changes the station owes the server (Signal's JobQueue idea): an item is a
 * row in the station database. Enqueueing opens no transaction of its own, so an item queued inside a
 * caller's transaction on the same database commits with the state change that caused it (the runs
 * enqueue inside RunStore.transaction()). OutboxWorker applies items (several lanes at once) strictly
 * in order within their lane.
 */
export class Outbox {
  readonly clock: () => number;
  private readonly openLimit: number;
  private readonly recentLimit: number;
  private readonly listeners = new Set<() => void>();
  private readonly insert: Statement<
    [string, OutboxKind, number | null, string, string, number, number, number]
  >;
  private readonly byId: Statement<[number], OutboxRow>;
  private readonly counts: Statement<[], { status: OutboxStatus; n: number }>;
  private readonly viewTotal: Statement<[string], { n: number }>;
  private readonly newest: Statement<[], { id: number | null }>;
  private readonly workPage: Statement<[number, number], EntryRow>;
  private readonly historyPage: Statement<[number, number], EntryRow>;
  private readonly openItems: Statement<[number], EntryRow>;
  private readonly failedItems: Statement<[number], EntryRow>;
  private readonly recentlySettled: Statement<[number], EntryRow>;
  private readonly laneHead: Statement<[string], OutboxRow>;
  private readonly openTotal: Statement<[], { n: number }>;
  private readonly update: Statement<Record<string, unknown>>;

  constructor(
    private readonly db: Database,
    options: OutboxOptions = {},
  ) {
    this.clock = options.clock ?? Date.now;
    this.openLimit = options.openLimit ?? 100;
    this.recentLimit = options.recentLimit ?? 20;
    this.insert = db.prepare(
      `INSERT INTO outbox (lane, kind, order_id, dongle_ids, payload, status, attempts, next_attempt_at,
         created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'pending', 0, ?, ?, ?)`,
    );
    this.byId = db.prepare('SELECT * FROM outbox WHERE id = ?');
    // Each status group is read through its own partial index (see migration 001).
    this.counts = db.prepare(
      `SELECT status, COUNT(*) AS n FROM outbox
        WHERE status IN ${OPEN} GROUP BY status
       UNION ALL
       SELECT 'failed', COUNT(*) FROM outbox WHERE status = 'failed'
       UNION ALL
       SELECT status, COUNT(*) FROM outbox WHERE status IN ${HISTORY} GROUP BY status`,
    );
    this.viewTotal = db.prepare(
      'SELECT COUNT(*) AS n FROM outbox WHERE status IN (SELECT value FROM json_each(?))',
    );
    this.newest = db.prepare('SELECT MAX(id) AS id FROM outbox');
    // The work oldest first (the order it is sent in), the history latest first.
    this.workPage = db.prepare(
      `SELECT ${ENTRY_COLUMNS} FROM outbox
        WHERE status IN ${WORK} ORDER BY id LIMIT ? OFFSET ?`,
    );
    this.historyPage = db.prepare(
      `SELECT ${ENTRY_COLUMNS} FROM outbox WHERE status IN ${HISTORY}
        ORDER BY updated_at DESC, id DESC LIMIT ? OFFSET ?`,
    );
    // Summaries are built after every change: the counts come from SQL, so the per-key JSON of a
    // 500-key item (ids, identities, results) is never parsed just to be counted.
    this.openItems = db.prepare(
      `SELECT ${ENTRY_COLUMNS} FROM outbox INDEXED BY outbox_open_by_lane
        WHERE status IN ${OPEN} ORDER BY id LIMIT ?`,
    );
    this.failedItems = db.prepare(
      `SELECT ${ENTRY_COLUMNS} FROM outbox WHERE status = 'failed' ORDER BY id LIMIT ?`,
    );
    this.recentlySettled = db.prepare(
      `SELECT ${ENTRY_COLUMNS} FROM outbox WHERE status IN ${HISTORY} ORDER BY updated_at DESC LIMIT ?`,
    );
    // The head of a lane is its oldest open item; only heads may run, and the one due first goes first.
    // The partial (lane, id) index answers MIN(id) per lane in index order (3× faster than the planner's
    // own pick with 10,000 open items), however many settled rows the table holds.
    this.laneHead = db.prepare(
      `SELECT o.* FROM outbox o
         JOIN (SELECT MIN(id) AS id FROM outbox INDEXED BY outbox_open_by_lane
                WHERE status IN ${OPEN} GROUP BY lane) h ON h.id = o.id
        WHERE o.status IN ${DUE}
          AND o.lane NOT IN (SELECT value FROM json_each(?))
        ORDER BY o.next_attempt_at, o.id LIMIT 1`,
    );
    this.openTotal = db.prepare(`SELECT COUNT(*) AS n FROM outbox WHERE status IN ${OPEN}`);
    this.update = db.prepare(
      `UPDATE outbox SET status = @status, attempts = @attempts, next_attempt_at = @nextAttemptAt,
         last_error = @lastError, result = CASE WHEN @setResult THEN @result ELSE result END,
         payload = COALESCE(@payload, payload), retries = @retries,
         updated_at = @updatedAt
       WHERE id = @id AND status IN (SELECT value FROM json_each(@from))`,
    );
  }

  /** The bulk actions move their items in one transaction: all of them, or none. */
  private transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  enqueueAddKeys(orderId: number, keys: KeyIdentity[]): OutboxItem {
    if (keys.length === 0 || keys.length > MAX_BATCH_DONGLES) {
      throw new OutboxError(
        StationErrorCode.InvalidRequest,
        `an add-keys item carries 1 to ${MAX_BATCH_DONGLES} keys, not ${keys.length}`,
      );
    }
    // A key named twice would only earn a 10168 for its second copy; one copy says the same.
    const unique = [...new Map(keys.map((k) => [k.dongleId, k])).values()];
    return this.add(
      orderLane(orderId),
      orderId,
      unique.map((k) => k.dongleId),
      { kind: 'add-keys', keys: unique },
    );
  }

  enqueueRemoveKey(orderId: number, dongleId: number): OutboxItem {
    return this.add(orderLane(orderId), orderId, [dongleId], { kind: 'remove-key' });
  }

  enqueueSetDriverType(dongleId: number, driverType: number): OutboxItem {
    return this.add(dongleLane(dongleId), null, [dongleId], { kind: 'set-driver-type', driverType });
  }

  /**
   * Rides the key's own lane, so writes of different keys can run side by side. Add before write is the
   * caller's to keep: a run queues a key's write only once its add has settled.
   */
  enqueueWriteLicense(orderId: number, dongleId: number): OutboxItem {
    return this.add(dongleLane(dongleId), orderId, [dongleId], { kind: 'write-license' });
  }

  get(id: number): OutboxItem | null {
    const row = this.byId.get(id);
    return row ? toPublic(row) : null;
  }

  /** How many items each status holds. */
  countAll(): OutboxCounts {
    const counts = { pending: 0, inFlight: 0, failed: 0, needsReconcile: 0, done: 0, cancelled: 0 };
    for (const { status, n } of this.counts.all()) counts[OUTBOX_COUNT_FIELD[status]] = n;
    return counts;
  }

  /** One page of the Queue's pending work or history, with every count: nothing is left out unsaid. */
  list({ view, offset = 0, limit = 100 }: OutboxPageQuery = { view: 'work' }): OutboxPage {
    const page = view === 'work' ? this.workPage : this.historyPage;
    return {
      ...this.countAll(),
      view,
      offset,
      total: this.viewTotal.get(JSON.stringify(OUTBOX_VIEW_STATUSES[view]))!.n,
      newestId: this.newest.get()!.id ?? 0,
      items: page.all(limit, offset).map(entryOf),
    };
  }

  /** The change notice: counts, the open and failed items (bounded) and the latest settled ones. */
  summary(): OutboxSummary {
    const counts = this.countAll();
    const unsettled = [...this.openItems.all(this.openLimit), ...this.failedItems.all(this.openLimit)]
      .sort((a, b) => a.id - b.id)
      .slice(0, this.openLimit);
    const rows = [...unsettled, ...this.recentlySettled.all(this.recentLimit)];
    return { ...counts, items: rows.map(entryOf) };
  }

  /**
   * failed → pending, attempts reset. A write whose outcome was never learned goes to needs-reconcile
   * instead, so the worker looks at the server's ledger before it writes (and bills) again.
   */
  retry(id: number): OutboxItem {
    const item = this.require(id);
    if (!isRetryable(item.status)) {
      throw new OutboxError(
        StationErrorCode.Conflict,
        `outbox item ${id} is ${item.status}; only a failed or waiting item can be retried`,
      );
    }
    // "Try now" for an item waiting out its backoff: the operator knows the license manager or the
    // server is back before the next scheduled attempt does.
    if (isDue(item.status)) {
      const moved = this.transition(item, [item.status], {
        status: item.status,
        nextAttemptAt: this.clock(),
      });
      if (!moved) throw new OutboxError(StationErrorCode.Conflict, `outbox item ${id} moved on meanwhile`);
      this.changed();
      return publicItem(moved);
    }
    const moved = this.retryFailedItem(item);
    if (!moved) throw new OutboxError(StationErrorCode.Conflict, `outbox item ${id} moved on meanwhile`);
    this.changed();
    return publicItem(moved);
  }

  /** "Retry all failed": every failed item up to upToId (the newest the operator saw); returns how many. */
  retryFailed(upToId: number): number {
    const ids = this.db
      .prepare<[number], { id: number }>(
        `SELECT id FROM outbox INDEXED BY outbox_failed WHERE status = 'failed' AND id <= ? ORDER BY id`,
      )
      .all(upToId);
    const retried = this.transaction(
      () => ids.filter(({ id }) => this.retryFailedItem(this.queued(id)!) !== null).length,
    );
    if (retried) this.changed();
    return retried;
  }

  /**
   * "Cancel all pending": every pending item up to upToId; returns them as they now are, for the runs
   * to apply. Items in flight or being reconciled are left: they may already have reached the server.
   */
  cancelPending(upToId: number): OutboxItem[] {
    const rows = this.db
      .prepare<[number], OutboxRow>(
        `SELECT * FROM outbox INDEXED BY outbox_open_by_lane
          WHERE status IN ${OPEN} AND status = 'pending' AND id <= ?
          ORDER BY id`,
      )
      .all(upToId);
    const cancelled = this.transaction(() =>
      rows.flatMap((row) => {
        const moved = this.transition(toPublic(row), ['pending'], { status: 'cancelled' });
        return moved ? [publicItem(moved)] : [];
      }),
    );
    if (cancelled.length) this.changed();
    return cancelled;
  }

  /** pending, failed or needs-reconcile → cancelled; an item being sent right now cannot be taken back. */
  cancel(id: number): OutboxItem {
    const item = this.require(id);
    if (item.status === 'cancelled') return publicItem(item);
    if (!isCancellable(item.status)) {
      throw new OutboxError(
        StationErrorCode.Conflict,
        item.status === 'done'
          ? `outbox item ${id} is already done`
          : `outbox item ${id} is being sent right now; wait for its outcome`,
      );
    }
    const moved = this.transition(item, CANCELLABLE_OUTBOX_STATUSES, { status: 'cancelled' });
    if (!moved) throw new OutboxError(StationErrorCode.Conflict, `outbox item ${id} moved on meanwhile`);
    this.changed();
    return publicItem(moved);
  }

  /**
   * Puts an item off until `until` without failing it: it stays owed (pending) and cancellable, but the
   * worker does not send it meanwhile. From failed too, for an outcome that started nothing (a write
   * into a key that was not there). Used to hold a key's write while the key is unplugged
   * (runs/key-waits.ts); retry() makes it due again. Null when the item had moved on.
   */
  hold(id: number, until: number, reason: string): OutboxItem | null {
    const item = this.get(id);
    if (!item) return null;
    const moved = this.transition(item, ['pending', 'failed'], {
      status: 'pending',
      nextAttemptAt: until,
      lastError: reason,
      result: null,
    });
    if (moved) this.changed();
    return moved && publicItem(moved);
  }

  /**
   * Once a key holds an order's licence, its earlier failed writes of that order are history, not work:
   * they are closed as cancelled so the queue no longer counts them as failures.
   */
  supersedeFailedWrites(orderId: number, dongleId: number, byItemId: number): number {
    const { changes } = this.db
      .prepare(
        `UPDATE outbox SET status = 'cancelled', last_error = ?, superseded_by = ?, updated_at = ?
          WHERE kind = 'write-license' AND status = 'failed' AND order_id = ? AND dongle_ids = ? AND id <> ?`,
      )
      .run(
        `superseded by item ${byItemId}, which wrote the licence`,
        byItemId,
        this.clock(),
        orderId,
        JSON.stringify([dongleId]),
        byItemId,
      );
    if (changes) this.changed();
    return changes;
  }

  /** Called after every enqueue, retry and cancel (the worker wakes on it). Returns the unsubscriber. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get isOpen(): boolean {
    return this.db.open;
  }

  // ---- for OutboxWorker ----

  /**
   * The item with its payload parsed; an item whose stored payload does not parse comes with a null
   * payload and says why in `unreadable` (the worker fails it in those words).
   */
  queued(id: number): ReadItem | null {
    const row = this.byId.get(id);
    return row ? toItem(row) : null;
  }

  /**
   * The lane head due first, due or not (the worker sleeps until it is); null when nothing is open.
   * `busyLanes`: lanes the worker is already working on (their head may not read in flight yet).
   * A head whose payload does not parse comes as an UnreadableItem (null payload), for the worker to fail.
   */
  nextInLine(busyLanes: readonly string[] = []): ReadItem | null {
    const row = this.laneHead.get(JSON.stringify(busyLanes));
    return row ? toItem(row) : null;
  }

  openCount(): number {
    return this.openTotal.get()!.n;
  }

  /** At startup: an item left in flight may or may not have reached the server. */
  recoverInterrupted(): number {
    return this.db
      .prepare(
        `UPDATE outbox INDEXED BY outbox_open_by_lane SET status = 'needs-reconcile', updated_at = ?
          WHERE status IN ${OPEN} AND status = 'in-flight'`,
      )
      .run(this.clock()).changes;
  }

  /** Deletes items settled before the cutoff; their outcome is in the shift log and key records. */
  pruneSettled(before: number): number {
    return this.db.prepare(`DELETE FROM outbox WHERE status IN ${SETTLED} AND updated_at < ?`).run(before)
      .changes;
  }

  /** Makes every waiting item due now, e.g. when the server comes back. */
  makeDueNow(): number {
    const now = this.clock();
    return this.db
      .prepare(
        `UPDATE outbox INDEXED BY outbox_open_by_lane SET next_attempt_at = ?
          WHERE status IN ${OPEN} AND status != 'in-flight'
            AND next_attempt_at > ?`,
      )
      .run(now, now).changes;
  }

  /**
   * Applies the transition if the item is still in one of the `from` statuses (the operator may have
   * cancelled it meanwhile); returns the item as it now is, or null when it had moved on.
   * `durable` commits with synchronous=FULL: for the in-flight mark before a billed write, which must
   * survive a power cut, not only a crash of the app.
   */
  transition<T extends OutboxItem>(
    item: T,
    from: readonly OutboxStatus[],
    change: Transition,
    durable = false,
  ): T | null {
    const result = change.result === undefined ? undefined : change.result && resultOf(change.result);
    const next: T = {
      ...item,
      status: change.status,
      attempts: change.attempts ?? item.attempts,
      nextAttemptAt: change.nextAttemptAt ?? item.nextAttemptAt,
      lastError: change.lastError === undefined ? item.lastError : change.lastError,
      result: result === undefined ? item.result : result,
      retries: change.retries ?? item.retries,
      updatedAt: this.clock(),
      ...(change.payload && { payload: change.payload }),
    };
    if (change.payload && change.payload.kind !== item.kind) {
      throw new Error(`outbox item ${item.id} is ${item.kind}, not ${change.payload.kind}`);
    }
    // The payload and the per-key results (a 1000-key add's are tens of kilobytes) are written only
    // by the transitions that change them; every other one leaves them as stored.
    const params = {
      id: item.id,
      from: JSON.stringify(from),
      status: next.status,
      attempts: next.attempts,
      nextAttemptAt: next.nextAttemptAt,
      lastError: next.lastError,
      setResult: result === undefined ? 0 : 1,
      result: result ? JSON.stringify(result) : null,
      payload: change.payload ? storedPayload(change.payload) : null,
      retries: next.retries,
      updatedAt: next.updatedAt,
    };
    if (!durable) return this.update.run(params).changes === 1 ? next : null;
    this.db.pragma('synchronous = FULL');
    try {
      return this.update.run(params).changes === 1 ? next : null;
    } finally {
      this.db.pragma('synchronous = NORMAL');
    }
  }

  private add(lane: string, orderId: number | null, dongleIds: number[], payload: OutboxPayload): OutboxItem {
    const { kind } = payload;
    const now = this.clock();
    // Built here rather than read back: enqueue is on the operator's click path and must stay cheap.
    const { lastInsertRowid } = this.insert.run(
      lane,
      kind,
      orderId,
      JSON.stringify(dongleIds),
      storedPayload(payload),
      now,
      now,
      now,
    );
    this.changed();
    return {
      id: Number(lastInsertRowid),
      kind,
      lane,
      orderId,
      dongleIds,
      status: 'pending',
      attempts: 0,
      nextAttemptAt: now,
      lastError: null,
      result: null,
      createdAt: now,
      updatedAt: now,
      retries: 0,
      supersededBy: null,
    };
  }

  /** failed → pending (or needs-reconcile for a write whose outcome was never learned), counted. */
  private retryFailedItem(item: ReadItem): ReadItem | null {
    // An unreadable item goes back to pending, where the worker fails it again in the same words.
    const status =
      item.payload?.kind === 'write-license' && item.payload.outcomeUnknown ? 'needs-reconcile' : 'pending';
    return this.transition(item, ['failed'], {
      status,
      attempts: 0,
      nextAttemptAt: this.clock(),
      lastError: null,
      result: null,
      retries: item.retries + 1,
    });
  }

  private require(id: number): ReadItem {
    const item = this.queued(id);
    if (!item) throw new OutboxError(StationErrorCode.NotFound, `no outbox item ${id}`);
    return item;
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }
}
