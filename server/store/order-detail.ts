import type { Database } from 'better-sqlite3';
import type { OrderDetail } from '../../shared/guardant/responses';
import { donglesOfOrder } from './dongles-store';
import type { OrdersStore } from './orders-store';
import { productsOfOrder } from './product-reader';

/** GET /v1.0/orders/{id}: the order with its customer, products (binding, memory items, features) and keys. */
export function orderDetail(db: Database, orders: OrdersStore, id: number): OrderDetail {
  const row = orders.row(id);
  return { ...orders.toWire(row), products: productsOfOrder(db, id), dongles: donglesOfOrder(db, id) };
}
