import { afterEach, describe, expect, it } from 'vitest';
import { OutboxWorker, type OutboxServer } from '../../electron/core/outbox/outbox-worker';
import { StationFiles } from './outbox-fixture';

let files: StationFiles | null = null;
afterEach(() => files?.dispose());

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('the outbox worker with parallel slots', () => {
  it('writes different keys side by side, within the bound, and one key strictly in order', async () => {
    files = new StationFiles();
    const { outbox } = files;
    const LIMIT = 4;
    const KEYS = 10;
    const WRITES_PER_KEY = 3;
    let running = 0;
    let peak = 0;
    const busyKeys = new Set<number>();
    const order: Array<[number, number]> = [];
    const baselineReads = new Map<number, number>();
    // Reading the baseline takes a while before the item is marked in flight: a second slot must not
    // pick the same item (or another of its lane) meanwhile.
    const client = {
      lastBurnInfo: async (_orderId: number, dongleId: number) => {
        baselineReads.set(dongleId, (baselineReads.get(dongleId) ?? 0) + 1);
        await tick();
        return null;
      },
    } as unknown as OutboxServer;
    const itemsByKey = new Map<number, number[]>();
    for (let w = 0; w < WRITES_PER_KEY; w++) {
      for (let k = 1; k <= KEYS; k++) {
        const item = outbox.enqueueWriteLicense(1, k);
        itemsByKey.set(k, [...(itemsByKey.get(k) ?? []), item.id]);
      }
    }
    const settledOrder: number[] = [];
    const worker = new OutboxWorker({
      outbox,
      client,
      onItemSettled: (item) => settledOrder.push(item.id),
      concurrency: () => LIMIT,
      performWrite: async (_orderId, dongleId) => {
        expect(busyKeys.has(dongleId), `key ${dongleId} written twice at once`).toBe(false);
        busyKeys.add(dongleId);
        peak = Math.max(peak, ++running);
        order.push([dongleId, Date.now()]);
        await new Promise((r) => setTimeout(r, 10));
        running--;
        busyKeys.delete(dongleId);
        return { actionResult: 0 };
      },
    });
    const settledIds: number[] = [];
    worker.start();
    await worker.whenIdle();
    await worker.stop();

    expect(peak).toBe(LIMIT);
    expect(order).toHaveLength(KEYS * WRITES_PER_KEY);
    // Every item was sent once, and each key's items settled in the order they were queued.
    for (const [key, ids] of itemsByKey) {
      expect(baselineReads.get(key)).toBe(WRITES_PER_KEY);
      const items = ids.map((id) => outbox.get(id)!);
      expect(items.every((i) => i.status === 'done' && i.attempts === 1)).toBe(true);
      const positions = ids.map((id) => settledOrder.indexOf(id));
      expect([...positions].sort((a, b) => a - b)).toEqual(positions);
      settledIds.push(...ids);
    }
    expect(new Set(settledIds).size).toBe(KEYS * WRITES_PER_KEY);
  });
});
