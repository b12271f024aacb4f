import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BadServerResponseError,
  GuardantApiError,
  ServerUnreachableError,
} from '../../electron/core/api/errors';
import { GuardantClient } from '../../electron/core/api/guardant-client';
import { startTestServer, type TestServer } from '../support/server-harness';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
  t.server.ctx.auth.addUser('operator', 'correct horse');
});
afterAll(() => t.close());

function client(
  credentials: { token?: string; login?: string; password?: string },
  fetchImpl?: typeof fetch,
) {
  return new GuardantClient({ baseUrl: t.server.url, credentials: () => credentials, fetch: fetchImpl });
}

describe('GuardantClient', () => {
  it('logs in with a login and password, then reuses the token', async () => {
    const logins: string[] = [];
    const counting: typeof fetch = (input, init) => {
      if (String(input).endsWith('/v1.0/login')) logins.push(String(input));
      return fetch(input, init);
    };
    const c = client({ login: 'operator', password: 'correct horse' }, counting);
    expect(await c.listOrders({ limit: 1 })).toEqual([]);
    await c.listOrders({ limit: 1 });
    expect(logins).toHaveLength(1);
  });

  it('logs in again once when the server stops accepting its token', async () => {
    const c = client({ login: 'operator', password: 'correct horse' });
    await c.listOrders({ limit: 1 });
    t.server.ctx.db.prepare('DELETE FROM tokens').run(); // the server forgot every session
    expect(await c.listOrders({ limit: 1 })).toEqual([]);
  });

  it('logs in again once its login token has expired on the server', async () => {
    const logins: string[] = [];
    const counting: typeof fetch = (input, init) => {
      if (String(input).endsWith('/v1.0/login')) logins.push(String(input));
      return fetch(input, init);
    };
    const c = client({ login: 'operator', password: 'correct horse' }, counting);
    await c.listOrders({ limit: 1 });
    const realClock = t.server.ctx.now;
    t.server.ctx.now = () => realClock() + 13 * 60 * 60; // a shift later: past the 12 h token lifetime
    try {
      expect(await c.listOrders({ limit: 1 })).toEqual([]);
      expect(logins).toHaveLength(2);
    } finally {
      t.server.ctx.now = realClock;
    }
  });

  it('reports a wrong password as the server decided it: 10002', async () => {
    const error = await client({ login: 'operator', password: 'nope' })
      .listOrders({ limit: 1 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GuardantApiError);
    expect((error as GuardantApiError).apiCode).toBe(10002);
  });

  it('tells an unreachable server, a refusal and a foreign answer apart', async () => {
    const down = new GuardantClient({ baseUrl: 'http://127.0.0.1:9', credentials: () => ({ token: 'x' }) });
    await expect(down.getOrder(1)).rejects.toBeInstanceOf(ServerUnreachableError);

    const refused = await client({ token: 'test-token-0123456789' })
      .getOrder(999_999)
      .catch((e: unknown) => e);
    expect(refused).toMatchObject({ apiCode: 10021, httpStatus: 404 });

    const proxyPage: typeof fetch = async () => new Response('<html>captive portal</html>', { status: 200 });
    await expect(client({ token: 'x' }, proxyPage).getOrder(1)).rejects.toBeInstanceOf(
      BadServerResponseError,
    );
    const wrongShape: typeof fetch = async () => Response.json({ order: { _id: 'one' } });
    await expect(client({ token: 'x' }, wrongShape).getOrder(1)).rejects.toThrow(
      /unexpected answer \(order\._id/,
    );
  });

  it('honours Retry-After on a busy server', async () => {
    const busy: typeof fetch = async () => new Response('', { status: 503, headers: { 'retry-after': '7' } });
    const error = await client({ token: 'x' }, busy)
      .addDongles(1, [])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServerUnreachableError);
    expect((error as ServerUnreachableError).retryAfterMs).toBe(7000);
  });
});

describe('GuardantClient on a connection cut mid-answer', () => {
  it('treats a body cut off after the headers as "unreachable, try later", not as a failure', async () => {
    const { createServer } = await import('node:http');
    const cutting = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
      res.write('{"dongles":[');
      setTimeout(() => res.socket?.destroy(), 20);
    });
    await new Promise<void>((r) => cutting.listen(0, '127.0.0.1', () => r()));
    const { port } = cutting.address() as { port: number };
    const c = new GuardantClient({
      baseUrl: `http://127.0.0.1:${port}`,
      credentials: () => ({ token: 'x' }),
    });
    await expect(c.addDongles(1, [])).rejects.toBeInstanceOf(ServerUnreachableError);
    cutting.close();
  });
});
