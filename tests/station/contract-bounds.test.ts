import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InvokeChannel, InvokeRequest } from '../../shared/ipc/contract';
import { StationRequestError, type StationApi } from '../../shared/ipc/station-api';
import { startStationUnderTest, type StationUnderTest } from '../support/station-harness';

/**
 * The station's IPC contract and the reference server take their bounds from one place
 * (shared/guardant/bounds.ts): what the contract lets through, the server takes as well formed, so
 * the operator sees "invalid request" from the station, never a server refusal (or a queued outbox
 * item that can only fail) for a value the station should not have sent.
 */

const MAX_ID = 2_147_483_647;
const MAX_KEY = 4_294_967_295;
const MAX_OFFSET = 2_000_000_000;
/** 9999-12-31T23:59:59.999Z: its Unix second is the wire's last. */
const MAX_MS = 253_402_300_799_999;

let s: StationUnderTest;
/** A submitted order holding the widest key, written once: set up here, so no test depends on another. */
let widestKeyOrder: number;
beforeAll(async () => {
  s = await startStationUnderTest({ keys: 2 });
  const order = await server('POST', '/v1.0/orders', {
    orderType: 0,
    isHardwareLicense: true,
    orderQuantity: 5,
  });
  widestKeyOrder = order.body.order._id;
  expect((await server('PUT', `/v1.0/orders/${widestKeyOrder}`, { orderStatus: 1 })).status).toBe(200);
  const widest = { dongleId: MAX_KEY, dongleModel: 2, publicCode: 1, typeFlags: 0, netResource: 0 };
  expect((await server('POST', `/v1.0/orders/${widestKeyOrder}/dongles`, widest)).status).toBe(200);
  expect((await server('POST', `/v1.0/orders/${widestKeyOrder}/dongles/${MAX_KEY}/write`, {})).status).toBe(
    200,
  );
});
afterAll(() => s.close());

function server(method: string, path: string, body?: unknown) {
  return serverOf(s, method, path, body);
}

