import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Limiter } from '../../server/http/limiter';
import { expectError } from '../support/hardware-orders';
import { startTestServer, type TestServer } from '../support/server-harness';

const login = (t: TestServer, name: string, password: string) =>
  t.call('POST', '/v1.0/login', { login: name, password }, { token: null });

describe('login tokens expire', () => {
  let t: TestServer;
  let clock = 1_800_000_000;
  beforeAll(async () => {
    t = await startTestServer({ now: () => clock, login: { tokenLifetimeSeconds: 3600 } });
    t.server.ctx.auth.addUser('operator', 'correct horse');
  });
  afterAll(() => t.close());

  it('accepts a login token for its lifetime, then answers 401/10001', async () => {
    const { body } = await login(t, 'operator', 'correct horse');
    const get = () => t.call('GET', '/v1.0/orders?limit=1', undefined, { token: body.token });
    expect((await get()).status).toBe(200);
    clock += 3599;
    expect((await get()).status).toBe(200);
    clock += 1;
    expectError(await get(), 401, 10001);
    // A new login gives a working token again; the env token never expires.
    const again = await login(t, 'operator', 'correct horse');
    expect((await t.call('GET', '/v1.0/orders', undefined, { token: again.body.token })).status).toBe(200);
    expect((await t.call('GET', '/v1.0/orders')).status).toBe(200);
  });
});

describe('failed logins are throttled', () => {
  let t: TestServer;
  let clock = 1_800_000_000;
  beforeAll(async () => {
    t = await startTestServer({
      now: () => clock,
      login: { throttle: { accountFailures: 5, clientFailures: 12, windowSeconds: 60 } },
    });
    t.server.ctx.auth.addUser('operator', 'correct horse');
    t.server.ctx.auth.addUser('second', 'pw');
  });
  afterAll(() => t.close());

  it('refuses an account after 5 failures with 429/10003 and Retry-After, even the right password, until the window passes', async () => {
    for (let i = 0; i < 5; i++) expectError(await login(t, 'operator', `guess ${i}`), 401, 10002);
    for (const password of ['guess 6', 'correct horse']) {
      const res = await login(t, 'operator', password);
      expectError(res, 429, 10003);
      expect(Number(res.headers.get('retry-after'))).toBe(60);
    }
    // Other accounts are not locked by it, and tokens already issued keep working.
    expect((await login(t, 'second', 'pw')).status).toBe(200);
    clock += 30;
    expect(Number((await login(t, 'operator', 'x')).headers.get('retry-after'))).toBe(30);
    clock += 30;
    const ok = await login(t, 'operator', 'correct horse');
    expect(ok.status).toBe(200);
    // Success clears the account's failures: it gets its full 5 again.
    for (let i = 0; i < 5; i++) expectError(await login(t, 'operator', `again ${i}`), 401, 10002);
    expectError(await login(t, 'operator', 'correct horse'), 429, 10003);
    clock += 61;
  });

  it('counts attempts in flight: of 16 parallel wrong logins at most 5 are judged, the rest are 429', async () => {
    const results = await Promise.all(Array.from({ length: 16 }, (_, i) => login(t, 'second', `guess ${i}`)));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([...Array(5).fill(401), ...Array(11).fill(429)]);
    clock += 61;
  });

  it('refuses a client address after 12 failures across accounts', async () => {
    // The failures of the test above are out of the window now; 12 within it trip the address.
    for (let i = 0; i < 12; i++) {
      const res = await login(t, `nobody-${i}`, 'x');
      expectError(res, 401, 10002);
    }
    const res = await login(t, 'second', 'pw');
    expectError(res, 429, 10003);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    clock += 61;
    expect((await login(t, 'second', 'pw')).status).toBe(200);
  });
});

describe('password hashing runs off the event loop', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ login: { throttle: false, hashConcurrency: 1, hashQueue: 64 } });
    t.server.ctx.auth.addUser('operator', 'correct horse');
  });
  afterAll(() => t.close());

  it('keeps the event loop turning while passwords are hashed', async () => {
    // scryptSync ran each hash (~40 ms) on the event loop: nothing else ran until all were done.
    const auth = t.server.ctx.auth;
    let turns = 0;
    let hashing = true;
    const turn = () => {
      if (!hashing) return;
      turns++;
      setImmediate(turn);
    };
    setImmediate(turn);
    const results = await Promise.all(
      Array.from({ length: 4 }, (_, i) =>
        Promise.resolve()
          .then(() => auth.login('operator', `wrong ${i}`, '10.0.0.1'))
          .catch((error: unknown) => error),
      ),
    );
    hashing = false;
    expect(results).toEqual(Array.from({ length: 4 }, () => expect.objectContaining({ code: 10002 })));
    // Each hash waits on the thread pool while the loop keeps turning: many turns per hash.
    expect(turns).toBeGreaterThan(4 * 4);
  });

  it('still answers HTTP logins and GETs side by side', async () => {
    const results = await Promise.all([
      ...Array.from({ length: 8 }, (_, i) => login(t, 'operator', `wrong ${i}`)),
      t.call('GET', '/v1.0/orders?limit=1'),
      login(t, 'operator', 'correct horse'),
    ]);
    expect(results.map((r) => r.status)).toEqual([...Array(8).fill(401), 200, 200]);
  });
});

describe('Limiter', () => {
  it('runs at most N tasks at once, queues up to M, and refuses the rest with 503/10503', async () => {
    const limiter = new Limiter(2, 1);
    const releases: Array<() => void> = [];
    const task = () => new Promise<void>((resolve) => releases.push(resolve));
    const running = [limiter.run(task), limiter.run(task), limiter.run(task)];
    expect(limiter.pending).toEqual({ running: 2, queued: 1 });
    const refused = await limiter.run(task).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 10503, httpStatus: 503, retryAfterSeconds: 1 });
    while (releases.length) {
      releases.shift()!();
      await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(running);
    expect(limiter.pending).toEqual({ running: 0, queued: 0 });
  });
});
