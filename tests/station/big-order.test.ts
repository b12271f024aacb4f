import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReadCache } from '../../electron/core/cache/read-cache';
import { orderViewSchema } from '../../shared/station/models';
import { addCatalog, key, saleOrder } from '../support/hardware-orders';
import { startTestServer, type TestServer } from '../support/server-harness';
import { StationFiles, stationClient } from './outbox-fixture';

let t: TestServer;
let orderId: number;
const files: StationFiles[] = [];
const KEYS = Array.from({ length: 1200 }, (_, i) => 7_000_000 + i);

beforeAll(async () => {
  t = await startTestServer();
  const catalog = addCatalog(t);
  const order = await saleOrder(t, { quantity: 5000, products: [catalog.plain] });
  orderId = order._id;
  for (const batch of [KEYS.slice(0, 1000), KEYS.slice(1000)]) {
    const res = await t.call('POST', `/v1.0/orders/${orderId}/multipledongles`, {
      dongles: batch.map((id) => key(id)),
    });
    expect(res.status).toBe(200);
  }
});
afterAll(async () => {
  await t.close();
  for (const f of files) f.dispose();
});

describe('the station with an order larger than the server lists in one answer', () => {
  it('shows the first 1000 keys and the count of all 1200, online and from the cache', async () => {
    const s = new StationFiles();
    files.push(s);
    const cache = new ReadCache({ db: s.db, client: stationClient(t.server.url) });
    const online = await cache.getOrder(orderId);
    expect(online.stale).toBe(false);
    expect(online.order.donglescount).toBe(1200);
    expect(online.order.dongles!.map((d) => d.dongleid)).toEqual(KEYS.slice(0, 1000));
    // What crosses the IPC contract keeps the count.
    expect(orderViewSchema.parse(online).order.donglescount).toBe(1200);

    await t.server.close();
    try {
      const offline = await cache.getOrder(orderId);
      expect(offline).toEqual({ ...online, stale: true });
    } finally {
      await t.restart();
    }
  });
});
