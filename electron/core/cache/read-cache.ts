import type { Database, Statement } from 'better-sqlite3';
import type { z } from 'zod';
import { ApiErrorCode } from '../../../shared/guardant/codes';
import { isEmptySearch, orderMatchesSearch, parseOrderSearch } from '../../../shared/guardant/order-search';
import type { HistoryItem, Order, OrderDetail, Product } from '../../../shared/guardant/responses';
import type { ParsedRequest } from '../../../shared/ipc/contract';
import type {
  keyHistorySchema,
  keyOrdersSchema,
  OrdersPage,
  OrderView,
  ProductsView,
} from '../../../shared/station/models';
import { GuardantApiError, ServerUnreachableError } from '../api/errors';
import type { GuardantClient } from '../api/guardant-client';
import { CachedOrders } from './cached-orders';
import { NotCachedError } from './not-cached-error';

export type OrdersListQuery = ParsedRequest<'orders:list'>;
/** Dates are epoch ms (the station's clock); the wire's Unix seconds are derived here. */
export type KeyHistoryQuery = Omit<ParsedRequest<'keys:history'>, 'dongleId'>;
export type KeyHistoryView = z.infer<typeof keyHistorySchema>;
export type KeyOrdersView = z.infer<typeof keyOrdersSchema>;

/** The reads the cache makes; a GuardantClient in production. */
export type CacheSource = Pick<
  GuardantClient,
  'listOrders' | 'getOrder' | 'listProducts' | 'dongleHistory' | 'dongleOrders'
>;

export interface ReadCacheOptions {
  db: Database;
  client: CacheSource;
  /** Epoch ms. */
  clock?: () => number;
}

const MARK_ORDERS = 'orders';
const MARK_PRODUCTS = 'products';
const historyMark = (dongleId: number) => `history:${dongleId}`;
const keyOrdersMark = (dongleId: number) => `key-orders:${dongleId}`;

/**
 * Reads from the server through a local cache: every successful read is stored and returned fresh
 * (stale: false); when the server cannot be reached the last stored answer is returned with
 * stale: true and when it was fetched, so the operator keeps working and sees how old it is.
 * Server refusals and bad answers are not papered over: they propagate.
 */
export class ReadCache {
  private readonly db: Database;
  private readonly client: CacheSource;
  private readonly clock: () => number;
  private readonly orders: CachedOrders;
  private readonly readMark: Statement<[string], { json: string; fetched_at: number }>;
  private readonly writeMark: Statement<[string, string, number]>;
  private readonly detailById: Statement<[number], { json: string; fetched_at: number }>;
  private readonly writeDetail: Statement<[number, string, number]>;
  private readonly dropDetail: Statement<[number]>;
  private readonly writeBurn: Statement<[number, number, number, number, string, number]>;
  private readonly burnsOf: Statement<Record<string, unknown>, { json: string }>;

  constructor(options: ReadCacheOptions) {
    this.db = options.db;
    this.client = options.client;
    this.clock = options.clock ?? Date.now;
    this.orders = new CachedOrders(this.db);
    this.readMark = this.db.prepare('SELECT json, fetched_at FROM cached_reads WHERE key = ?');
    this.writeMark = this.db.prepare(
      `INSERT INTO cached_reads (key, json, fetched_at) VALUES (?, ?, ?)
       ON CONFLICT(key) DO UPDATE SET json = excluded.json, fetched_at = excluded.fetched_at`,
    );
    this.detailById = this.db.prepare('SELECT json, fetched_at FROM cached_order_details WHERE order_id = ?');
    this.writeDetail = this.db.prepare(
      `INSERT INTO cached_order_details (order_id, json, fetched_at) VALUES (?, ?, ?)
       ON CONFLICT(order_id) DO UPDATE SET json = excluded.json, fetched_at = excluded.fetched_at`,
    );
    this.dropDetail = this.db.prepare('DELETE FROM cached_order_details WHERE order_id = ?');
    this.writeBurn = this.db.prepare(
      `INSERT INTO cached_burns (_id, dongle_id, actiondate, actionresult, json, fetched_at)
       VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT(_id) DO UPDATE SET actiondate = excluded.actiondate,
         actionresult = excluded.actionresult, json = excluded.json, fetched_at = excluded.fetched_at`,
    );
    this.burnsOf = this.db.prepare(
      `SELECT json FROM cached_burns WHERE dongle_id = @dongleId
         AND (@begin IS NULL OR actiondate >= @begin) AND (@end IS NULL OR actiondate <= @end)
         AND (@results IS NULL OR actionresult IN (SELECT value FROM json_each(@results)))
       ORDER BY actiondate, _id LIMIT @limit OFFSET @offset`,
    );
  }

