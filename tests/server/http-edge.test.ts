import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, TEST_TOKEN, type TestServer } from '../support/server-harness';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.close());

function expectEnvelope(res: { status: number; body: any }, httpStatus: number, code: number) {
  expect(res.status, JSON.stringify(res.body)).toBe(httpStatus);
  expect(res.body).toEqual({
    status: { code, description: expect.any(String), message: expect.any(String), status: httpStatus },
  });
  expect(JSON.stringify(res.body)).not.toMatch(/at .*\.ts:\d+/); // no stack traces leak
}

describe('authentication', () => {
  it('answers 401/10001 for a missing, malformed or wrong token', async () => {
    expectEnvelope(await t.call('GET', '/v1.0/orders', undefined, { token: null }), 401, 10001);
    expectEnvelope(await t.call('GET', '/v1.0/orders', undefined, { token: 'wrong' }), 401, 10001);
    expectEnvelope(
      await t.call('GET', '/v1.0/orders', undefined, { token: null, headers: { authorization: TEST_TOKEN } }),
      401,
      10001,
    );
    const res = await t.call('GET', '/v1.0/orders', undefined, { token: null });
    expect(res.body.status.message).toBe('Unauthorized');
  });

  it('issues tokens to added users and refuses a wrong password with 10002', async () => {
    t.server.ctx.auth.addUser('operator', 'correct horse');
    const bad = await t.call('POST', '/v1.0/login', { login: 'operator', password: 'nope' }, { token: null });
    expectEnvelope(bad, 401, 10002);
    const unknown = await t.call('POST', '/v1.0/login', { login: 'ghost', password: 'x' }, { token: null });
    expectEnvelope(unknown, 401, 10002);
    const good = await t.call(
      'POST',
      '/v1.0/login',
      { login: 'operator', password: 'correct horse' },
      { token: null },
    );
    expect(good.status).toBe(200);
    expect(good.body.token).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    expect((await t.call('GET', '/v1.0/orders', undefined, { token: good.body.token })).status).toBe(200);
  });

  it('keeps login tokens valid across a restart', async () => {
    t.server.ctx.auth.addUser('night-shift', 'pw');
    const { body } = await t.call(
      'POST',
      '/v1.0/login',
      { login: 'night-shift', password: 'pw' },
      { token: null },
    );
    await t.restart();
    expect((await t.call('GET', '/v1.0/orders', undefined, { token: body.token })).status).toBe(200);
  });
});

describe('malformed requests', () => {
  it('answers malformed JSON with 400/10011', async () => {
    expectEnvelope(await t.call('POST', '/v1.0/orders', undefined, { raw: '{"orderType": 0,' }), 400, 10011);
    expectEnvelope(await t.call('POST', '/v1.0/orders', undefined, { raw: "{'orderType': 0}" }), 400, 10011);
  });

  it('answers an empty JSON body with 400', async () => {
    const res = await t.call('POST', '/v1.0/orders', undefined, { raw: '' });
    expect(res.status).toBe(400);
    expect([10010, 10011]).toContain(res.body.status.code);
  });

  it('answers a JSON body that is not an object with 10010', async () => {
    expectEnvelope(await t.call('POST', '/v1.0/orders', undefined, { raw: '[1,2,3]' }), 400, 10010);
    expectEnvelope(await t.call('POST', '/v1.0/orders', undefined, { raw: 'null' }), 400, 10010);
    expectEnvelope(await t.call('POST', '/v1.0/orders', undefined, { raw: '"text"' }), 400, 10010);
  });

  it('answers a 2 MiB body with 413/10012 and keeps serving', async () => {
    const big = JSON.stringify({ orderType: 0, orderDescription: 'x'.repeat(2 * 1024 * 1024) });
    expectEnvelope(await t.call('POST', '/v1.0/orders', undefined, { raw: big }), 413, 10012);
    expect((await t.call('GET', '/v1.0/orders')).status).toBe(200);
  });

  it('refuses a body that is not JSON by content type', async () => {
    const res = await t.call('POST', '/v1.0/orders', undefined, {
      raw: 'orderType=0',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.body.status.code).toBe(10010);
  });

  it('refuses prototype-pollution keys without a 500', async () => {
    const res = await t.call('POST', '/v1.0/orders', undefined, {
      raw: '{"orderType":0,"__proto__":{"x":1}}',
    });
    expect(res.status).toBe(400);
    expect(res.body.status.code).toBe(10010);
  });

  it('answers unknown routes with 404/10020 in the envelope', async () => {
    expectEnvelope(await t.call('GET', '/v1.0/nothing-here'), 404, 10020);
    expectEnvelope(await t.call('PATCH', '/v1.0/orders/1'), 404, 10020);
  });
});

describe('internal faults', () => {
  it('answers a storage failure with 500/10500 in the envelope, without a stack trace', async () => {
    const broken = await startTestServer();
    try {
      broken.server.ctx.db.close(); // the disk went away under the server
      expectEnvelope(await broken.call('GET', '/v1.0/orders'), 500, 10500);
    } finally {
      await broken.close();
    }
  });
});

describe('authentication cannot be stepped around', () => {
  it('checks encoded, trailing-slash, HEAD and absolute-form spellings of a route like the plain one', async () => {
    for (const path of [
      '/v1%2E0/orders',
      '/%761.0/orders',
      '/v1.0/orders/',
      '/v1.0//orders',
      '/v1%2e0/admin/vendor',
    ]) {
      const res = await t.call('GET', path, undefined, { token: null });
      expect([401, 404], `${path} answered ${res.status}`).toContain(res.status);
      expect(res.body.status.code, path).not.toBe(0);
      if (res.status !== 404) expect(res.body.status.code).toBe(10001);
    }
    const head = await fetch(`${t.server.url}/v1%2E0/orders`, { method: 'HEAD' });
    expect(head.status).toBe(401);
    const write = await t.call('POST', '/v1%2E0/orders/1/dongles/5/write', {}, { token: null });
    expect(write.status).toBe(401);
  });

  it('refuses an absolute-form request target', async () => {
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: t.server.port,
          method: 'GET',
          path: `http://127.0.0.1:${t.server.port}/v1.0/orders`,
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(400);
  });

  it('still lets anyone log in, with or without a trailing slash', async () => {
    t.server.ctx.auth.addUser('slash', 'pw');
    const res = await t.call('POST', '/v1.0/login/', { login: 'slash', password: 'pw' }, { token: null });
    expect(res.status).toBe(200);
  });
});
