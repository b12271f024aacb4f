import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GuardantApiError, ServerUnreachableError } from '../../electron/core/api/errors';
import { NotCachedError } from '../../electron/core/cache/not-cached-error';
import { ReadCache, type CacheSource, type OrdersListQuery } from '../../electron/core/cache/read-cache';
import { addCustomer } from '../../server/store/catalog-writer';
import type { Order } from '../../shared/guardant/responses';
import { StationErrorCode } from '../../shared/ipc/result';
import type { OrdersPage } from '../../shared/station/models';
import { addCatalog, saleOrder } from '../support/hardware-orders';
import { startTestServer, type TestServer } from '../support/server-harness';
import { StationFiles, stationClient } from './outbox-fixture';

let t: TestServer;
let now = 1_700_000_000_000;
const clock = () => now;
const stations: StationFiles[] = [];
const station = () => {
  const s = new StationFiles();
  stations.push(s);
  return s;
};

const page = (over: Partial<OrdersListQuery> = {}): OrdersListQuery => ({
  offset: 0,
  limit: 100,
  sortby: 'number',
  direction: 'asc',
  ...over,
});

/** The views the operator flips through offline: sorts, a status filter, a search, a second page. */
const QUERIES: OrdersListQuery[] = [
  page(),
  page({ sortby: 'number', direction: 'desc', limit: 7 }),
  page({ sortby: 'submitdate', direction: 'desc' }),
  page({ status: [2] }),
  page({ status: [0, 2], direction: 'desc' }),
  page({ q: 'baskin' }),
  page({ q: '1', status: [1] }),
  page({ offset: 10, limit: 5 }),
];

let revokedId: number;
let keyId: number;

beforeAll(async () => {
  t = await startTestServer();
  const catalog = addCatalog(t);
  const db = t.server.ctx.db;
  const customers = [
    addCustomer(db, { name: 'ice', lastname: 'cream', companyname: 'baskin&robings' }),
    addCustomer(db, { name: 'Ada', lastname: 'Lovelace', companyname: 'Analytical Engines' }),
  ];
  for (let i = 0; i < 24; i++) {
    const order = await saleOrder(t, {
      quantity: 10,
      customerId: customers[i % 2]!,
      submit: i % 4 !== 0,
      products: [catalog.plain],
    });
    if (i % 6 === 1) {
      await t.call('PUT', `/v1.0/orders/${order._id}`, { orderStatus: 2 });
      revokedId = order._id;
    }
  }
  // One key with writes in one order, for its history and orders.
  const order = await saleOrder(t, { quantity: 10, customerId: customers[0]!, products: [catalog.plain] });
  keyId = 600_001;
  await t.call('POST', `/v1.0/orders/${order._id}/dongles`, {
    dongleId: keyId,
    dongleModel: 2,
    publicCode: 1,
    typeFlags: 0,
    netResource: 0,
  });
  await t.call('POST', '/v1.0/admin/faults', { dongleId: keyId, actionResult: 201 });
  await t.call('POST', `/v1.0/orders/${order._id}/dongles/${keyId}/write`, {});
  await t.call('POST', `/v1.0/orders/${order._id}/dongles/${keyId}/write`, {});
});
afterAll(() => t.close());
afterEach(() => {
  for (const s of stations.splice(0)) s.dispose();
});