async function serverOf(
  on: StationUnderTest,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: any }> {
  const res = await fetch(on.embedded.serverUrl + path, {
    method,
    headers: {
      authorization: `Bearer ${on.embedded.token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

async function refusal<C extends InvokeChannel>(channel: C, request: InvokeRequest<C>) {
  const api: StationApi = s.api;
  const error = await api.invoke(channel, request).then(
    (value) => ({ code: 'ACCEPTED', value }),
    (e: unknown) => e,
  );
  expect(error, JSON.stringify(error)).toBeInstanceOf(StationRequestError);
  return error as StationRequestError;
}

describe('one set of bounds for the contract and the server', () => {
  it.each([
    ['2^53 - 1', 2 ** 53 - 1],
    ['2^31', MAX_ID + 1],
    ['0', 0],
  ])('refuses order id %s in the contract, which the server refuses as malformed', async (_, orderId) => {
    // What the server says about it…
    const direct = await server('GET', `/v1.0/orders/${orderId}`);
    expect(direct.status).toBe(400);
    expect(direct.body.status.code).toBe(10010);
    // …the station says before sending anything, for reads and for the outbox alike.
    const queued = (await s.api.invoke('outbox:list', {})).items.length;
    for (const [channel, request] of [
      ['orders:get', { orderId }],
      ['keys:precheck', { orderId, dongleIds: [1] }],
      ['keys:addToOrder', { orderId, dongleIds: [1] }],
      ['licenses:write', { orderId, dongleIds: [1] }],
      ['keys:removeFromOrder', { orderId, dongleId: 1 }],
    ] as const) {
      const error = await refusal(channel, request as never);
      expect(error.code, channel).toBe('INVALID_REQUEST');
      expect(error.message, channel).toMatch(/^orderId: must be (at most 2147483647|at least 1)/);
    }
    expect((await s.api.invoke('outbox:list', {})).items).toHaveLength(queued);
  });

  it('takes a key id in either 32-bit form, up to 2^32 - 1, and refuses anything wider', async () => {
    // The server reads -1 and 4294967295 as the same key; so does the station.
    const unsigned = await s.api.invoke('keys:history', { dongleId: MAX_KEY });
    const signed = await s.api.invoke('keys:history', { dongleId: -1 });
    expect(unsigned.history).toHaveLength(1);
    expect(signed.history).toEqual(unsigned.history);
    expect((await s.api.invoke('keys:orders', { dongleId: -1 })).orders.map((o) => o._id)).toEqual([
      widestKeyOrder,
    ]);

    for (const dongleId of [MAX_KEY + 1, -(2 ** 31) - 1, 2 ** 53 - 1]) {
      expect((await server('GET', `/v1.0/getdonglehistory/${dongleId}`)).status).toBe(400);
      const error = await refusal('keys:history', { dongleId });
      expect(error.code).toBe('INVALID_REQUEST');
      expect(error.message).toMatch(/^dongleId: must fit in 32 bits/);
    }
  });

  it('pages up to the offset and limit the server takes, and no further', async () => {
    const last = await s.api.invoke('orders:list', { offset: MAX_OFFSET, limit: 1000 });
    expect(last).toMatchObject({ orders: [], stale: false });
    expect((await server('GET', `/v1.0/orders?offset=${MAX_OFFSET + 1}`)).body.status.code).toBe(10013);
    const error = await refusal('orders:list', { offset: MAX_OFFSET + 1 });
    expect(error.code).toBe('INVALID_REQUEST');
    expect(error.message).toMatch(/^offset: must be at most 2000000000/);
    expect((await refusal('keys:history', { dongleId: 1, offset: MAX_OFFSET + 1 })).code).toBe(
      'INVALID_REQUEST',
    );
    expect((await refusal('orders:list', { limit: 1001 })).message).toMatch(/^limit: must be at most 1000/);
  });

  it('takes history dates up to the last millisecond of year 9999, and no later', async () => {
    const page = await s.api.invoke('keys:history', { dongleId: MAX_KEY, from: 0, to: MAX_MS });
    expect(page.stale).toBe(false);
    expect(page.history).toHaveLength(1);
    expect(
      (await server('GET', `/v1.0/getdonglehistory/1?actiondateend=${Math.floor(MAX_MS / 1000) + 1}`)).body
        .status.code,
    ).toBe(10013);
    for (const request of [{ to: MAX_MS + 1 }, { from: MAX_MS + 1 }, { from: 2 ** 53 - 1 }]) {
      const error = await refusal('keys:history', { dongleId: 1, ...request });
      expect(error.code).toBe('INVALID_REQUEST');
      expect(error.message).toMatch(/^(from|to): must be a date before year 10000/);
    }
  });
});

// Its own station: the reference server numbers a new order max(_id) + 1, which after this one is out of
// bounds, so no other test may share its server.
describe('at the largest order id', () => {
  let own: StationUnderTest;
  beforeAll(async () => {
    own = await startStationUnderTest({ keys: 1 });
  });
  afterAll(() => own.close());

  it('takes the largest order id end to end', async () => {
    const created = await serverOf(own, 'POST', '/v1.0/orders', {
      orderType: 0,
      isHardwareLicense: true,
      orderQuantity: 5,
    });
    const move = own.embedded.server.ctx.db.prepare('UPDATE orders SET _id = ? WHERE _id = ?');
    move.run(MAX_ID, created.body.order._id);
    expect((await serverOf(own, 'PUT', `/v1.0/orders/${MAX_ID}`, { orderStatus: 1 })).status).toBe(200);
    const view = await own.api.invoke('orders:get', { orderId: MAX_ID });
    expect(view.order).toMatchObject({ _id: MAX_ID, number: created.body.order.number, status: 1 });
    const [key] = await own.api.invoke('keys:list', {});
    const preflight = await own.api.invoke('keys:precheck', { orderId: MAX_ID, dongleIds: [key!.dongleId] });
    expect(preflight.keys).toMatchObject([{ dongleId: key!.dongleId, decision: 'add' }]);
    // Through the outbox too: queued, sent, and done.
    const drained = own.next('outbox:drained');
    const item = await own.api.invoke('keys:addToOrder', { orderId: MAX_ID, dongleIds: [key!.dongleId] });
    await drained;
    expect(await own.api.invoke('outbox:item', { itemId: item.id })).toMatchObject({
      status: 'done',
      result: { [key!.dongleId]: 0 },
    });
  });
});
