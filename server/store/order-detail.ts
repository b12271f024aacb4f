import type { Database } from 'better-sqlite3';
import { ORDER_DETAIL_DONGLES } from '../../shared/guardant/codes';
import type { OrderDetail } from '../../shared/guardant/responses';
import { countDonglesOfOrder, donglesOfOrder } from './dongles-store';
import type { OrdersStore } from './orders-store';
import { productsOfOrder } from './product-reader';

/**
 * GET /v1.0/orders/{id}: the order with its customer, products (binding, memory items, features), its
 * first ORDER_DETAIL_DONGLES keys and how many keys it holds in all; GET .../dongles pages the rest.
 * An order of 150,000 keys used to answer 12 MB in one piece.
 */
export function orderDetail(db: Database, orders: OrdersStore, id: number): OrderDetail {
  const row = orders.row(id);
  return {
    ...orders.toWire(row),
    products: productsOfOrder(db, id),
    dongles: donglesOfOrder(db, id, { offset: 0, limit: ORDER_DETAIL_DONGLES, direction: 'asc' }),
    donglescount: countDonglesOfOrder(db, id),
  };
}