describe('ReadCache', () => {
  it('answers fresh from the server, then the same data marked stale once the server is gone', async () => {
    const s = station();
    const cache = new ReadCache({ db: s.db, client: stationClient(t.server.url), clock });

    const online: OrdersPage[] = [];
    for (const query of QUERIES) online.push(await cache.listOrders(query));
    for (const view of online) expect(view).toMatchObject({ stale: false, fetchedAt: now });
    expect(online[0]!.orders).toHaveLength(25);
    expect(online[3]!.orders.every((o) => o.status === 2)).toBe(true);
    expect(online[5]!.orders.length).toBeGreaterThan(0);

    const detail = await cache.getOrder(revokedId);
    expect(detail).toMatchObject({ stale: false, order: { _id: revokedId, products: [expect.any(Object)] } });
    const products = await cache.listProducts();
    expect(products.products).toHaveLength(3);
    const history = await cache.keyHistory(keyId, { offset: 0, limit: 100 });
    expect(history.history.map((h) => h.actionresult)).toEqual([201, 0]);
    const failures = await cache.keyHistory(keyId, { offset: 0, limit: 100, results: [201] });
    const keyOrders = await cache.keyOrders(keyId);
    expect(keyOrders.orders).toHaveLength(1);

    const fetchedAt = now;
    now += 90_000;
    await t.server.close();
    try {
      // Every page the operator saw comes back the same, from the cache, 90 s old.
      const offline = await Promise.all(QUERIES.map((query) => cache.listOrders(query)));
      offline.forEach((view, i) => {
        expect(view).toEqual({ orders: online[i]!.orders, stale: true, fetchedAt });
      });
      const [order, catalog, keyHistory, keyFailures, ordersOfKey] = await Promise.all([
        cache.getOrder(revokedId),
        cache.listProducts(),
        cache.keyHistory(keyId, { offset: 0, limit: 100 }),
        cache.keyHistory(keyId, { offset: 0, limit: 100, results: [201] }),
        cache.keyOrders(keyId),
      ]);
      expect(order).toEqual({ ...detail, stale: true });
      expect(catalog).toEqual({ ...products, stale: true });
      expect(keyHistory).toEqual({ ...history, stale: true });
      expect(keyFailures).toEqual({ ...failures, stale: true });
      expect(keyFailures.history).toHaveLength(1);
      expect(ordersOfKey).toEqual({ ...keyOrders, stale: true });
    } finally {
      await t.restart();
    }
  });

  it('says NotCached when the server is gone and nothing was ever fetched', async () => {
    const s = station();
    const cache = new ReadCache({ db: s.db, client: stationClient(t.server.url), clock });
    const dead = stationClient('http://127.0.0.1:9');
    const offline = new ReadCache({ db: s.db, client: dead, clock });
    const results = await Promise.allSettled([
      offline.listOrders(page()),
      offline.getOrder(revokedId),
      offline.listProducts(),
      offline.keyHistory(keyId, { offset: 0, limit: 100 }),
      offline.keyOrders(keyId),
    ]);
    for (const r of results) {
      expect(r.status).toBe('rejected');
      const error = (r as PromiseRejectedResult).reason;
      expect(error).toBeInstanceOf(NotCachedError);
      expect(error.code).toBe(StationErrorCode.NotCached);
    }

    // An order seen only in a list is still offered offline, as its summary, saying that it is only
    // that: its products and keys never reached this station (no "0 of 10 keys, no products").
    const listed = await cache.listOrders(page({ status: [2] }));
    const summary = await offline.getOrder(listed.orders[0]!._id);
    expect(summary).toEqual({ order: listed.orders[0], stale: true, fetchedAt: now, summaryOnly: true });
  });

  it('answers a cached order with the age of its own fetch, however often lists showed it since', async () => {
    const s = station();
    const at = now;
    const cache = new ReadCache({ db: s.db, client: stationClient(t.server.url), clock });
    const detail = await cache.getOrder(revokedId);
    expect(detail.summaryOnly).toBeUndefined();
    now += 3 * 3_600_000;
    // Three hours on, a list refreshes the order's summary: not its products and keys.
    await cache.listOrders(page({ status: [2] }));
    const offline = new ReadCache({ db: s.db, client: stationClient('http://127.0.0.1:9'), clock });
    expect(await offline.getOrder(revokedId)).toEqual({ ...detail, stale: true, fetchedAt: at });
  });

  it('passes server refusals through instead of answering from the cache', async () => {
    const s = station();
    const cache = new ReadCache({ db: s.db, client: stationClient(t.server.url), clock });
    await expect(cache.getOrder(987_654)).rejects.toThrow(GuardantApiError);
    await expect(cache.keyOrders(12)).rejects.toMatchObject({ apiCode: 10024 });
  });

  it('stores 100,000 orders a page per transaction, fast, and pages through them offline', async () => {
    const s = station();
    const orders = (offset: number, limit: number): Order[] =>
      Array.from({ length: limit }, (_, i) => {
        const n = offset + i + 1;
        return {
          _id: n,
          number: n,
          type: 0,
          status: n % 3,
          ishardwarelicense: true,
          date: 1_600_000_000 + n,
          submitdate: 1_600_000_000 + ((n * 7919) % 100_000),
          quantity: 10,
          description: `order ${n}`,
          customer: { _id: n % 50, name: `Customer ${n % 50}` },
        };
      });
    let offline = false;
    const source: CacheSource = {
      listOrders: async (query) => {
        if (offline) throw new ServerUnreachableError('connect ECONNREFUSED');
        return orders(Number(query.offset), Number(query.limit));
      },
      getOrder: async () => {
        throw new Error('unused');
      },
      listProducts: async () => [],
      dongleHistory: async () => [],
      dongleOrders: async () => [],
    };
    const cache = new ReadCache({ db: s.db, client: source, clock });
    // CPU time, not wall time: what the cache costs, whatever else the machine is doing (the full suite
    // beside a CPU hog took this past a wall-clock bound while the work itself had not changed).
    const started = process.cpuUsage();
    for (let offset = 0; offset < 100_000; offset += 1000) {
      await cache.listOrders(page({ offset, limit: 1000 }));
    }
    const used = process.cpuUsage(started);
    const cpuMs = (used.user + used.system) / 1000;
    expect(s.db.prepare('SELECT COUNT(*) AS n FROM cached_orders').get()).toEqual({ n: 100_000 });
    expect(cpuMs).toBeLessThan(8_000);

    offline = true;
    const last = await cache.listOrders(page({ sortby: 'number', direction: 'desc', limit: 3 }));
    expect(last.orders.map((o) => o.number)).toEqual([100_000, 99_999, 99_998]);
    const searched = await cache.listOrders(page({ q: 'Customer 49', status: [1], limit: 1000 }));
    expect(searched.orders.length).toBeGreaterThan(0);
    expect(searched.orders.every((o) => o.customer?.name === 'Customer 49' && o.status === 1)).toBe(true);
    expect(searched.stale).toBe(true);
  });
});
