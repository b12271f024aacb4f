import type { Database } from 'better-sqlite3';

/**
 * The Queue tells a retried success from a failure (issue 10): how often the operator retried an item,
 * and which later write put the licence on the key of a failed write (it is then closed as history).
 */
export function up(db: Database): void {
  db.exec(`
    ALTER TABLE outbox ADD COLUMN retries INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE outbox ADD COLUMN superseded_by INTEGER;
  `);
}
