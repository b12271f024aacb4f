import { describe, expect, it } from 'vitest';
import type { LastBurn } from '../../shared/guardant/responses';
import type { OutboxItem, WriteProgress } from '../../shared/station/models';
import { LicenseWriter, type LicenseWriterPorts } from '../../electron/core/writing/license-writer';

const KEY = 4242;
const item = (id: number, over: Partial<OutboxItem>): OutboxItem => ({
  id,
  kind: 'write-license',
  lane: 'order:1',
  orderId: 1,
  dongleIds: [KEY],
  status: 'done',
  attempts: 1,
  nextAttemptAt: 0,
  lastError: null,
  result: null,
  createdAt: 0,
  updatedAt: 0,
  ...over,
});
const burn = (_id: number, actionresult: number): LastBurn => ({
  _id,
  actiondate: 1_700_000_000,
  actionresult,
  activationsconsumed: actionresult === 0 ? 1 : 0,
  activationscountcurrent: 10,
});

/** The pipeline over in-memory ports: the key is added, and its write settles as `write` says. */
async function runWrite(
  write: OutboxItem,
  latest: LastBurn | null,
  baseline: number | null,
): Promise<WriteProgress> {
  const events: WriteProgress[] = [];
  const ports: LicenseWriterPorts = {
    enqueueAddKeys: () => item(1, { kind: 'add-keys' }),
    enqueueWrite: () => write,
    settled: async (id) => (id === 1 ? item(1, { kind: 'add-keys', result: { [KEY]: '0' } }) : write),
    identity: () => ({ dongleId: KEY, dongleModel: 2, publicCode: 1, typeFlags: 0, netResource: 0 }),
    lastBurn: async () => latest,
    baselineOf: () => baseline,
    progress: (e) => events.push(e),
    keyState: () => undefined,
    log: () => undefined,
  };
  const [final] = await new LicenseWriter(ports).start(1, [KEY]).done;
  return final!;
}

describe('LicenseWriter reporting a write that failed without its own result', () => {
  it("does not pass off yesterday's successful write as today's outcome", async () => {
    const failed = item(2, { status: 'failed', lastError: 'License manager answered HTTP 500' });
    const final = await runWrite(failed, burn(5, 0), 5);
    expect(final.stage).toBe('failed');
    expect(final.actionResult).toBeNull();
    expect(final.lastBurn).toBeNull();
    expect(final.message).toMatch(/HTTP 500/);
  });

  it("uses the server's record when it is newer than the write's baseline", async () => {
    const failed = item(2, { status: 'failed', lastError: 'answer lost' });
    const final = await runWrite(failed, burn(6, 201), 5);
    expect(final).toMatchObject({ stage: 'failed', actionResult: 201, lastBurn: { _id: 6 } });
    expect(final.message).toMatch(/Re-seat the key/);
  });

  it('asks nothing of the server for a write that was never sent', async () => {
    const cancelled = item(2, { status: 'failed', lastError: 'order revoked' });
    const final = await runWrite(cancelled, burn(9, 0), null);
    expect(final).toMatchObject({ stage: 'failed', actionResult: null, lastBurn: null });
  });
});
