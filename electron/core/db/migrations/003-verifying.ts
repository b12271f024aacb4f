import type { Database } from 'better-sqlite3';

/**
 * Verify after write (issue 9): a task whose write succeeded waits in 'verifying' until the key's
 * licence has been read back and compared with the order. SQLite cannot change a CHECK constraint in
 * place, so run_tasks is rebuilt with the new state allowed, rows and indexes as they were.
 */
export function up(db: Database): void {
  db.exec(`
    CREATE TABLE run_tasks_new (
      id INTEGER PRIMARY KEY,
      run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
      dongle_id INTEGER NOT NULL,
      state TEXT NOT NULL CHECK (state IN ('waiting-for-server', 'waiting-for-key', 'adding', 'writing',
        'verifying', 'written', 'failed', 'skipped', 'cancelled')),
      reason TEXT,
      action_result INTEGER,
      api_code INTEGER,
      -- The outbox item the task waits on: its add-keys item, then its write-license item.
      item_id INTEGER,
      updated_at INTEGER NOT NULL,
      UNIQUE (run_id, dongle_id)
    );
    INSERT INTO run_tasks_new (id, run_id, dongle_id, state, reason, action_result, api_code, item_id, updated_at)
      SELECT id, run_id, dongle_id, state, reason, action_result, api_code, item_id, updated_at FROM run_tasks;
    DROP TABLE run_tasks;
    ALTER TABLE run_tasks_new RENAME TO run_tasks;
    CREATE INDEX run_tasks_by_item ON run_tasks(item_id) WHERE item_id IS NOT NULL;
    -- "Is this key already in a run that has not finished with it?"
    CREATE INDEX run_tasks_open_by_dongle ON run_tasks(dongle_id)
      WHERE state NOT IN ('written', 'failed', 'skipped', 'cancelled');
  `);
}
