import type { Database } from 'better-sqlite3';

/** Loads the demo catalog on first start (filled in by the demo-seed work). */
export function seedDemoIfEmpty(db: Database, now: number): void {
  void db;
  void now;
}
