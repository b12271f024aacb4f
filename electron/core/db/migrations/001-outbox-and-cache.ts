import type { Database } from 'better-sqlite3';

/**
 * The station's durable state: the outbox of server changes, the read cache, the station's own
 * records of keys and of the shift, and its settings. Times are epoch milliseconds (the station's
 * clock); the JSON columns hold wire objects exactly as the server sent them.
 */
export function up(db: Database): void {
  db.exec(`
    -- One row per queued server change (Signal's JobQueue, plus reconciliation). Rows stay after they
    -- settle so the operator can read per-key results (nothing prunes them yet).
    CREATE TABLE outbox (
      id INTEGER PRIMARY KEY,
      kind TEXT NOT NULL CHECK (kind IN ('add-keys', 'remove-key', 'set-driver-type', 'write-license')),
      lane TEXT NOT NULL,
      order_id INTEGER,
      dongle_ids TEXT NOT NULL,
      -- What the kind needs to act: the key identities, the driver type, the write's baseline burn.
      payload TEXT NOT NULL,
      status TEXT NOT NULL CHECK (status IN
        ('pending', 'in-flight', 'done', 'failed', 'needs-reconcile', 'cancelled')),
      attempts INTEGER NOT NULL DEFAULT 0,
      next_attempt_at INTEGER NOT NULL,
      last_error TEXT,
      result TEXT,
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL
    );
    -- Partial indexes only: inserting a pending item touches the table and the open index alone, which
    -- keeps enqueue fast (a full (status, …) index cost a third of the insert rate).
    -- The worker's question "what is the head of each lane?" reads only open rows, however many
    -- settled rows the table has collected.
    CREATE INDEX outbox_open_by_lane ON outbox(lane, id, status)
      WHERE status IN ('pending', 'in-flight', 'needs-reconcile');
    CREATE INDEX outbox_failed ON outbox(id) WHERE status = 'failed';
    CREATE INDEX outbox_settled ON outbox(updated_at) WHERE status IN ('done', 'cancelled');

    -- Orders as last seen on the server: sortable, filterable columns plus the wire JSON, so an offline
    -- operator can still page, sort, filter and search them.
    CREATE TABLE cached_orders (
      _id INTEGER PRIMARY KEY,
      number INTEGER NOT NULL,
      submitdate INTEGER NOT NULL DEFAULT 0,
      status INTEGER NOT NULL,
      customer_name TEXT NOT NULL DEFAULT '',
      json TEXT NOT NULL,
      fetched_at INTEGER NOT NULL
    );
    CREATE INDEX cached_orders_by_number ON cached_orders(number);
    CREATE INDEX cached_orders_by_submitdate ON cached_orders(submitdate, _id);

    -- GET /v1.0/orders/{id}: products and keys of one order.
    CREATE TABLE cached_order_details (
      order_id INTEGER PRIMARY KEY,
      json TEXT NOT NULL,
      fetched_at INTEGER NOT NULL
    );

    -- A key's write history, one row per burn, so offline reads can filter by date and result.
    CREATE TABLE cached_burns (
      _id INTEGER PRIMARY KEY,
      dongle_id INTEGER NOT NULL,
      actiondate INTEGER NOT NULL,
      actionresult INTEGER NOT NULL,
      json TEXT NOT NULL,
      fetched_at INTEGER NOT NULL
    );
    CREATE INDEX cached_burns_by_dongle ON cached_burns(dongle_id, actiondate, _id);

    -- Whole answers kept as they came (the catalog, a key's orders) and "when was this last fetched"
    -- markers for the tables above.
    CREATE TABLE cached_reads (
      key TEXT PRIMARY KEY,
      json TEXT NOT NULL,
      fetched_at INTEGER NOT NULL
    );

    -- The station's own record of each key it has handled.
    CREATE TABLE key_records (
      dongle_id INTEGER PRIMARY KEY,
      order_id INTEGER,
      state TEXT NOT NULL, -- new | in-order | written | failed
      action_result INTEGER,
      updated_at INTEGER NOT NULL
    );

    -- What happened during the shift, for the operator's log and its CSV export.
    CREATE TABLE shift_log (
      id INTEGER PRIMARY KEY,
      at INTEGER NOT NULL,
      action TEXT NOT NULL,
      order_id INTEGER,
      dongle_id INTEGER,
      outcome TEXT NOT NULL,
      detail TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX shift_log_by_at ON shift_log(at);

    CREATE TABLE settings (
      key TEXT PRIMARY KEY,
      value TEXT NOT NULL
    );
  `);
}
