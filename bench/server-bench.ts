/**
 * Reference-server benchmark: 1,000,000 orders and 100,000 keys in a fresh SQLite file, then real HTTP
 * against the real server. Measures the order list page (GET /v1.0/orders?limit=100) for every sort,
 * direction, status filter and a near and a far offset, and one 1,000-key multipledongles call.
 *
 *   npm run bench:server            (BENCH_SAMPLES=200 BENCH_KEEP=1 to keep the data dir)
 *
 * Always exits 0: the table says PASS or MISS against the goals.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { openServerDatabase } from '../server/db/open';
import { startServer, DATABASE_FILE, type RunningServer } from '../server/start';
import type { Database } from 'better-sqlite3';
import { bulkLoad, PUBLIC_CODE } from './bulk-load';

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

const ORDERS = 1_000_000;
const DONGLES = 100_000;
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 200);
const WARMUP = 20;
/** Per combination: stop sampling after this long, so a slow case cannot hold the run for minutes. */
const COMBO_BUDGET_MS = 20_000;
const TOKEN = 'bench-token-0123456789abcdef';

interface Row {
  what: string;
  p50: number | null;
  p99: number | null;
  samples: number;
  goal: number;
  note?: string;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function timeGet(url: string): Promise<{ ms: number; count: number }> {
  const t0 = performance.now();
  const res = await fetch(url, { headers: { authorization: `Bearer ${TOKEN}` } });
  const body = (await res.json()) as { orders?: unknown[] };
  const ms = performance.now() - t0;
  if (res.status !== 200) throw new Error(`${url}: HTTP ${res.status} ${JSON.stringify(body)}`);
  return { ms, count: body.orders?.length ?? 0 };
}

async function measureLists(server: RunningServer): Promise<Row[]> {
  const rows: Row[] = [];
  for (const offset of [0, 900_000]) {
    for (const sortby of ['number', 'submitdate']) {
      for (const direction of ['asc', 'desc']) {
        for (const status of ['', '0,1']) {
          const query = `sortby=${sortby}&direction=${direction}${status ? `&status=${status}` : ''}&offset=${offset}&limit=100`;
          const url = `${server.url}/v1.0/orders?${query}`;
          for (let w = 0; w < WARMUP; w++) await timeGet(url);
          const times: number[] = [];
          let count = 0;
          const until = performance.now() + COMBO_BUDGET_MS;
          while (times.length < SAMPLES && performance.now() < until) {
            const r = await timeGet(url);
            times.push(r.ms);
            count = r.count;
          }
          times.sort((a, b) => a - b);
          rows.push({
            what: `orders ${sortby} ${direction}${status ? ` status=${status}` : ''} offset=${offset}`,
            p50: percentile(times, 50),
            p99: percentile(times, 99),
            samples: times.length,
            goal: offset === 0 ? 10 : 100,
            note: count === 100 ? undefined : `${count} rows`,
          });
          process.stderr.write('.');
        }
      }
    }
  }
  process.stderr.write('\n');
  return rows;
}

async function api(server: RunningServer, method: string, path: string, body?: unknown) {
  const res = await fetch(server.url + path, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as any };
}

/** A submitted hardware Sale order for 2,000 keys holding the bench product, made over HTTP. */
async function hardwareOrder(server: RunningServer, productId: number): Promise<number> {
  const created = await api(server, 'POST', '/v1.0/orders', {
    orderType: 0,
    isHardwareLicense: true,
    orderQuantity: 2000,
    orderDescription: 'bench multipledongles',
  });
  if (created.status !== 200) throw new Error(`creating the hardware order: HTTP ${created.status}`);
  const id = created.body.order._id as number;
  const added = await api(server, 'POST', `/v1.0/orders/${id}/products/${productId}`);
  if (added.status !== 200) {
    // A branch without the products route: attach the product as the route would.
    const db = server.ctx.db;
    db.prepare('INSERT INTO order_products (order_id, product_id) VALUES (?, ?)').run(id, productId);
    db.prepare(
      `INSERT INTO order_features (order_id, product_id, feature_id, isexcluded, consumptionmode, flags, isremote,
         licensingmodel, netlicensescount, rentbegindate, rentdayscount, rentenddate, runcounter)
       SELECT ?, product_id, _id, 0, consumptionmode, flags, isremote, licensingmodel, netlicensescount,
         rentbegindate, rentdayscount, rentenddate, runcounter FROM features WHERE product_id = ?`,
    ).run(id, productId);
  }
  const submitted = await api(server, 'PUT', `/v1.0/orders/${id}`, { orderStatus: 1 });
  if (submitted.status !== 200) throw new Error(`submitting the hardware order: HTTP ${submitted.status}`);
  return id;
}

async function postDongles(server: RunningServer, orderId: number, firstId: number) {
  const dongles = Array.from({ length: 1000 }, (_, k) => ({
    dongleId: firstId + k,
    dongleModel: 2,
    publicCode: PUBLIC_CODE,
    typeFlags: 442,
    netResource: 0,
  }));
  const payload = JSON.stringify({ dongles });
  const t0 = performance.now();
  const res = await fetch(`${server.url}/v1.0/orders/${orderId}/multipledongles`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: payload,
  });
  const body = (await res.json()) as any;
  const ms = performance.now() - t0;
  return { ms, status: res.status, body };
}

