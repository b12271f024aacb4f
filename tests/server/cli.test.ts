import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ActionResult, DongleModel, OrderStatus, OrderType } from '../../shared/guardant/codes';
import { openServerDatabase } from '../../server/db/open';
import {
  DEMO_BALANCE,
  DEMO_KEYS,
  DEMO_ORDER_COUNT,
  DEMO_ORDER_NUMBERS,
  seedDemoIfEmpty,
} from '../../server/seed/demo';
import { DATABASE_FILE } from '../../server/start';
import { incompatibility, orderNeeds } from '../../server/store/compatibility';
import type { OrderRow } from '../../server/store/rows';
import { SERIAL_PATTERN } from '../../server/store/serial-numbers';
import { spawnTracked } from '../support/processes';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TOKEN = 'cli-test-token-0123456789';

/** A `node --import tsx server/main.ts …` child with its output collected line by line. */
interface Cli {
  child: ChildProcess;
  stdout: string[];
  stderr: string[];
  exit: Promise<number | null>;
  /** Messages of the JSON log lines on stdout. */
  messages(): string[];
  waitFor(pattern: RegExp): Promise<RegExpMatchArray>;
}

function cli(args: string[], options: { stdin?: string; env?: Record<string, string> } = {}): Cli {
  const child = spawnTracked(process.execPath, ['--import', 'tsx', 'server/main.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, KEYBENCH_LOG_LEVEL: 'info', ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const collect = (stream: NodeJS.ReadableStream, into: string[]) => {
    let rest = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      const parts = (rest + chunk).split('\n');
      rest = parts.pop()!;
      into.push(...parts);
    });
    stream.on('end', () => {
      if (rest) into.push(rest);
    });
  };
  const stdout: string[] = [];
  const stderr: string[] = [];
  collect(child.stdout!, stdout);
  collect(child.stderr!, stderr);
  const exit = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  child.stdin!.end(options.stdin ?? '');
  const messages = () =>
    stdout.flatMap((line) => {
      try {
        return [String(JSON.parse(line).msg)];
      } catch {
        return [];
      }
    });
  return {
    child,
    stdout,
    stderr,
    exit,
    messages,
    // Looks at every line as it arrives (no polling, no clock of its own: the test's timeout bounds it)
    // and gives up as soon as the process has exited without printing it.
    waitFor(pattern) {
      return new Promise((resolve, reject) => {
        const look = () => {
          for (const m of messages()) {
            const match = pattern.exec(m);
            if (match) {
              child.stdout!.off('data', onLine);
              return (resolve(match), true);
            }
          }
          return false;
        };
        const onLine = () => setImmediate(look);
        if (look()) return;
        child.stdout!.on('data', onLine);
        void exit.then(() => {
          if (!look())
            reject(
              new Error(
                `no log line ${pattern} (stdout: ${stdout.join(' | ')}; stderr: ${stderr.join(' | ')})`,
              ),
            );
        });
      });
    },
  };
}

const LISTENING = /^Guardant Station reference server on (http:\/\/127\.0\.0\.1:\d+) \(data in (.+)\)$/;

const idOf = (orders: any[], number: number): number => orders.find((o) => o.number === number)._id;

async function get(url: string, token: string | null = TOKEN) {
  const res = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: res.status, body: (await res.json()) as any };
}

async function post(url: string, body: unknown, token: string | null = TOKEN) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as any };
}

