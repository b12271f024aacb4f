import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isFinalWriteStage, type WriteProgress } from '../../shared/station/models';
import { DEMO_ORDER_NUMBERS } from '../../server/seed/demo';
import { startHostUnderAttack, type HostUnderAttack } from './web-host-fixture';

/** Longer than the station's 5 s license-manager timeout for listing keys. */
const SLOW_MS = 6000;
/** The station's own timeout for listing keys (LicenseManagerClient's default). */
const LIST_TIMEOUT_MS = 5000;

let host: HostUnderAttack;
beforeAll(async () => {
  host = await startHostUnderAttack(['--keys', '3', '--slow', String(SLOW_MS)]);
});
afterAll(async () => {
  await host?.stop();
});

describe(`start:web --slow ${SLOW_MS}`, () => {
  it('lists the keys at once: --slow delays writes, not the bench', async () => {
    expect(await host.api.invoke('keys:list', {})).toHaveLength(3);
    // A key plugged now is read by the license manager and listed within the station's timeout
    // (bench:simulate answers once the inventory has settled).
    const started = performance.now();
    const bench = await host.api.invoke('bench:simulate', { action: 'plug', count: 1 });
    expect(performance.now() - started).toBeLessThan(LIST_TIMEOUT_MS);
    expect(bench).toHaveLength(4);
    expect(bench.at(-1)!.dongleId).toBeGreaterThan(0);
  });

  it(`still takes ${SLOW_MS} ms to write a licence`, async () => {
    const key = (await host.api.invoke('keys:list', {}))[0]!;
    const page = await host.api.invoke('orders:list', {
      q: String(DEMO_ORDER_NUMBERS.perpetual20),
      limit: 10,
    });
    const order = page.orders.find((o) => o.number === DEMO_ORDER_NUMBERS.perpetual20)!;
    const finished = new Promise<WriteProgress>((resolve) =>
      host.api.on('write:progress', (p) => {
        if (p.dongleId === key.dongleId && isFinalWriteStage(p.stage)) resolve(p);
      }),
    );
    const started = performance.now();
    await host.api.invoke('licenses:write', { orderId: order._id, dongleIds: [key.dongleId] });
    expect(await finished).toMatchObject({ stage: 'done' });
    expect(performance.now() - started).toBeGreaterThanOrEqual(SLOW_MS);
  });
});
