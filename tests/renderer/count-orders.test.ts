import { describe, expect, it } from 'vitest';
import { countRows } from '../../renderer/src/screens/orders/count-orders';

/** A list of `rows` rows, paged one row a probe; records each probe and each round of them. */
function pagedList(rows: number) {
  const probes: number[] = [];
  let rounds = 0;
  let inRound = false;
  const exists = async (offset: number) => {
    probes.push(offset);
    if (!inRound) {
      inRound = true;
      rounds++;
      // A round is the probes asked before any answers: they run at the same time.
      queueMicrotask(() => (inRound = false));
    }
    await Promise.resolve();
    return offset < rows;
  };
  return { exists, probes, rounds: () => rounds };
}

describe('counting the orders a server only pages', () => {
  it('finds the exact count, an empty list included', async () => {
    for (const rows of [0, 1, 2, 12, 13, 4096, 4097, 99_999]) {
      expect(await countRows(pagedList(rows).exists)).toBe(rows);
    }
  });

  it('asks one probe for an empty list', async () => {
    const list = pagedList(0);
    expect(await countRows(list.exists)).toBe(0);
    expect(list.probes).toEqual([0]);
  });

  it('counts 100,000 orders in ten rounds of probes at most, not one page after another', async () => {
    const list = pagedList(100_000);
    expect(await countRows(list.exists)).toBe(100_000);
    // Quick even when every answer is slow (offline, from the cache): the rounds are what the operator waits.
    expect(list.rounds()).toBeLessThanOrEqual(10);
    expect(list.probes.length).toBeLessThanOrEqual(100);
  });

  it('finds the count with a fan-out of one probe a round too', async () => {
    expect(await countRows(pagedList(1234).exists, 1)).toBe(1234);
  });
});
