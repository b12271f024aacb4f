import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ReadCache, type OrdersListQuery } from '../../electron/core/cache/read-cache';
import { addCustomer } from '../../server/store/catalog-writer';
import { saleOrder } from '../support/hardware-orders';
import { startTestServer, type TestServer } from '../support/server-harness';
import { StationFiles, stationClient } from './outbox-fixture';

/**
 * The station's orders search ('orders:list' q) online, offline from its cache, and against a server
 * that has no search (a vendor's Guardant Station ignores q and answers every order).
 */
let t: TestServer;
const files: StationFiles[] = [];
const query = (q: string, over: Partial<OrdersListQuery> = {}): OrdersListQuery => ({
  offset: 0,
  limit: 100,
  sortby: 'number',
  direction: 'asc',
  q,
  ...over,
});
const numbers = (page: { orders: Array<{ number: number }> }) => page.orders.map((o) => o.number);
let ada: number[] = [];
const software: number[] = [];

beforeAll(async () => {
  t = await startTestServer();
  const db = t.server.ctx.db;
  const ice = addCustomer(db, { name: 'ice', lastname: 'cream', companyname: 'baskin&robings' });
  const lovelace = addCustomer(db, { name: 'Ada', lastname: 'Lovelace', companyname: 'Analytical Engines' });
  for (let i = 0; i < 36; i++) {
    const order = await saleOrder(t, {
      quantity: 1,
      customerId: i % 3 ? ice : lovelace,
      submit: i % 2 === 0,
    });
    if (i % 3 === 0) ada.push(order.number);
  }
  for (let i = 0; i < 2; i++) software.push((await saleOrder(t, { hardware: false, quantity: 1 })).number);
  ada = ada.sort((a, b) => a - b);
});
afterAll(() => t.close());
afterEach(() => {
  for (const f of files.splice(0)) f.dispose();
});

function station(options: { serverIgnoresSearch?: boolean } = {}) {
  const f = new StationFiles();
  files.push(f);
  const client = stationClient(t.server.url, {
    // A vendor server reads no q: the request reaches the real server without it.
    fetch: options.serverIgnoresSearch
      ? (input, init) => {
          const url = new URL(String(input));
          url.searchParams.delete('q');
          url.searchParams.delete('ishardwarelicense');
          return fetch(url, init);
        }
      : fetch,
  });
  return new ReadCache({ db: f.db, client });
}

describe('orders search at the station', () => {
  it('finds "#NN", a full name and the customer as displayed, online and then offline from the cache', async () => {
    const cache = station();
    const asked = ['#33', 'Ada Lovelace', 'Analytical Engines (Ada Lovelace)', `lovelace #${ada[1]}`];
    const online = [];
    for (const q of asked) online.push(numbers(await cache.listOrders(query(q))));
    expect(online).toEqual([[33], ada, ada, [ada[1]]]);

    // Offline, the cache holds every order the searches showed: it answers the same searches the same way.
    await cache.listOrders(query('', { limit: 1000 }));
    await t.server.close();
    try {
      for (const [i, q] of asked.entries()) {
        const page = await cache.listOrders(query(q));
        expect(page.stale).toBe(true);
        expect(numbers(page)).toEqual(online[i]);
      }
    } finally {
      await t.restart();
    }
  });

  it('searches the orders it has listed when the server answers without searching, and says so', async () => {
    const cache = station({ serverIgnoresSearch: true });
    // The operator has scrolled the whole list once (every page is cached as it is shown).
    await cache.listOrders(query('', { limit: 1000 }));
    const byName = await cache.listOrders(query('Ada Lovelace'));
    expect(numbers(byName)).toEqual(ada);
    expect(byName).toMatchObject({ stale: false, searchedLocally: true });
    expect(numbers(await cache.listOrders(query('#12')))).toEqual([12]);
    // A server that searches is trusted: nothing is marked.
    const searching = await station().listOrders(query('Ada Lovelace'));
    expect(searching.searchedLocally).toBeUndefined();
    expect(numbers(searching)).toEqual(ada);
  });

  it('filters by licence kind online, offline and from a server that cannot', async () => {
    const cache = station();
    const hardware = numbers(await cache.listOrders(query('', { hardware: true, status: [1], limit: 1000 })));
    expect(hardware.length).toBe(18);
    expect(numbers(await cache.listOrders(query('', { hardware: false, limit: 1000 })))).toEqual(software);
    await t.server.close();
    try {
      const offline = await cache.listOrders(query('', { hardware: true, status: [1], limit: 1000 }));
      expect(offline.stale).toBe(true);
      expect(numbers(offline)).toEqual(hardware);
    } finally {
      await t.restart();
    }
    const vendor = station({ serverIgnoresSearch: true });
    await vendor.listOrders(query('', { limit: 1000 }));
    const local = await vendor.listOrders(query('', { hardware: false, limit: 1000 }));
    expect(local).toMatchObject({ searchedLocally: true });
    expect(numbers(local)).toEqual(software);
  });
});
