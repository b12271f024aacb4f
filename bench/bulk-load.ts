/** Fills a reference-server database fast, for the benchmarks: orders, customers, keys. */
import type { Database } from 'better-sqlite3';
import { OrderStatus } from '../shared/guardant/codes';
import { addCustomer, addProduct } from '../server/store/catalog-writer';

const CUSTOMERS = 1_000;
export const PUBLIC_CODE = 1368487351;
const BASE_DATE = 1_600_000_000;
const DAY = 86_400;

/** Deterministic spread: Knuth's multiplicative hash of the index. */
const spread = (i: number) => Math.imul(i, 2654435761) >>> 0;

/** 80 % Submitted, 12 % Draft, 4 % Revoked, 4 % Archived: status=0,1 keeps 92 % of the rows. */
function statusOf(i: number): number {
  const h = spread(i) % 100;
  if (h < 80) return OrderStatus.Submitted;
  if (h < 92) return OrderStatus.Draft;
  if (h < 96) return OrderStatus.Revoked;
  return OrderStatus.Archived;
}

/** Loads the data in one transaction with the order indexes dropped, then rebuilds them in one sort each. */
export function bulkLoad(
  db: Database,
  counts: { orders: number; dongles: number },
): { productId: number; ms: number } {
  const ORDERS = counts.orders;
  const DONGLES = counts.dongles;
  const t0 = performance.now();
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -262144');
  const indexes = db
    .prepare<[], { name: string; sql: string }>(
      "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'orders' AND sql IS NOT NULL",
    )
    .all();
  let productId = 0;
  db.transaction(() => {
    for (const { name } of indexes) db.exec(`DROP INDEX ${name}`);
    for (let c = 0; c < CUSTOMERS; c++) {
      addCustomer(db, {
        name: `Contact ${c}`,
        lastname: `Bench`,
        companyname: `Customer ${c} Ltd`,
        email: `c${c}@example.com`,
      });
    }
    productId = addProduct(db, {
      productnumber: 50_000,
      name: 'Bench product',
      features: [
        { featurenumber: 1, name: 'core', canexclude: false },
        { featurenumber: 2, name: 'export' },
        { featurenumber: 3, name: 'reports' },
      ],
    })._id;

    // Rows arrive in _id and number order, so the table and the UNIQUE(number) index only append.
    const insert = db.prepare(
      `INSERT INTO orders (_id, number, type, status, ishardwarelicense, customer_id, date, submitdate,
         activationlimit, quantity, description, archivationdate)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (let i = 1; i <= ORDERS; i++) {
      const h = spread(i);
      const status = statusOf(i);
      const date = BASE_DATE + i * 60;
      const submitdate = status === OrderStatus.Draft ? 0 : date + (h % (30 * DAY));
      insert.run(
        i,
        i,
        h % 10 === 0 ? 1 : 0,
        status,
        h % 3 === 0 ? 1 : 0,
        i % 10 === 0 ? 1 + ((i / 10) % CUSTOMERS) : null,
        date,
        submitdate,
        1 + (h % 5),
        1 + (h % 50),
        `bench order ${i}`,
        status === OrderStatus.Archived ? submitdate + DAY : 0,
      );
    }
    db.prepare("UPDATE counters SET value = ? WHERE name = 'order_number'").run(ORDERS);

    const insertKey = db.prepare(
      'INSERT INTO dongles (seen, dongleid, model, publiccode, typeflags, netresource) VALUES (?, ?, ?, ?, ?, ?)',
    );
    for (let k = 1; k <= DONGLES; k++) {
      insertKey.run(k, 1_000_000_000 + k * 7, 2 + (k % 4), PUBLIC_CODE, 442, k % 4 === 3 ? 50 : 0);
    }
    for (const { sql } of indexes) db.exec(sql);
  })();
  db.pragma('synchronous = NORMAL');
  db.pragma('wal_checkpoint(TRUNCATE)');
  return { productId, ms: performance.now() - t0 };
}
