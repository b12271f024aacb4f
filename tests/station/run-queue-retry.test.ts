import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ActionResult } from '../../shared/guardant/codes';
import { DEMO_ORDER_NUMBERS } from '../../server/seed/demo';
import { startStationUnderTest, type StationUnderTest } from '../support/station-harness';

let s: StationUnderTest;
beforeAll(async () => {
  s = await startStationUnderTest();
});
afterAll(() => s.close());

async function orderIdOf(number: number): Promise<number> {
  const page = await s.api.invoke('orders:list', { q: String(number), limit: 1000 });
  const order = page.orders.find((o) => o.number === number);
  if (!order) throw new Error(`demo order ${number} not found`);
  return order._id;
}

describe('a failed write retried from the Queue', () => {
  it('leaves the key written, with one shift-log row per outcome under one name', async () => {
    const keys = await s.api.invoke('bench:simulate', { action: 'plug', count: 1 });
    const dongleId = keys[0]!.dongleId;
    const orderId = await orderIdOf(DEMO_ORDER_NUMBERS.bulk500);
    await s.api.invoke('bench:simulate', {
      action: 'fail-next-write',
      dongleId,
      actionResult: ActionResult.DongleBurnFailed,
    });

    const failed = s.next('write:progress', (p) => p.dongleId === dongleId && p.stage === 'failed');
    await s.api.invoke('licenses:write', { orderId, dongleIds: [dongleId] });
    await failed;
    const since = 0;

    const summary = await s.api.invoke('outbox:list', {});
    const write = summary.items.find((i) => i.kind === 'write-license' && i.status === 'failed');
    expect(write).toBeDefined();
    const drained = s.next('outbox:drained');
    await s.api.invoke('outbox:retry', { itemId: write!.id });
    await drained;

    // The bench tells the truth from durable records: the retried write succeeded.
    const bench = await s.api.invoke('keys:list', {});
    expect(bench.find((k) => k.dongleId === dongleId)).toMatchObject({ state: 'written', orderId });

    const rows = (await s.api.invoke('shiftlog:list', { since })).filter(
      (e) => e.dongleId === dongleId && /write/.test(e.action),
    );
    // One failed write, then one successful one: two events, two rows, one name.
    expect(rows.map((r) => r.outcome)).toEqual(['failed', 'written']);
    expect(new Set(rows.map((r) => r.action)).size).toBe(1);
  });
});
