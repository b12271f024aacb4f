import type { Database } from 'better-sqlite3';
import type { OrderDetail } from '../../shared/guardant/responses';
import type { OrdersStore } from './orders-store';

/** GET /v1.0/orders/{id}: the order with its customer, products (binding, memory items, features) and keys. */
export function orderDetail(db: Database, orders: OrdersStore, id: number): OrderDetail {
  const row = orders.row(id);
  void db;
  return { ...orders.toWire(row) };
}
