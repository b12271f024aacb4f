import type { Database } from 'better-sqlite3';

/**
 * Results an operator can act on (issue 9, item 11): every key's result says where the key was on the
 * bench when its run started (plug number, USB port, model), even after it was unplugged, and why the
 * pre-flight left it out (so "Retry failed" can tell a key that cannot succeed from one that can).
 * Plain nullable columns: rows from before this version simply have none of it.
 */
export function up(db: Database): void {
  db.exec(`
    ALTER TABLE run_tasks ADD COLUMN plug_order INTEGER;
    ALTER TABLE run_tasks ADD COLUMN usb_path TEXT;
    ALTER TABLE run_tasks ADD COLUMN model INTEGER;
    ALTER TABLE run_tasks ADD COLUMN left_out TEXT;
  `);
}
