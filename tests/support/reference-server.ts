import { expect } from 'vitest';

/*
 * The reference server behind a station under test, asked directly over its HTTP API: to make the
 * orders a test needs, and to read what the server recorded of a key (the truth a station's own view
 * is checked against).
 */

/** Where the server is and the token it takes: an EmbeddedDefault, or a restarted server's url. */
export interface ServerAccess {
  readonly serverUrl: string;
  readonly token: string;
}

/** One call of the server's API; any answer but 200 fails the test with the server's words. */
export async function serverJson<T = any>(
  server: ServerAccess,
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const res = await fetch(`${server.serverUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${server.token}`,
      ...(body !== undefined && { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await res.json()) as T;
  expect(res.status, `${method} ${path}: ${JSON.stringify(json)}`).toBe(200);
  return json;
}

export interface CreatedOrder {
  _id: number;
  number: number;
}

/** A fresh Submitted hardware Sale order with no products: any key model fits. */
export async function newHardwareOrder(server: ServerAccess, quantity: number): Promise<CreatedOrder> {
  const body = { orderType: 0, isHardwareLicense: true, orderQuantity: quantity, orderStatus: 1 };
  return (await serverJson<{ order: CreatedOrder }>(server, 'POST', '/v1.0/orders', body)).order;
}

/** One write of a key as the server recorded it. */
export interface KeyWrite {
  actionresult: number;
  order: { _id: number };
}

/** The server's record of a key's writes, oldest first; none for a key the server never met (404). */
export async function keyHistory(server: ServerAccess, dongleId: number): Promise<KeyWrite[]> {
  const res = await fetch(`${server.serverUrl}/v1.0/getdonglehistory/${dongleId}?limit=1000&direction=asc`, {
    headers: { authorization: `Bearer ${server.token}` },
  });
  if (res.status === 404) return [];
  return ((await res.json()) as { history: KeyWrite[] }).history;
}

/** The key's writes that succeeded (ActionResult 0), of any order. */
export async function successfulWrites(server: ServerAccess, dongleId: number): Promise<KeyWrite[]> {
  return (await keyHistory(server, dongleId)).filter((h) => h.actionresult === 0);
}

/** The ActionResults of a key's writes of one order, oldest first. */
export async function writesOf(server: ServerAccess, dongleId: number, orderId: number): Promise<number[]> {
  return (await keyHistory(server, dongleId))
    .filter((h) => h.order._id === orderId)
    .map((h) => h.actionresult);
}

/** How often the key was written with the order successfully: a key written twice is billed twice. */
export async function successfulWriteCount(
  server: ServerAccess,
  dongleId: number,
  orderId: number,
): Promise<number> {
  return (await writesOf(server, dongleId, orderId)).filter((r) => r === 0).length;
}
