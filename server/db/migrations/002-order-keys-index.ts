import type { Database } from 'better-sqlite3';

/**
 * An order's keys in the order they were added, without sorting them all: GET /v1.0/orders/{id} and
 * GET /v1.0/orders/{id}/dongles read a page of a 150,000-key order in milliseconds.
 */
export function up(db: Database): void {
  db.exec('CREATE INDEX order_dongles_by_order_added ON order_dongles(order_id, added_at)');
}
