import type { Database } from 'better-sqlite3';

/**
 * Durable runs (issue 9): one order, many keys, each with its own task. A run is inserted in the same
 * transaction as the outbox items it causes, so a restart at any moment finds both or neither; a task
 * names the outbox item it waits on, so the item's outcome can be applied to it again after a crash.
 */
export function up(db: Database): void {
  db.exec(`
    CREATE TABLE runs (
      id INTEGER PRIMARY KEY,
      order_id INTEGER NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('running', 'finished')),
      -- Why the run stopped short (balance used up, subscription over); its untouched keys were not tried.
      stop_reason TEXT,
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL
    );
    CREATE INDEX runs_running ON runs(id) WHERE status = 'running';

    CREATE TABLE run_tasks (
      id INTEGER PRIMARY KEY,
      run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
      dongle_id INTEGER NOT NULL,
      state TEXT NOT NULL CHECK (state IN ('waiting-for-server', 'waiting-for-key', 'adding', 'writing',
        'written', 'failed', 'skipped', 'cancelled')),
      reason TEXT,
      action_result INTEGER,
      api_code INTEGER,
      -- The outbox item the task waits on: its add-keys item, then its write-license item.
      item_id INTEGER,
      updated_at INTEGER NOT NULL,
      UNIQUE (run_id, dongle_id)
    );
    CREATE INDEX run_tasks_by_item ON run_tasks(item_id) WHERE item_id IS NOT NULL;
    -- "Is this key already in a run that has not finished with it?"
    CREATE INDEX run_tasks_open_by_dongle ON run_tasks(dongle_id)
      WHERE state NOT IN ('written', 'failed', 'skipped', 'cancelled');
  `);
}
