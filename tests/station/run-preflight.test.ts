import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DongleModel } from '../../shared/guardant/codes';
import type { RunView } from '../../shared/station/models';
import { newHardwareOrder, successfulWrites as successfulWritesOfKey } from '../support/reference-server';
import { startStationUnderTest, type StationUnderTest } from '../support/station-harness';
import { plugKeys, runToEnd } from '../support/station-runs';

/*
 * The run's own pre-flight: 'licenses:write' asks the server before anything is stored or sent, takes
 * only what the verdict selects and records the keys it left out as skipped, with the verdict's words,
 * whatever the screen sent. Every order is made fresh per test.
 */

let s: StationUnderTest;
beforeAll(async () => {
  s = await startStationUnderTest();
});
afterAll(() => s.close());

const order = (quantity: number) => newHardwareOrder(s.embedded, quantity);
const plug = (count: number) => plugKeys(s.api, count, DongleModel.SIGN);
const successfulWrites = (dongleId: number) => successfulWritesOfKey(s.embedded, dongleId);

/** Starts a run and resolves with its stored view once every task is final. */
const run = async (orderId: number, dongleIds: number[], rewriteConfirmed?: boolean): Promise<RunView> =>
  (await runToEnd(s, orderId, dongleIds, rewriteConfirmed)).view;

const task = (view: RunView, dongleId: number) => view.tasks.find((t) => t.dongleId === dongleId)!;

describe('the run pre-flight at start', () => {
  it('writes 4 keys into an order with 3 places as 3 written and 1 skipped "Order full"', async () => {
    const target = await order(3);
    const keys = await plug(4);

    const view = await run(target._id, keys);

    expect(view.counts).toMatchObject({ total: 4, written: 3, skipped: 1, failed: 0 });
    for (const id of keys.slice(0, 3)) expect(task(view, id).state).toBe('written');
    expect(task(view, keys[3]!)).toMatchObject({ state: 'skipped' });
    expect(task(view, keys[3]!).reason).toMatch(/^Order full/);
    expect(await successfulWrites(keys[3]!)).toEqual([]);
  });

  it('leaves out a key written for another order unless re-writing is confirmed', async () => {
    const first = await order(1);
    const second = await order(2);
    const [key] = await plug(1);
    expect((await run(first._id, [key!])).counts.written).toBe(1);

    const refused = await run(second._id, [key!]);
    expect(task(refused, key!).state).toBe('skipped');
    expect(task(refused, key!).reason).toMatch(/^Already written for order \d+.*confirmation/);
    expect((await successfulWrites(key!)).map((w) => w.order._id)).toEqual([first._id]);

    const confirmed = await run(second._id, [key!], true);
    expect(task(confirmed, key!).state).toBe('written');
    expect((await successfulWrites(key!)).map((w) => w.order._id).sort()).toEqual(
      [first._id, second._id].sort(),
    );
  });
});
