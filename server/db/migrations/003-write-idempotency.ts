import type { Database } from 'better-sqlite3';

/**
 * Each write attempt keeps the idempotency key the license manager sent with it (null for writes
 * reported without one), so a station that lost a write's answer can ask by that key what became of
 * it, and a repeated success with the same key is neither recorded nor billed twice.
 */
export function up(db: Database): void {
  db.exec(`
    ALTER TABLE burns ADD COLUMN idempotency_key TEXT;
    CREATE INDEX burns_by_idempotency_key ON burns(idempotency_key) WHERE idempotency_key IS NOT NULL;
  `);
}
