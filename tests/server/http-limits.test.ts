import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, TEST_TOKEN, type TestServer } from '../support/server-harness';

/** A connection that writes what it is given and resolves with everything it read once the server closes it. */
function rawConnection(port: number) {
  const socket: Socket = connect(port, '127.0.0.1');
  let received = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => (received += chunk));
  const closed = new Promise<string>((resolve) => {
    socket.on('close', () => resolve(received));
    socket.on('error', () => undefined); // a reset after the answer is still a close
  });
  const connected = new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  return { socket, closed, connected, received: () => received };
}

/** Sends `text`, then leaves the connection as it is (stalled) until the server closes it. */
async function sendAndWaitForClose(port: number, text: string): Promise<string> {
  const c = rawConnection(port);
  await c.connected;
  if (text) c.socket.write(text);
  return c.closed;
}

function parseResponse(text: string): { status: number; headers: string; body: any } {
  const match = /^HTTP\/1\.1 (\d{3}) [^\r\n]*\r\n([\s\S]*?)\r\n\r\n([\s\S]*)$/.exec(text);
  if (!match) throw new Error(`not an HTTP response: ${JSON.stringify(text.slice(0, 200))}`);
  let body: unknown = match[3];
  try {
    body = JSON.parse(match[3]!);
  } catch {
    // left as text: the envelope assertion names it
  }
  return { status: Number(match[1]), headers: match[2]!, body };
}

function expectEnvelope(res: { status: number; body: any }, httpStatus: number, code: number) {
  expect({ status: res.status, body: res.body }).toEqual({
    status: httpStatus,
    body: {
      status: { code, description: expect.any(String), message: expect.any(String), status: httpStatus },
    },
  });
}

describe('framework and protocol errors use the API envelope', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(() => t.close());

  it('answers a bad %-encoding in the path with 400/10016', async () => {
    for (const path of ['/v1.0/orders/%E0%A4%A', '/v1.0/orders/%zz', '/v1.0/dongles/%']) {
      expectEnvelope(await t.call('GET', path), 400, 10016);
      expectEnvelope(await t.call('GET', path, undefined, { token: null }), 400, 10016);
    }
  });

  it('answers a path parameter over 200 characters with 414/10017', async () => {
    expectEnvelope(await t.call('GET', `/v1.0/orders/${'1'.repeat(201)}`), 414, 10017);
    expectEnvelope(await t.call('GET', `/v1.0/dongles/${'9'.repeat(500)}/orders`), 414, 10017);
    expectEnvelope(await t.call('GET', `/v1.0/orders/${'1'.repeat(16)}`), 400, 10010); // within the limit
  });

  it('answers 20 KB of headers with 431/10015 and closes that connection', async () => {
    const text = await sendAndWaitForClose(
      t.server.port,
      `GET /v1.0/orders HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TEST_TOKEN}\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
    );
    expectEnvelope(parseResponse(text), 431, 10015);
    expect((await t.call('GET', '/v1.0/orders')).status).toBe(200);
  });

  it('answers a malformed request line or header with 400/10016', async () => {
    for (const request of [
      'GARBAGE / HTTP/1.1\r\nHost: x\r\n\r\n',
      'GET /v1.0/orders HTTP/1.1 extra\r\nHost: x\r\n\r\n',
      'GET /v1.0/orders HTTP/9.9\r\nHost: x\r\n\r\n',
      'GET /v1.0/orders HTTP/1.1\r\nBad Header Name: x\r\n\r\n',
      'POST /v1.0/orders HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 7\r\n\r\nhello',
      'POST /v1.0/orders HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
      '\u0000\u0001\u0002\r\n\r\n',
    ]) {
      const res = parseResponse(await sendAndWaitForClose(t.server.port, request));
      expect([JSON.stringify(request), res.status]).toEqual([JSON.stringify(request), 400]);
      expectEnvelope(res, 400, 10016);
    }
    expect((await t.call('GET', '/v1.0/orders')).status).toBe(200);
  });
});

describe('timeouts and the connection cap', () => {
  let t: TestServer;
  beforeAll(async () => {
    // Short limits, so each stall below ends soon; the defaults are 30 s, 10 s, 60 s and 512.
    t = await startTestServer({
      limits: { requestTimeoutMs: 400, headersTimeoutMs: 400, idleTimeoutMs: 5000, maxConnections: 4 },
    });
  });
  afterAll(() => t.close());

  it('answers a stalled upload with 408/10014 and closes the connection', async () => {
    const text = await sendAndWaitForClose(
      t.server.port,
      'POST /v1.0/orders HTTP/1.1\r\nHost: x\r\n' +
        `Authorization: Bearer ${TEST_TOKEN}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n` +
        '{"orderType": 0, "orderDescr',
    );
    expectEnvelope(parseResponse(text), 408, 10014);
  });

  it('answers headers that stop arriving with 408/10014 and closes the connection', async () => {
    const text = await sendAndWaitForClose(t.server.port, 'GET /v1.0/orders HTTP/1.1\r\nHost: x\r\nAuthor');
    expectEnvelope(parseResponse(text), 408, 10014);
  });

  it('closes a connection that never sends a request', async () => {
    expect(await sendAndWaitForClose(t.server.port, '')).toMatch(/^(HTTP\/1\.1 408 |$)/);
  });

  it('refuses connections beyond the cap, and takes new ones once others close', async () => {
    const held = Array.from({ length: 4 }, () => rawConnection(t.server.port));
    await Promise.all(held.map((c) => c.connected));
    // Each held connection is in the server's count once it has been accepted and answered a request.
    for (const c of held)
      c.socket.write(
        `GET /v1.0/orders?limit=1 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TEST_TOKEN}\r\n\r\n`,
      );
    await Promise.all(
      held.map(
        (c) =>
          new Promise<void>((resolve) => {
            const check = () => (/\r\n\r\n\{/.test(c.received()) ? resolve() : c.socket.once('data', check));
            check();
          }),
      ),
    );
    const refused = await sendAndWaitForClose(t.server.port, 'GET /v1.0/orders HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(refused).toBe(''); // closed at accept: no answer at all
    for (const c of held) c.socket.destroy();
    await Promise.all(held.map((c) => c.closed));
    // The server's count drops as it sees the closes; a request then gets through.
    let status = 0;
    while (status !== 200)
      status = (await t.call('GET', '/v1.0/orders?limit=1').catch(() => ({ status: 0 }))).status;
    expect(status).toBe(200);
  });
});

describe('shutting down', () => {
  it('answers a request that arrives while the server closes with 503/10503 in the envelope', async () => {
    const t = await startTestServer();
    try {
      const accepted = new Promise((resolve) => t.server.app.server.once('connection', resolve));
      const c = rawConnection(t.server.port);
      await Promise.all([c.connected, accepted]);
      c.socket.write(`GET /v1.0/orders HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TEST_TOKEN}\r\n`);
      const closing = t.server.app.close();
      // Fastify runs its preClose hooks before it stops listening.
      while (t.server.app.server.listening) await new Promise((resolve) => setImmediate(resolve));
      c.socket.write('\r\n');
      const res = parseResponse(await c.closed);
      expectEnvelope(res, 503, 10503);
      expect(res.headers).toMatch(/^connection: close$/im);
      await closing;
    } finally {
      await t.close();
    }
  });
});
