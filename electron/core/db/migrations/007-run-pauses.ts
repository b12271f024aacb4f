import type { Database } from 'better-sqlite3';

/**
 * Issue 9, production runs that pause and wait (all added columns, so no table is rebuilt):
 * - a run's stop names its cause, so resuming can ask whether the cause still holds;
 * - a task the stop left "not attempted" (or failed on the cause itself) is marked resumable, so
 *   resuming revives exactly those and not the keys the pre-flight left out;
 * - the read-back's tries and the time of the next one are kept with the task, so a restart goes on
 *   counting and waiting where it was instead of starting over (and hammering the license manager).
 */
export function up(db: Database): void {
  db.exec(`
    -- 'balance', 'subscription', 'order-revoked', 'order-full' (see runs/run-stops.ts); null with no stop.
    ALTER TABLE runs ADD COLUMN stop_cause TEXT;
    ALTER TABLE run_tasks ADD COLUMN resumable INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE run_tasks ADD COLUMN verify_attempts INTEGER NOT NULL DEFAULT 0;
    -- Epoch ms of the next read-back after one that could not be made; null: at once.
    ALTER TABLE run_tasks ADD COLUMN verify_next_at INTEGER;
    CREATE INDEX run_tasks_resumable ON run_tasks(run_id) WHERE resumable = 1;
  `);
}