describe('server command line', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'kb-cli-'));
  const started: Cli[] = [];
  // The server the tests below share; none stops it or adds an order: the tests that stop and restart
  // a server start their own, on a data folder of their own.
  let server: Cli;
  let url: string;

  const serve = async (extra: string[] = [], dir = dataDir) => {
    const s = cli(['--port', '0', '--data', dir, '--seed', 'demo', ...extra], {
      env: { KEYBENCH_API_TOKEN: TOKEN },
    });
    started.push(s);
    const match = await s.waitFor(LISTENING);
    return { s, url: match[1]! };
  };

  /** Adds a user with `add-user` (password on stdin) to the data folder; its exit code and words. */
  const addUser = async (name: string, password: string, dir = dataDir) => {
    const add = cli(['add-user', name, '--data', dir], { stdin: `${password}\n` });
    started.push(add);
    return { code: await add.exit, out: add.stdout.join('\n') };
  };

  beforeAll(async () => {
    ({ s: server, url } = await serve());
  });
  afterAll(async () => {
    for (const s of started)
      if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill('SIGKILL');
    await Promise.all(started.map((s) => s.exit));
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('logs the URL it listens on, on a port the OS chose, and seeds the demo on first start', async () => {
    const [, , dir] = await server.waitFor(LISTENING);
    expect(dir).toBe(dataDir);
    expect(Number(new URL(url).port)).toBeGreaterThan(0);
    expect(server.messages()).toContain('demo catalog seeded');
  });

  it('serves the demo orders to the env token: Draft and Submitted, Sale and Update, both kinds', async () => {
    const res = await get(`${url}/v1.0/orders?limit=1000`);
    expect(res.status).toBe(200);
    const orders = res.body.orders as any[];
    expect(orders).toHaveLength(DEMO_ORDER_COUNT);
    expect(orders.map((o) => o.number)).toEqual(orders.map((_, i) => i + 1));
    const kinds = new Set(orders.map((o) => `${o.type}/${o.status}/${o.ishardwarelicense}`));
    for (const type of [OrderType.Sale, OrderType.Update]) {
      for (const status of [OrderStatus.Draft, OrderStatus.Submitted]) {
        for (const hardware of [false, true]) expect(kinds).toContain(`${type}/${status}/${hardware}`);
      }
    }
    const bulk = orders.find((o) => o.number === DEMO_ORDER_NUMBERS.bulk500);
    expect(bulk).toMatchObject({ quantity: 500, status: 1, type: 0, ishardwarelicense: true });
    expect(bulk.customer.companyname).toBe('Atlas CNC Tooling S.p.A.');
    for (const o of orders) expect((await get(`${url}/v1.0/orders/${o._id}`)).status).toBe(200);
    const search = await post(`${url}/v1.0/search/license`, { clientId: bulk.customer._id });
    expect(search.body.dongles.length + search.body.serialnumbers.length).toBeGreaterThan(0);
    // The seeded keys' past is served: an order's keys, a key's history with a failed and a good write.
    const detail = await get(`${url}/v1.0/orders/${idOf(orders, DEMO_ORDER_NUMBERS.perpetual20)}`);
    expect(detail.body.order.products.map((p: any) => p.productnumber).sort()).toEqual([12350, 12351]);
    expect(detail.body.order.dongles.map((d: any) => d.dongleid).sort()).toEqual([
      991846791, 991846792, 991846793,
    ]);
    const history = await get(`${url}/v1.0/getdonglehistory/991846792`);
    expect(history.body.history.map((h: any) => h.actionresult)).toEqual([201, 0]);
    // A key without a clock is refused for the time-limited order, one with a clock is accepted.
    const key = (dongleId: number, dongleModel: number) => ({
      dongleId,
      dongleModel,
      publicCode: 1368487351,
      typeFlags: 442,
      netResource: 0,
    });
    const timed = idOf(orders, DEMO_ORDER_NUMBERS.timeLimited50);
    const refused = await post(`${url}/v1.0/canadddongle/orders/${timed}`, key(991846900, DongleModel.SIGN));
    expect(refused.body.status.code).toBe(10172);
    const accepted = await post(`${url}/v1.0/canadddongle/orders/${timed}`, key(991846901, DongleModel.TIME));
    expect(accepted.status).toBe(200);
    const filtered = await get(`${url}/v1.0/orders?status=0&limit=1000`);
    expect(filtered.body.orders.length).toBeGreaterThan(0);
    expect(filtered.body.orders.every((o: any) => o.status === 0)).toBe(true);
  });

  it('writes one log line per request: method, path, status and milliseconds', async () => {
    await get(`${url}/v1.0/orders/987654`);
    await get(`${url}/v1.0/orders?limit=1`, null);
    await get(`${url}/v1.0/no-such-endpoint?x=1`);
    await server.waitFor(/^GET \/v1\.0\/no-such-endpoint /);
    const lines = server.messages();
    const only = (re: RegExp) => expect(lines.filter((l) => re.test(l))).toHaveLength(1);
    only(/^GET \/v1\.0\/orders\/987654 404 \d+\.\dms$/);
    only(/^GET \/v1\.0\/no-such-endpoint 404 \d+\.\dms$/);
    expect(lines.filter((l) => /^GET \/v1\.0\/orders 401 \d+\.\dms$/.test(l))).toHaveLength(1);
    // No query strings (they may carry search text) and no Fastify request/response pairs.
    expect(lines.some((l) => l.includes('?'))).toBe(false);
    expect(lines.filter((l) => l === 'incoming request' || l === 'request completed')).toEqual([]);
  });

  it('add-user takes the password from stdin; the login token then works as a Bearer token', async () => {
    const add = await addUser('operator1', 'correct horse battery');
    expect(add.code).toBe(0);
    expect(add.out).toContain('user operator1 saved');

    const login = await post(
      `${url}/v1.0/login`,
      { login: 'operator1', password: 'correct horse battery' },
      null,
    );
    expect(login.status).toBe(200);
    expect(login.body.token).toEqual(expect.any(String));
    const orders = await get(`${url}/v1.0/orders?limit=5`, login.body.token);
    expect(orders.status).toBe(200);
    expect(orders.body.orders).toHaveLength(5);

    for (const body of [
      { login: 'operator1', password: 'correct horse' },
      { login: 'nobody', password: 'correct horse battery' },
    ]) {
      const wrong = await post(`${url}/v1.0/login`, body, null);
      expect(wrong.status).toBe(401);
      expect(wrong.body.status.code).toBe(10002);
    }
  });

  describe('on a data folder of its own', () => {
    let ownDir: string;
    beforeEach(() => {
      ownDir = mkdtempSync(join(tmpdir(), 'kb-cli-own-'));
    });
    afterEach(() => rmSync(ownDir, { recursive: true, force: true }));

    it('stops cleanly on SIGTERM with exit code 0', async () => {
      const { s: own } = await serve([], ownDir);
      own.child.kill('SIGTERM');
      expect(await own.exit).toBe(0);
      expect(own.messages()).toContain('SIGTERM: shutting down');
    });

    it('restarts on the same data: keeps orders and users, does not seed twice, applies --balance and --inject-failure', async () => {
      // The first life of the server: a user, an order, and a clean stop.
      const first = await serve([], ownDir);
      expect((await addUser('operator1', 'correct horse battery', ownDir)).code).toBe(0);
      const login = await post(
        `${first.url}/v1.0/login`,
        { login: 'operator1', password: 'correct horse battery' },
        null,
      );
      const userToken: string = login.body.token;
      const created = await post(`${first.url}/v1.0/orders`, {
        orderType: 0,
        orderQuantity: 3,
        orderDescription: 'made before the restart',
      });
      expect(created.status).toBe(200);
      first.s.child.kill('SIGTERM');
      expect(await first.s.exit).toBe(0);

      const { s, url: url2 } = await serve(
        ['--balance', '42', '--inject-failure', '991846791:201:3', '--inject-failure=-1359759134:2'],
        ownDir,
      );
      expect(s.messages()).not.toContain('demo catalog seeded');
      const res = await get(`${url2}/v1.0/orders?limit=1000`, userToken);
      expect(res.status).toBe(200);
      expect(res.body.orders).toHaveLength(DEMO_ORDER_COUNT + 1);
      expect(res.body.orders.at(-1)).toMatchObject({
        number: DEMO_ORDER_COUNT + 1,
        description: 'made before the restart',
      });

      // The scripted failures fail the next writes into the key; then the balance of 42 is billed.
      const order = idOf(res.body.orders, DEMO_ORDER_NUMBERS.perpetual20);
      const results: number[] = [];
      for (let i = 0; i < 4; i++) {
        const write = await post(`${url2}/v1.0/orders/${order}/dongles/991846791/write`, {});
        results.push(write.body.write.actionresult);
      }
      expect(results).toEqual([201, 201, 201, 0]);
      // 991846791 was paid for when the demo wrote it; 991846793 only ever failed, so it is billed now.
      const billed = await post(`${url2}/v1.0/orders/${order}/dongles/991846793/write`, {});
      expect(billed.body.write).toMatchObject({
        actionresult: 0,
        activationsconsumed: 1,
        activationscountcurrent: 41,
      });

      const db = new Database(join(ownDir, DATABASE_FILE), { readonly: true });
      try {
        expect(db.prepare('SELECT activations_remaining AS n FROM vendor').get()).toEqual({ n: 41 });
        // The signed key id is stored unsigned; the spent failures are gone.
        expect(db.prepare('SELECT dongleid, actionresult, remaining FROM injected_failures').all()).toEqual([
          { dongleid: 2935208162, actionresult: 2, remaining: 1 },
        ]);
      } finally {
        db.close();
      }
      s.child.kill('SIGTERM');
      expect(await s.exit).toBe(0);
    });
  });

  it('rejects a bad command line with one line on stderr and a non-zero exit', async () => {
    const cases: [string[], RegExp][] = [
      [['--port', 'abc'], /--port abc: not a port/],
      [['--port', '70000'], /--port 70000: not a port/],
      [['--port', '-1'], /--port needs a value/],
      [['--seed', 'full'], /--seed full: unknown seed/],
      [['--balance', '1.5'], /--balance 1\.5/],
      [['--inject-failure', '991846791:7'], /7 is not a failure ActionResult/],
      [['--inject-failure', '991846791:0'], /0 is not a failure ActionResult/],
      [['--inject-failure', '4294967296:201'], /not a 32-bit number/],
      [['--inject-failure', '991846791'], /expected DONGLEID:CODE\[:COUNT\]/],
      [['--inject-failure', '991846791:201:0'], /count 0/],
      [['--frobnicate'], /Unknown option '--frobnicate'/],
      [['serve'], /unknown command serve/],
      [['add-user'], /add-user needs a NAME/],
    ];
    // Two at a time: thirteen Node processes compiling TypeScript at once on a loaded two-core machine
    // outlast any sane timeout, which is how this test failed under load.
    const runs: Cli[] = [];
    const codes: (number | null)[] = [];
    for (let i = 0; i < cases.length; i += 2) {
      const batch = cases
        .slice(i, i + 2)
        .map(([args]) => cli([...args, '--data', join(dataDir, 'never-created')]));
      started.push(...batch);
      runs.push(...batch);
      codes.push(...(await Promise.all(batch.map((r) => r.exit))));
    }
    cases.forEach(([args, pattern], i) => {
      const err = runs[i]!.stderr.filter((l) => l.trim());
      expect({ args, code: codes[i], err }).toEqual({ args, code: 2, err: [expect.stringMatching(pattern)] });
      expect(runs[i]!.stdout.filter((l) => l.trim())).toEqual([]);
    });
  }, 180_000);

  it('prints the usage for --help', async () => {
    const help = cli(['--help']);
    started.push(help);
    expect(await help.exit).toBe(0);
    const text = help.stdout.join('\n');
    expect(text).toContain('--inject-failure');
    expect(text).toContain('--balance');
  });
});