async function measureMultipleDongles(server: RunningServer, productId: number): Promise<Row> {
  const what = 'multipledongles, 1000 new keys';
  const goal = 150;
  const warmupOrder = await hardwareOrder(server, productId);
  const order = await hardwareOrder(server, productId);
  const warm = await postDongles(server, warmupOrder, 3_000_000_000);
  if (warm.status === 404 && warm.body?.status?.code === 10020) {
    return { what, p50: null, p99: null, samples: 0, goal, note: 'endpoint missing' };
  }
  if (warm.status !== 200) {
    return { what, p50: null, p99: null, samples: 0, goal, note: `HTTP ${warm.status}` };
  }
  const r = await postDongles(server, order, 3_100_000_000);
  const added = Array.isArray(r.body?.dongles)
    ? r.body.dongles.filter((d: any) => String(d.retcode) === '0').length
    : 0;
  return {
    what,
    p50: r.ms,
    p99: r.ms,
    samples: 1,
    goal,
    note: r.status === 200 ? `${added} added` : `HTTP ${r.status}`,
  };
}

function explain(db: Database): string[] {
  const lines: string[] = [];
  for (const order of ['number ASC', 'submitdate DESC, _id DESC']) {
    for (const where of ['', 'WHERE status IN (0,1)']) {
      const sql = `SELECT _id FROM orders ${where} ORDER BY ${order} LIMIT 100 OFFSET 900000`;
      const plan = db
        .prepare<[], { detail: string }>(`EXPLAIN QUERY PLAN ${sql}`)
        .all()
        .map((r) => r.detail)
        .join('; ');
      lines.push(`  ${sql}\n    → ${plan}`);
    }
  }
  return lines;
}

function table(rows: Row[]): string {
  const fmt = (ms: number | null) => (ms === null ? '—' : ms < 10 ? ms.toFixed(2) : ms.toFixed(1));
  const out = [
    '| measurement | p50 ms | p99 ms | samples | goal (p99) | result |',
    '| --- | ---: | ---: | ---: | ---: | --- |',
  ];
  for (const r of rows) {
    const verdict = r.p99 === null ? (r.note ?? 'n/a') : r.p99 < r.goal ? 'PASS' : 'MISS';
    const note = r.p99 !== null && r.note ? ` (${r.note})` : '';
    out.push(
      `| ${r.what}${note} | ${fmt(r.p50)} | ${fmt(r.p99)} | ${r.samples} | < ${r.goal} | ${verdict} |`,
    );
  }
  return out.join('\n');
}

async function main(): Promise<void> {
  const started = performance.now();
  const dataDir = mkdtempSync(join(tmpdir(), 'kb-bench-'));
  let server: RunningServer | undefined;
  try {
    const db = openServerDatabase(join(dataDir, DATABASE_FILE));
    const { productId, ms: loadMs } = bulkLoad(db, { orders: ORDERS, dongles: DONGLES });
    const counts = db
      .prepare<[], { orders: number; dongles: number; counter: number }>(
        `SELECT (SELECT COUNT(*) FROM orders) AS orders, (SELECT COUNT(*) FROM dongles) AS dongles,
                (SELECT value FROM counters WHERE name = 'order_number') AS counter`,
      )
      .get()!;
    console.log(
      `loaded ${counts.orders.toLocaleString('en')} orders, ${counts.dongles.toLocaleString('en')} keys in ${seconds(loadMs)} (counter at ${counts.counter})`,
    );
    db.close();

    server = await startServer({ dataDir, token: TOKEN, logger: false });
    const rows = await measureLists(server);
    rows.push(await measureMultipleDongles(server, productId));

    const cpu = cpus();
    console.log(
      `\n${new Date().toISOString().slice(0, 10)}, ${cpu.length} × ${cpu[0]?.model.trim() ?? 'CPU'}, ` +
        `${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}; ${SAMPLES} samples after ${WARMUP} warm-up requests\n`,
    );
    console.log(table(rows));
    if (rows.some((r) => r.p99 !== null && r.p99 >= r.goal)) {
      console.log('\nquery plans of the far pages:');
      console.log(explain(server.ctx.db).join('\n'));
    }
    console.log(`\ntotal ${seconds(performance.now() - started)}`);
  } catch (error) {
    console.error('bench failed:', error instanceof Error ? error.stack : error);
  } finally {
    await server?.close();
    if (!process.env.BENCH_KEEP) rmSync(dataDir, { recursive: true, force: true });
    else console.log(`data kept in ${dataDir}`);
  }
}

void main().then(() => process.exit(0));