  async listOrders(query: OrdersListQuery): Promise<OrdersPage> {
    return this.read<Order[], OrdersPage>(
      'this list of orders',
      () =>
        this.client.listOrders({
          offset: query.offset,
          limit: query.limit,
          sortby: query.sortby,
          direction: query.direction,
          status: query.status?.length ? query.status.join(',') : undefined,
          q: query.q || undefined,
          ishardwarelicense: query.hardware === undefined ? undefined : String(query.hardware),
        }),
      (orders, at) => {
        this.db.transaction(() => {
          for (const order of orders) this.orders.storeOne(order, at);
          this.writeMark.run(MARK_ORDERS, '{}', at);
        })();
        // A vendor server has no `q` or licence-kind filter and answers the whole list: an order that
        // does not meet them says so, and the station searches the orders it has listed itself.
        const search = parseOrderSearch(query.q);
        const unfiltered = (o: Order) =>
          (!isEmptySearch(search) && !orderMatchesSearch(o, search)) ||
          (query.hardware !== undefined && Boolean(o.ishardwarelicense) !== query.hardware);
        if (orders.some(unfiltered)) {
          return {
            orders: this.orders.page(query).orders,
            stale: false,
            fetchedAt: at,
            searchedLocally: true,
          };
        }
        return { orders, stale: false, fetchedAt: at };
      },
      () => {
        const listed = this.readMark.get(MARK_ORDERS);
        if (!listed && this.orders.isEmpty()) return null;
        const page = this.orders.page(query);
        return {
          orders: page.orders,
          stale: true,
          fetchedAt: page.oldestFetchedAt ?? listed?.fetched_at ?? null,
        };
      },
    );
  }

  /** An order with its products and keys; offline, at least its summary if a list showed it. */
  async getOrder(orderId: number): Promise<OrderView> {
    try {
      return await this.read<OrderDetail, OrderView>(
        `order ${orderId}`,
        () => this.client.getOrder(orderId),
        (order, at) => {
          this.db.transaction(() => {
            this.writeDetail.run(orderId, JSON.stringify(order), at);
            const { products: _products, dongles: _dongles, donglescount: _count, ...summary } = order;
            this.orders.storeOne(summary, at);
          })();
          return { order, stale: false, fetchedAt: at };
        },
        () => {
          const detail = this.detailById.get(orderId);
          if (detail) {
            return {
              order: JSON.parse(detail.json) as OrderDetail,
              stale: true,
              fetchedAt: detail.fetched_at,
            };
          }
          const summary = this.orders.get(orderId);
          return (
            summary && { order: summary.order, stale: true, fetchedAt: summary.fetchedAt, summaryOnly: true }
          );
        },
      );
    } catch (error) {
      // Deleted on the server (a Draft): stop offering it offline.
      if (error instanceof GuardantApiError && error.apiCode === ApiErrorCode.OrderNotFound) {
        this.db.transaction(() => {
          this.dropDetail.run(orderId);
          this.orders.delete(orderId);
        })();
      }
      throw error;
    }
  }

  async listProducts(): Promise<ProductsView> {
    return this.read<Product[], ProductsView>(
      'the product catalog',
      () => this.client.listProducts(),
      (products, at) => {
        this.writeMark.run(MARK_PRODUCTS, JSON.stringify(products), at);
        return { products, stale: false, fetchedAt: at };
      },
      () => {
        const row = this.readMark.get(MARK_PRODUCTS);
        return row && { products: JSON.parse(row.json) as Product[], stale: true, fetchedAt: row.fetched_at };
      },
    );
  }

  /** A key's write history, filtered by date (epoch ms) and ActionResult; offline, from the burns seen. */
  async keyHistory(dongleId: number, query: KeyHistoryQuery): Promise<KeyHistoryView> {
    const begin = query.from === undefined ? null : Math.floor(query.from / 1000);
    const end = query.to === undefined ? null : Math.floor(query.to / 1000);
    const results = query.results?.length ? query.results : null;
    return this.read<HistoryItem[], KeyHistoryView>(
      `the history of key ${dongleId}`,
      () =>
        this.client.dongleHistory(dongleId, {
          offset: query.offset,
          limit: query.limit,
          actiondatebegin: begin ?? undefined,
          actiondateend: end ?? undefined,
          actionresult: results?.join(','),
        }),
      (history, at) => {
        this.db.transaction(() => {
          for (const item of history) {
            this.writeBurn.run(
              item._id,
              dongleId,
              item.actiondate,
              item.actionresult,
              JSON.stringify(item),
              at,
            );
          }
          this.writeMark.run(historyMark(dongleId), '{}', at);
        })();
        return { history, stale: false, fetchedAt: at };
      },
      () => {
        const mark = this.readMark.get(historyMark(dongleId));
        if (!mark) return null;
        const rows = this.burnsOf.all({
          dongleId,
          begin,
          end,
          results: results && JSON.stringify(results),
          limit: query.limit,
          offset: query.offset,
        });
        return {
          history: rows.map((r) => JSON.parse(r.json) as HistoryItem),
          stale: true,
          fetchedAt: mark.fetched_at,
        };
      },
    );
  }

  async keyOrders(dongleId: number): Promise<KeyOrdersView> {
    return this.read<Order[], KeyOrdersView>(
      `the orders of key ${dongleId}`,
      () => this.client.dongleOrders(dongleId),
      (orders, at) => {
        this.db.transaction(() => {
          this.writeMark.run(keyOrdersMark(dongleId), JSON.stringify(orders), at);
          for (const order of orders) this.orders.storeOne(order, at);
        })();
        return { orders, stale: false, fetchedAt: at };
      },
      () => {
        const row = this.readMark.get(keyOrdersMark(dongleId));
        return row && { orders: JSON.parse(row.json) as Order[], stale: true, fetchedAt: row.fetched_at };
      },
    );
  }

  private async read<T, V>(
    what: string,
    fetch: () => Promise<T>,
    store: (value: T, fetchedAt: number) => V,
    cached: () => V | null | undefined,
  ): Promise<V> {
    let value: T;
    try {
      value = await fetch();
    } catch (error) {
      if (!(error instanceof ServerUnreachableError)) throw error;
      const stale = cached();
      if (!stale) throw new NotCachedError(what, error);
      return stale;
    }
    return store(value, this.clock());
  }
}
