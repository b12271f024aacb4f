import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DongleModel } from '../../shared/guardant/codes';
import type { RunView } from '../../shared/station/models';
import { startStationUnderTest, type StationUnderTest } from '../support/station-harness';

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

async function server(method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${s.embedded.serverUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${s.embedded.token}`,
      ...(body !== undefined && { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json();
  expect(res.status, JSON.stringify(json)).toBe(200);
  return json;
}

async function order(quantity: number): Promise<{ _id: number; number: number }> {
  const body = { orderType: 0, isHardwareLicense: true, orderQuantity: quantity, orderStatus: 1 };
  return (await server('POST', '/v1.0/orders', body)).order;
}

async function plug(count: number): Promise<number[]> {
  const before = new Set((await s.api.invoke('keys:list', {})).map((k) => k.dongleId));
  const keys = await s.api.invoke('bench:simulate', { action: 'plug', count, model: DongleModel.SIGN });
  return keys.filter((k) => !before.has(k.dongleId)).map((k) => k.dongleId);
}

/** Starts a run and resolves with its stored view once every task is final. */
async function run(orderId: number, dongleIds: number[], rewriteConfirmed?: boolean): Promise<RunView> {
  const finished = new Promise<void>((resolve) => {
    const off = s.station.events.on('write:progress', (p) => {
      if (p.orderId === orderId && p.done === p.total) {
        off();
        resolve();
      }
    });
  });
  const { runId } = await s.api.invoke('licenses:write', {
    orderId,
    dongleIds,
    ...(rewriteConfirmed !== undefined && { rewriteConfirmed }),
  });
  await finished;
  return s.api.invoke('runs:get', { runId });
}

async function successfulWrites(dongleId: number): Promise<Array<{ order: { _id: number } }>> {
  const res = await fetch(`${s.embedded.serverUrl}/v1.0/getdonglehistory/${dongleId}?limit=1000`, {
    headers: { authorization: `Bearer ${s.embedded.token}` },
  });
  // A key the server never met (404) has no writes.
  if (res.status === 404) return [];
  const { history } = await res.json();
  return history.filter((h: { actionresult: number }) => h.actionresult === 0);
}

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
