import type { Database, Statement } from 'better-sqlite3';
import type { Product } from '../../shared/guardant/responses';
import {
  featureToWire,
  memoryItemToWire,
  orderLicense,
  paramToWire,
  productToWire,
  type FeatureRow,
  type MemoryItemRow,
  type OrderLicenseRow,
  type ParamRow,
  type ProductRow,
} from './catalog-rows';

/**
 * Products with their features and memory, read either as the catalog defines them (GET /v1.0/products)
 * or as one order holds them (the order's licences and memory data). Each read is five queries however
 * many products there are, so a search answering 100 serial numbers stays cheap.
 */

type OrderFeatureRow = OrderLicenseRow & { feature_id: number };
type OrderParamRow = { param_id: number; data: Buffer };

interface Scope<A extends unknown[]> {
  products: Statement<A, ProductRow>;
  features: Statement<A, FeatureRow>;
  memoryItems: Statement<A, MemoryItemRow>;
  params: Statement<A, ParamRow>;
}

interface Statements {
  catalog: Scope<[]>;
  order: Scope<[number]>;
  orderFeatures: Statement<[number], OrderFeatureRow>;
  orderParams: Statement<[number], OrderParamRow>;
}

const cache = new WeakMap<Database, Statements>();

function statements(db: Database): Statements {
  let s = cache.get(db);
  if (s) return s;
  const inOrder = 'JOIN order_products op ON op.product_id = x.product_id AND op.order_id = ?';
  s = {
    catalog: {
      products: db.prepare('SELECT * FROM products ORDER BY productnumber'),
      features: db.prepare('SELECT * FROM features ORDER BY featurenumber'),
      memoryItems: db.prepare('SELECT * FROM memory_items ORDER BY _id'),
      params: db.prepare('SELECT * FROM memory_params ORDER BY offset, _id'),
    },
    order: {
      products: db.prepare(
        `SELECT p.* FROM products p JOIN order_products op ON op.product_id = p._id
          WHERE op.order_id = ? ORDER BY p.productnumber`,
      ),
      features: db.prepare(`SELECT x.* FROM features x ${inOrder} ORDER BY x.featurenumber`),
      memoryItems: db.prepare(`SELECT x.* FROM memory_items x ${inOrder} ORDER BY x._id`),
      params: db.prepare(
        `SELECT mp.* FROM memory_params mp JOIN memory_items x ON x._id = mp.memoryitem_id ${inOrder}
          ORDER BY mp.offset, mp._id`,
      ),
    },
    orderFeatures: db.prepare('SELECT * FROM order_features WHERE order_id = ?'),
    orderParams: db.prepare('SELECT param_id, data FROM order_params WHERE order_id = ?'),
  };
  cache.set(db, s);
  return s;
}

function groupBy<T, K>(rows: T[], key: (row: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const row of rows) {
    const list = groups.get(key(row));
    if (list) list.push(row);
    else groups.set(key(row), [row]);
  }
  return groups;
}

interface OrderValues {
  licenses: Map<number, OrderLicenseRow>;
  data: Map<number, Buffer>;
}

function assemble<A extends unknown[]>(scope: Scope<A>, args: A, order: OrderValues | null): Product[] {
  const features = groupBy(scope.features.all(...args), (f) => f.product_id);
  const items = groupBy(scope.memoryItems.all(...args), (m) => m.product_id);
  const params = groupBy(scope.params.all(...args), (p) => p.memoryitem_id);
  return scope.products.all(...args).map((product) =>
    productToWire(
      product,
      (features.get(product._id) ?? []).map((f) =>
        featureToWire(f, order ? (order.licenses.get(f._id) ?? notInOrder(f)) : undefined),
      ),
      (items.get(product._id) ?? []).map((item) =>
        memoryItemToWire(
          item,
          (params.get(item._id) ?? []).map((p) => paramToWire(p, order?.data.get(p._id) ?? p.data)),
        ),
      ),
    ),
  );
}

/**
 * A feature the catalog gained after its product was put into the order has no terms there yet: it is
 * shown excluded, with its default licence, and POST .../features/{fid} includes it.
 */
export function notInOrder(feature: FeatureRow): OrderLicenseRow {
  return orderLicense(feature, 1);
}

/** GET /v1.0/products: the whole catalog with default licences and default memory data. */
export function catalogProducts(db: Database): Product[] {
  return assemble(statements(db).catalog, [], null);
}

/** The products in an order, each feature with the order's licence and each param with the order's data. */
export function productsOfOrder(db: Database, orderId: number): Product[] {
  const s = statements(db);
  const licenses = new Map<number, OrderLicenseRow>(
    s.orderFeatures.all(orderId).map((r) => [r.feature_id, r]),
  );
  const data = new Map(s.orderParams.all(orderId).map((r) => [r.param_id, r.data]));
  return assemble(s.order, [orderId], { licenses, data });
}