describe('demo catalog', () => {
  const NOW = 1_760_000_000;
  const dir = mkdtempSync(join(tmpdir(), 'kb-demo-'));
  const db = openServerDatabase(join(dir, 'a.db'));
  const all = <T = any>(sql: string, ...params: unknown[]) => db.prepare(sql).all(...params) as T[];
  const one = <T = any>(sql: string, ...params: unknown[]) => db.prepare(sql).get(...params) as T;

  beforeAll(() => {
    expect(seedDemoIfEmpty(db, NOW)).toBe(true);
  });
  afterAll(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('seeds only an empty catalog', () => {
    const before = one('SELECT COUNT(*) AS n FROM orders').n;
    expect(seedDemoIfEmpty(db, NOW + 100)).toBe(false);
    expect(one('SELECT COUNT(*) AS n FROM orders').n).toBe(before);
    expect(before).toBe(DEMO_ORDER_COUNT);
    expect(one('SELECT COUNT(*) AS n FROM customers').n).toBe(6);
    expect(one('SELECT COUNT(*) AS n FROM products').n).toBe(5);
  });

  it('numbers orders through the counter, oldest first, with sane dates', () => {
    expect(one("SELECT value FROM counters WHERE name = 'order_number'").value).toBe(DEMO_ORDER_COUNT);
    const orders = all<OrderRow>('SELECT * FROM orders ORDER BY number');
    expect(orders.map((o) => o.number)).toEqual(orders.map((_, i) => i + 1));
    for (const [i, o] of orders.entries()) {
      if (i) expect(o.date).toBeGreaterThan(orders[i - 1]!.date);
      expect(o.date).toBeLessThan(NOW);
      if (o.status === OrderStatus.Draft) expect(o.submitdate).toBe(0);
      else expect(o.submitdate).toBeGreaterThan(o.date);
      expect(o.submitdate).toBeLessThan(NOW);
      expect(o.archivationdate > 0).toBe(o.status === OrderStatus.Archived);
    }
    for (const number of Object.values(DEMO_ORDER_NUMBERS)) expect(orders[number - 1]).toBeDefined();
    const statuses = new Set(orders.map((o) => o.status));
    expect([...statuses].sort()).toEqual([0, 1, 2, 3]);
  });

  it("copies every ordered product's features and params, honouring canexclude, canmodify and editallowed", () => {
    expect(
      all(`SELECT * FROM order_features f
            WHERE NOT EXISTS (SELECT 1 FROM order_products p WHERE p.order_id = f.order_id AND p.product_id = f.product_id)
               OR NOT EXISTS (SELECT 1 FROM features x WHERE x._id = f.feature_id AND x.product_id = f.product_id)`),
    ).toEqual([]);
    expect(
      all(`SELECT op.order_id, f._id FROM order_products op JOIN features f ON f.product_id = op.product_id
            WHERE NOT EXISTS (SELECT 1 FROM order_features x WHERE x.order_id = op.order_id AND x.feature_id = f._id)`),
    ).toEqual([]);
    expect(
      all(`SELECT op.order_id, p._id FROM order_products op
             JOIN memory_items m ON m.product_id = op.product_id JOIN memory_params p ON p.memoryitem_id = m._id
            WHERE NOT EXISTS (SELECT 1 FROM order_params x WHERE x.order_id = op.order_id AND x.param_id = p._id)`),
    ).toEqual([]);
    expect(
      all(`SELECT x.* FROM order_params x JOIN memory_params p ON p._id = x.param_id
             JOIN memory_items m ON m._id = p.memoryitem_id
            WHERE m.product_id <> x.product_id OR length(x.data) <> p.size
               OR (p.editallowed = 0 AND x.data <> p.data)`),
    ).toEqual([]);
    expect(
      all(`SELECT o.* FROM order_features o JOIN features f ON f._id = o.feature_id
            WHERE (o.isexcluded = 1 AND f.canexclude = 0)
               OR (f.canmodify = 0 AND (o.licensingmodel, o.netlicensescount, o.rentbegindate, o.rentenddate,
                   o.rentdayscount, o.isremote, o.flags) IS NOT (f.licensingmodel, f.netlicensescount,
                   f.rentbegindate, f.rentenddate, f.rentdayscount, f.isremote, f.flags))`),
    ).toEqual([]);
    // Both kinds of memory parameter, and both excluded and modified features, are on show.
    expect(one('SELECT COUNT(DISTINCT editallowed) AS n FROM memory_params').n).toBe(2);
    expect(one('SELECT COUNT(*) AS n FROM order_features WHERE isexcluded = 1').n).toBeGreaterThan(0);
    expect(all('SELECT DISTINCT canexclude, canmodify FROM features')).toHaveLength(4);
    expect(
      one(
        'SELECT COUNT(*) AS n FROM orders o WHERE NOT EXISTS (SELECT 1 FROM order_products p WHERE p.order_id = o._id)',
      ).n,
    ).toBe(0);
  });

  it('issues serial numbers exactly for the software Sale orders that were submitted', () => {
    const orders = all<OrderRow & { serials: number }>(
      'SELECT o.*, (SELECT COUNT(*) FROM serial_numbers s WHERE s.order_id = o._id) AS serials FROM orders o',
    );
    for (const o of orders) {
      const issued = o.type === OrderType.Sale && !o.ishardwarelicense && o.status !== OrderStatus.Draft;
      expect({ number: o.number, serials: o.serials }).toEqual({
        number: o.number,
        serials: issued ? o.quantity : 0,
      });
    }
    for (const { serialstring } of all('SELECT serialstring FROM serial_numbers')) {
      expect(serialstring).toMatch(SERIAL_PATTERN);
    }
    const updates = all<OrderRow>('SELECT * FROM orders WHERE type = 1 AND ishardwarelicense = 0');
    expect(updates.length).toBeGreaterThan(0);
    for (const u of updates) {
      expect(one('SELECT 1 AS ok FROM serial_numbers WHERE serialstring = ?', u.update_serial)).toEqual({
        ok: 1,
      });
    }
  });

  it('has a submitted hardware Sale order for each key compatibility case, and keys on both sides of each', () => {
    const hardware = all<OrderRow>(
      'SELECT * FROM orders WHERE type = 0 AND ishardwarelicense = 1 AND status = 1 ORDER BY number',
    );
    const keys = all('SELECT * FROM dongles');
    const cases = new Map<string, { number: number; quantity: number; fits: number; refused: Set<number> }>();
    for (const o of hardware) {
      const needs = orderNeeds(db, o._id, o.number);
      const name = `${needs.timeLimited ? 'time' : ''}${needs.network ? 'net' : ''}` || 'plain';
      const refused = new Set<number>();
      let fits = 0;
      for (const key of keys) {
        const problem = incompatibility(needs, key);
        if (problem) refused.add(problem.code);
        else fits++;
      }
      // A key that lacks everything, and one with a little network resource, to see every refusal.
      for (const model of [DongleModel.SIGN, DongleModel.TIME]) {
        for (const netresource of [0, 1]) {
          const problem = incompatibility(needs, { dongleid: 1, model, netresource });
          if (problem) refused.add(problem.code);
        }
      }
      cases.set(name, { number: o.number, quantity: o.quantity, fits, refused });
    }
    expect([...cases.keys()].sort()).toEqual(['net', 'plain', 'time', 'timenet']);
    expect(cases.get('plain')!.refused.size).toBe(0);
    expect([...cases.get('time')!.refused]).toEqual([10172]);
    expect([...cases.get('net')!.refused].sort()).toEqual([10173, 10174]);
    expect([...cases.get('timenet')!.refused].sort()).toEqual([10172, 10173, 10174]);
    for (const c of cases.values()) expect(c.fits).toBeGreaterThan(0);
    expect(cases.get('time')!.number).toBe(DEMO_ORDER_NUMBERS.timeLimited50);
    expect(cases.get('net')!.number).toBe(DEMO_ORDER_NUMBERS.network5);
    expect(hardware.map((o) => o.quantity)).toEqual(expect.arrayContaining([5, 20, 50, 500]));
  });

  it('records past writes: keys in their orders, compatible, within quantity, results 0 and 201', () => {
    const held = all<{ order_id: number; number: number; quantity: number; n: number }>(
      `SELECT d.order_id, o.number, o.quantity, COUNT(*) AS n FROM order_dongles d JOIN orders o ON o._id = d.order_id
        GROUP BY d.order_id`,
    );
    for (const h of held) {
      expect(h.n).toBeLessThanOrEqual(h.quantity);
      for (const key of all(
        'SELECT k.* FROM order_dongles d JOIN dongles k USING (dongleid) WHERE d.order_id = ?',
        h.order_id,
      )) {
        expect(incompatibility(orderNeeds(db, h.order_id, h.number), key)).toBeNull();
      }
    }
    expect(
      all(`SELECT * FROM burns b WHERE NOT EXISTS
             (SELECT 1 FROM order_dongles d WHERE d.order_id = b.order_id AND d.dongleid = b.dongleid)`),
    ).toEqual([]);
    const results = all('SELECT DISTINCT actionresult AS r FROM burns ORDER BY r').map((r) => r.r);
    expect(results).toEqual([ActionResult.Success, ActionResult.DongleBurnFailed]);
    expect(one('SELECT COUNT(*) AS n FROM dongles').n).toBe(DEMO_KEYS.length);
    // The ledger ends where the vendor's account stands.
    const last = one('SELECT * FROM burns ORDER BY actiondate DESC LIMIT 1');
    expect(last.activationscountcurrent).toBe(DEMO_BALANCE.activations);
    expect(one('SELECT activations_remaining AS n FROM vendor').n).toBe(DEMO_BALANCE.activations);
  });

  it('has hardware Update orders naming keys with a history; the submitted one holds its key', () => {
    const updates = all<OrderRow>(
      'SELECT * FROM orders WHERE type = 1 AND ishardwarelicense = 1 ORDER BY number',
    );
    expect(updates.map((u) => u.number)).toEqual([
      DEMO_ORDER_NUMBERS.keyUpdate,
      DEMO_ORDER_NUMBERS.keyUpdateDraft,
    ]);
    for (const u of updates) {
      expect(one('SELECT COUNT(*) AS n FROM burns WHERE dongleid = ?', u.update_dongleid).n).toBeGreaterThan(
        0,
      );
      const holds = one('SELECT COUNT(*) AS n FROM order_dongles WHERE order_id = ?', u._id).n;
      expect(holds).toBe(u.status === OrderStatus.Submitted ? 1 : 0);
    }
  });

  it('is deterministic apart from the serial strings', () => {
    const other = openServerDatabase(join(dir, 'b.db'));
    try {
      seedDemoIfEmpty(other, NOW);
      const dump = (d: typeof db) =>
        [
          'customers',
          'products',
          'features',
          'memory_params',
          'order_features',
          'order_params',
          'dongles',
          'burns',
        ]
          .map((t) => d.prepare(`SELECT * FROM ${t}`).all())
          .concat([
            d
              .prepare('SELECT * FROM orders')
              .all()
              .map((o: any) => ({ ...o, update_serial: !!o.update_serial })),
          ]);
      expect(dump(other)).toEqual(dump(db));
    } finally {
      other.close();
    }
  });
});
