import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ORDER_NUMBERS } from '../../server/seed/demo';
import { startStationUnderTest, type StationUnderTest } from '../support/station-harness';

let s: StationUnderTest;
beforeAll(async () => {
  s = await startStationUnderTest();
});
afterAll(() => s.close());

async function vendor(body: Record<string, number>): Promise<void> {
  const res = await fetch(`${s.embedded.serverUrl}/v1.0/admin/vendor`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${s.embedded.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(200);
}

describe('a run whose vendor balance runs out', () => {
  it('stops with one reason and leaves the keys it did not reach "not attempted", not failed', async () => {
    await s.api.invoke('settings:set', { writeConcurrency: 1 });
    const keys = await s.api.invoke('bench:simulate', { action: 'plug', count: 10 });
    const page = await s.api.invoke('orders:list', { q: String(DEMO_ORDER_NUMBERS.bulk500), limit: 1000 });
    const orderId = page.orders.find((o) => o.number === DEMO_ORDER_NUMBERS.bulk500)!._id;
    await vendor({ activations: 3 });

    const drained = s.next('outbox:drained');
    const { runId } = await s.api.invoke('licenses:write', {
      orderId,
      dongleIds: keys.map((k) => k.dongleId),
    });
    await drained;

    const run = await s.api.invoke('runs:get', { runId });
    expect(run.status).toBe('finished');
    expect(run.stopReason).toMatch(/balance/i);
    expect(run.counts).toMatchObject({ total: 10, written: 3, failed: 1, skipped: 6 });
    for (const task of run.tasks.filter((t) => t.state === 'skipped')) {
      expect(task.reason).toMatch(/^Not attempted/);
    }
    // One failed write in the queue, not a cascade of seven.
    expect((await s.api.invoke('outbox:list', {})).failed).toBe(1);
    await vendor({ activations: 1000 });
  });
});
