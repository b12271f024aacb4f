import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConnection } from '../../electron/core/settings/connection-test';
import { startTestServer, TEST_TOKEN, type TestServer } from '../support/server-harness';

/**
 * "Test connection" against the real reference server, a loopback port nobody listens on, and a web
 * server that is not a Guardant Station: each outcome in words, and nothing saved.
 */
let t: TestServer;
let web: Server;
let webUrl: string;
let deadUrl: string;

beforeAll(async () => {
  t = await startTestServer({ vendorName: 'Northwind Keys' });
  t.server.ctx.auth.addUser('operator', 'correct horse');
  // Any web server: a page for every path, as a proxy or an intranet site answers.
  web = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body>Welcome</body></html>');
  });
  await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
  webUrl = `http://127.0.0.1:${(web.address() as { port: number }).port}`;
  // A port that was free a moment ago: nothing answers there.
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  deadUrl = `http://127.0.0.1:${(probe.address() as { port: number }).port}`;
  await new Promise((resolve) => probe.close(resolve));
});
afterAll(async () => {
  await t.close();
  await new Promise((resolve) => web.close(resolve));
});

const none = { saved: {} };

describe('settings:test-connection', () => {
  it('says the host cannot be reached when nothing listens there', async () => {
    const r = await testConnection({ serverUrl: deadUrl, token: TEST_TOKEN }, none);
    expect(r.outcome).toBe('unreachable');
    expect(r.message).toMatch(/^Cannot reach 127\.0\.0\.1:\d+/);
    expect(r.detail).toMatch(/ECONNREFUSED/);
  });

  it('says a web server that answers is not a Guardant Station server', async () => {
    const r = await testConnection({ serverUrl: webUrl, login: 'operator', password: 'correct horse' }, none);
    expect(r.outcome).toBe('not-guardant');
    expect(r.message).toMatch(/not as a Guardant Station server/);
  });

  it('says wrong user or password for a wrong password, and for an unknown user', async () => {
    const wrong = await testConnection(
      { serverUrl: t.server.url, login: 'operator', password: 'nope' },
      none,
    );
    expect(wrong).toMatchObject({
      outcome: 'bad-credentials',
      tried: "login 'operator' with the password you entered",
    });
    expect(wrong.message).toMatch(/wrong user or password/);
    const unknown = await testConnection({ serverUrl: t.server.url, login: 'nobody', password: 'x' }, none);
    expect(unknown.outcome).toBe('bad-credentials');
  });

  it('says a token is not valid, and that no credentials were given', async () => {
    const token = await testConnection({ serverUrl: t.server.url, token: 'not-the-token' }, none);
    expect(token).toMatchObject({ outcome: 'bad-credentials' });
    expect(token.message).toMatch(/token is not valid/);
    const nothing = await testConnection({ serverUrl: t.server.url }, none);
    expect(nothing.outcome).toBe('no-credentials');
  });

  it("says ok with the vendor's name, for a login and for the saved token", async () => {
    const login = await testConnection(
      { serverUrl: t.server.url, login: 'operator', password: 'correct horse' },
      none,
    );
    expect(login).toMatchObject({ outcome: 'ok', vendorName: 'Northwind Keys' });
    expect(login.message).toMatch(
      /^Connected to 127\.0\.0\.1:\d+ with login 'operator'.*: vendor Northwind Keys\.$/,
    );
    // Nothing typed: the saved credentials are tried, as the form's write-only secrets mean.
    const saved = await testConnection({ serverUrl: t.server.url }, { saved: { token: TEST_TOKEN } });
    expect(saved).toMatchObject({ outcome: 'ok', tried: 'the saved API token' });
  });
});
