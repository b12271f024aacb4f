import type { Database, Statement } from 'better-sqlite3';
import { parseOrderSearch } from '../../../shared/guardant/order-search';
import type { OrderSort } from '../../../shared/guardant/requests';
import type { Order } from '../../../shared/guardant/responses';

/** The part of the 'orders:list' request an offline page is served by. */
export interface OrdersPageQuery {
  offset: number;
  limit: number;
  sortby: OrderSort;
  direction: 'asc' | 'desc';
  status?: number[] | undefined;
  q?: string | undefined;
  hardware?: boolean | undefined;
}

/** Same orderings as the server, so a page looks the same online and offline. */
const SORT_SQL = {
  number: { asc: 'number ASC, _id ASC', desc: 'number DESC, _id DESC' },
  submitdate: { asc: 'submitdate ASC, _id ASC', desc: 'submitdate DESC, _id DESC' },
} as const;

const customerName = (order: Order) =>
  order.customer
    ? [order.customer.name, order.customer.lastname, order.customer.companyname].filter(Boolean).join(' ')
    : '';

/**
 * The orders this station has seen, one row each with the columns a page is sorted, filtered and
 * searched by, so an offline operator can still browse them.
 */
export class CachedOrders {
  private readonly upsert: Statement<[number, number, number, number, string, string, number]>;
  private readonly remove: Statement<[number]>;
  private readonly byId: Statement<[number], { json: string; fetched_at: number }>;
  private readonly anyRow: Statement<[], { ok: 1 }>;
  private readonly pages = new Map<string, Statement<unknown[], { json: string; fetched_at: number }>>();

  constructor(private readonly db: Database) {
    this.upsert = db.prepare(
      `INSERT INTO cached_orders (_id, number, submitdate, status, customer_name, json, fetched_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(_id) DO UPDATE SET number = excluded.number, submitdate = excluded.submitdate,
         status = excluded.status, customer_name = excluded.customer_name, json = excluded.json,
         fetched_at = excluded.fetched_at`,
    );
    this.remove = db.prepare('DELETE FROM cached_orders WHERE _id = ?');
    this.byId = db.prepare('SELECT json, fetched_at FROM cached_orders WHERE _id = ?');
    this.anyRow = db.prepare('SELECT 1 AS ok FROM cached_orders LIMIT 1');
  }

  /** Stores a page (or any batch) of orders in one transaction: 1000 rows cost one commit. */
  store(orders: Order[], fetchedAt: number): void {
    this.db.transaction(() => {
      for (const order of orders) this.storeOne(order, fetchedAt);
    })();
  }

  /** Within the caller's transaction. */
  storeOne(order: Order, fetchedAt: number): void {
    this.upsert.run(
      order._id,
      order.number,
      order.submitdate ?? 0,
      order.status,
      customerName(order),
      JSON.stringify(order),
      fetchedAt,
    );
  }

  delete(orderId: number): void {
    this.remove.run(orderId);
  }

  get(orderId: number): { order: Order; fetchedAt: number } | null {
    const row = this.byId.get(orderId);
    return row ? { order: JSON.parse(row.json) as Order, fetchedAt: row.fetched_at } : null;
  }

  isEmpty(): boolean {
    return !this.anyRow.get();
  }

  /** One page, with the oldest fetch time among its rows (null for an empty page). */
  page(query: OrdersPageQuery): { orders: Order[]; oldestFetchedAt: number | null } {
    const statuses = query.status ?? [];
    const search = parseOrderSearch(query.q);
    const hardware = query.hardware;
    const key = `${query.sortby}:${query.direction}:${statuses.length}:${hardware ?? ''}:${search.numbers.length}:${search.words.length}`;
    let statement = this.pages.get(key);
    if (!statement) {
      const where: string[] = [];
      if (statuses.length) where.push(`status IN (${statuses.map(() => '?').join(',')})`);
      // The licence kind is read from the stored order: no column (and no migration) for one flag.
      if (hardware !== undefined) {
        where.push(`json_extract(json, '$.ishardwarelicense') ${hardware ? '= 1' : 'IS NOT 1'}`);
      }
      // As the server reads q (shared/guardant/order-search.ts): every word, in the number or a name.
      search.numbers.forEach((_, i) => where.push(`number = @n${i}`));
      if (search.words.length) {
        const inNumber = search.words.map((_, i) => `CAST(number AS TEXT) LIKE @w${i}`).join(' AND ');
        const inNames = search.words.map((_, i) => `customer_name LIKE @w${i}`).join(' AND ');
        where.push(`((${inNumber}) OR (${inNames}))`);
      }
      statement = this.db.prepare(
        `SELECT json, fetched_at FROM cached_orders ${where.length ? 'WHERE ' + where.join(' AND ') : ''}
          ORDER BY ${SORT_SQL[query.sortby][query.direction]} LIMIT @limit OFFSET @offset`,
      );
      this.pages.set(key, statement);
    }
    const params: Record<string, unknown> = { limit: query.limit, offset: query.offset };
    search.numbers.forEach((n, i) => (params[`n${i}`] = n));
    search.words.forEach((w, i) => (params[`w${i}`] = `%${w}%`));
    const rows = statement.all(...statuses, params);
    return {
      orders: rows.map((r) => JSON.parse(r.json) as Order),
      oldestFetchedAt: rows.length ? Math.min(...rows.map((r) => r.fetched_at)) : null,
    };
  }
}
