import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GuardantClient } from '../../electron/core/api/guardant-client';
import { LicenseManagerClient } from '../../electron/core/license-manager/license-manager-client';
import { verifyWrite, type VerifyWriteDeps } from '../../electron/core/verification/verify-write';
import { DEMO_ORDER_NUMBERS } from '../../server/seed/demo';
import { StationRequestError } from '../../shared/ipc/station-api';
import { isFinalWriteStage, type AttachedKey, type WriteProgress } from '../../shared/station/models';
import { startStationUnderTest, type StationUnderTest } from '../support/station-harness';

let s: StationUnderTest;
let deps: VerifyWriteDeps;
beforeAll(async () => {
  s = await startStationUnderTest();
  const guardant = new GuardantClient({
    baseUrl: s.embedded.serverUrl,
    credentials: () => ({ token: s.embedded.token }),
  });
  deps = {
    licenseManager: new LicenseManagerClient({ baseUrl: s.embedded.bench.licenseManagerUrl }),
    order: (id) => guardant.getOrder(id),
  };
});
afterAll(() => s.close());

async function plugKey(): Promise<AttachedKey> {
  const before = new Set((await s.api.invoke('keys:list', {})).map((k) => k.dongleId));
  const arrived = s.next('keys:changed', (keys) => keys.some((k) => !before.has(k.dongleId)));
  await s.api.invoke('bench:simulate', { action: 'plug', count: 1 });
  return (await arrived).find((k) => !before.has(k.dongleId))!;
}

async function write(orderId: number, dongleId: number): Promise<WriteProgress> {
  const settled = s.next('write:progress', (p) => p.dongleId === dongleId && isFinalWriteStage(p.stage));
  await s.api.invoke('licenses:write', { orderId, dongleIds: [dongleId] });
  return settled;
}

describe('spoiling a write through the bench:simulate contract', () => {
  it('is accepted for a plugged key, and only verifying the write tells', async () => {
    const page = await s.api.invoke('orders:list', { q: String(DEMO_ORDER_NUMBERS.bulk500), limit: 1000 });
    const order = page.orders.find((o) => o.number === DEMO_ORDER_NUMBERS.bulk500)!;
    const key = await plugKey();

    await s.api.invoke('bench:simulate', {
      action: 'spoil-next-write',
      dongleId: key.dongleId,
      how: 'drop-feature',
    });
    // The write reports success; the run's read-back finds the difference and fails the key with it.
    expect(await write(order._id, key.dongleId)).toMatchObject({
      stage: 'failed',
      message: expect.stringMatching(/^Feature \d+ of product '.+' is missing on the key\.$/),
    });
    const verdict = await verifyWrite(deps, { dongleId: key.dongleId, orderId: order._id });
    expect(verdict).toMatchObject({
      outcome: 'mismatch',
      mismatch: 'missing-feature',
      reason: expect.stringMatching(/^Feature \d+ of product '.+' is missing on the key\.$/),
    });

    expect(await write(order._id, key.dongleId)).toMatchObject({ stage: 'done', actionResult: 0 });
    expect(await verifyWrite(deps, { dongleId: key.dongleId, orderId: order._id })).toMatchObject({
      outcome: 'ok',
    });
  });

  it('refuses a way of spoiling it does not know, at the contract', async () => {
    const key = await plugKey();
    const refused = await s.api
      .invoke('bench:simulate', { action: 'spoil-next-write', dongleId: key.dongleId, how: 'melt' as never })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(StationRequestError);
  });
});
