/**
 * Production-run benchmark (npm run bench:run): a run of simulated keys, each burn taking 1000 ms in
 * the simulated license manager, written through the real station host process (WebSocket IPC, SQLite
 * runs and outbox, worker, reference server) at several write concurrencies.
 *
 * Efficiency = (keys × 1 s ÷ concurrency) ÷ wall time: 1.00 would be the burns alone, perfectly packed.
 * Concurrency 1 runs fewer keys (500 sequential burns would take over 8 minutes on their own); its
 * efficiency is measured the same way.
 *
 * Auto mode: keys plugged one at a time into a station in auto mode, each written by itself; the figure
 * is plug → written (from asking the simulated bench to plug the key to the auto-mode push saying it is
 * written and verified) at the 95th percentile, against burn + 500 ms. Always exits 0.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../server/start';
import { addProduct } from '../server/store/catalog-writer';
import { spawnStationHost, type HostProcess } from '../tests/support/host-process';

const BURN_MS = 1000;
const GOAL = 0.85;
/** [concurrency, keys]; RUN_BENCH_PLAN="8:500,16:500" runs only those. */
const pairs = (text: string) =>
  text
    .split(',')
    .filter(Boolean)
    .map((pair) => pair.split(':').map(Number) as [number, number]);
const PLAN: Array<[number, number]> =
  process.env.RUN_BENCH_PLAN !== undefined
    ? pairs(process.env.RUN_BENCH_PLAN)
    : [
        [1, 25],
        [4, 500],
        [8, 500],
        [16, 500],
      ];
/** Auto mode: [ms between plugs, keys]; RUN_BENCH_AUTO="1500:40" runs only that, "" none. */
const AUTO_PLAN: Array<[number, number]> =
  process.env.RUN_BENCH_AUTO !== undefined
    ? pairs(process.env.RUN_BENCH_AUTO)
    : [
        [1500, 40],
        [750, 40],
      ];
const AUTO_GOAL_MS = BURN_MS + 500;
/** Write concurrency for the auto-mode rows: the station's default. */
const AUTO_CONCURRENCY = 4;

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

async function submittedOrder(url: string, token: string, productId: number): Promise<number> {
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const created = (await (
    await fetch(`${url}/v1.0/orders`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ orderType: 0, isHardwareLicense: true, orderQuantity: 1000 }),
    })
  ).json()) as { order: { _id: number } };
  const id = created.order._id;
  await fetch(`${url}/v1.0/orders/${id}/products/${productId}`, { method: 'POST', headers });
  await fetch(`${url}/v1.0/orders/${id}`, {
    method: 'PUT',
    headers,
    body: JSON.stringify({ orderStatus: 1 }),
  });
  return id;
}

interface Figures {
  concurrency: number;
  keys: number;
  wallMs: number;
  written: number;
  peakRssMb: number;
}

async function measure(
  server: { url: string },
  token: string,
  productId: number,
  dir: string,
  concurrency: number,
  keys: number,
): Promise<Figures> {
  const host: HostProcess = await spawnStationHost([
    ...['--server', server.url, '--token', token, '--bench', 'simulated'],
    ...['--keys', String(keys), '--data', join(dir, `station-${concurrency}`)],
  ]);
  try {
    const { api, child } = host;
    const dongleIds = (await api.invoke('keys:list', {})).map((k) => k.dongleId);
    if (dongleIds.length !== keys) throw new Error(`expected ${keys} keys, got ${dongleIds.length}`);
    await api.invoke('settings:set', { writeConcurrency: concurrency });
    // Slowed only now, so identifying the keys at start is not part of the figure.
    await api.invoke('bench:simulate', { action: 'slow', delayMs: BURN_MS });
    const orderId = await submittedOrder(server.url, token, productId);

    let peakRssMb = rssMb(child.pid!);
    const sampler = setInterval(() => (peakRssMb = Math.max(peakRssMb, rssMb(child.pid!))), 250);
    let written = 0;
    let finished = 0;
    const start = performance.now();
    const done = new Promise<void>((resolve) =>
      api.on('write:progress', (p) => {
        if (!['done', 'failed', 'unplugged'].includes(p.stage)) return;
        if (p.stage === 'done') written++;
        if (++finished === keys) resolve();
      }),
    );
    await api.invoke('licenses:write', { orderId, dongleIds });
    await done;
    const wallMs = performance.now() - start;
    clearInterval(sampler);
    return { concurrency, keys, wallMs, written, peakRssMb };
  } finally {
    host.child.kill('SIGTERM');
  }
}

interface AutoFigures {
  intervalMs: number;
  keys: number;
  written: number;
  /** Keys auto mode left alone (it could not check them): none is expected here. */
  flagged: number;
  p50: number;
  p95: number;
  max: number;
  /** Median of each step, ms: where plug → written goes. */
  stages: Record<Stage, number>;
}

/** When each key was first seen at each step, from the auto-mode rows' words. */
const STAGES = ['identified', 'pre-flighted', 'added', 'burnt', 'verified'] as const;
type Stage = (typeof STAGES)[number];
const stageOf = (outcome: string, message: string): Stage | null =>
  outcome === 'checking'
    ? 'identified'
    : /^Adding/.test(message)
      ? 'pre-flighted'
      : /^Writing the licence/.test(message)
        ? 'added'
        : /checking what the key holds/.test(message)
          ? 'burnt'
          : outcome === 'written'
            ? 'verified'
            : null;

const percentile = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! : NaN;

/**
 * Keys plugged one at a time, `intervalMs` apart, into a station in auto mode. A server of its own: the
 * simulated bench of every fresh station plugs the same key ids, and auto mode rightly leaves alone a
 * key an earlier row wrote for another order.
 */
async function measureAuto(dir: string, intervalMs: number, keys: number): Promise<AutoFigures> {
  const token = 'bench-token-auto-0123456789';
  const server = await startServer({
    dataDir: join(dir, `server-auto-${intervalMs}`),
    token,
    adminEnabled: true,
  });
  const productId = addProduct(server.ctx.db, {
    productnumber: 90_003,
    name: 'bench-auto',
    features: [{ featurenumber: 1, name: 'core' }],
  })._id;
  const host: HostProcess = await spawnStationHost([
    ...['--server', server.url, '--token', token, '--bench', 'simulated'],
    ...['--keys', '0', '--data', join(dir, `station-auto-${intervalMs}`)],
  ]);
  try {
    const { api } = host;
    await api.invoke('settings:set', { writeConcurrency: AUTO_CONCURRENCY });
    await api.invoke('bench:simulate', { action: 'slow', delayMs: BURN_MS });
    const orderId = await submittedOrder(server.url, token, productId);
    await api.invoke('auto:start', { orderId });

    const pluggedAt = new Map<number, number>();
    const latency = new Map<number, number>();
    let settled = 0;
    let written = 0;
    let flagged = 0;
    const ended = new Set<number>();
    const seenAt = new Map<number, Partial<Record<Stage, number>>>();
    const done = new Promise<void>((resolve) =>
      api.on('auto:changed', (state) => {
        const now = performance.now();
        for (const row of state.keys) {
          const stage = stageOf(row.outcome, row.message);
          const seen = seenAt.get(row.dongleId) ?? {};
          if (stage && seen[stage] === undefined) seenAt.set(row.dongleId, { ...seen, [stage]: now });
          if (ended.has(row.dongleId) || row.outcome === 'checking' || row.outcome === 'writing') continue;
          const at = pluggedAt.get(row.dongleId);
          if (at === undefined) continue;
          ended.add(row.dongleId);
          // Only keys written count in the latency: a key left alone or failed says so in its column.
          if (row.outcome === 'written') {
            written++;
            latency.set(row.dongleId, performance.now() - at);
          } else if (row.outcome === 'flagged') {
            flagged++;
            console.log(`  key ${row.dongleId} left alone: ${row.message}`);
          }
          if (++settled === keys) resolve();
        }
      }),
    );
    let known = new Set<number>();
    for (let i = 0; i < keys; i++) {
      const before = performance.now();
      const bench = await api.invoke('bench:simulate', { action: 'plug', count: 1 });
      const fresh = bench.find((k) => !known.has(k.dongleId));
      known = new Set(bench.map((k) => k.dongleId));
      if (fresh) pluggedAt.set(fresh.dongleId, before);
      const wait = intervalMs - (performance.now() - before);
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
    // A key that never settles must not hang the benchmark: what settled is reported.
    await Promise.race([done, new Promise((r) => setTimeout(r, 60_000))]);
    await api.invoke('auto:stop', {});
    const sorted = [...latency.values()].sort((a, b) => a - b);
    const stages = {} as Record<Stage, number>;
    STAGES.forEach((stage, i) => {
      const spans = [...latency.keys()].flatMap((id) => {
        const seen = seenAt.get(id)!;
        const from = i === 0 ? pluggedAt.get(id) : seen[STAGES[i - 1]!];
        const to = seen[stage];
        return from !== undefined && to !== undefined ? [to - from] : [];
      });
      stages[stage] = percentile(
        spans.sort((a, b) => a - b),
        50,
      );
    });
    return {
      stages,
      intervalMs,
      keys,
      written,
      flagged,
      p50: percentile(sorted, 50),
      p95: percentile(sorted, 95),
      max: sorted.at(-1) ?? NaN,
    };
  } finally {
    host.child.kill('SIGTERM');
    await server.close();
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'kb-bench-run-'));
  const token = 'bench-token-run-0123456789';
  const server = await startServer({ dataDir: join(dir, 'server'), token, adminEnabled: true });
  const productId = addProduct(server.ctx.db, {
    productnumber: 90_002,
    name: 'bench',
    features: [{ featurenumber: 1, name: 'core' }],
  })._id;
  const results: Figures[] = [];
  try {
    console.log(`burn ${BURN_MS} ms per key (simulated license manager), station host over WebSocket IPC`);
    console.log('concurrency | keys | written | wall s | keys/hour | efficiency | host RSS peak');
    for (const [concurrency, keys] of PLAN) {
      const f = await measure(server, token, productId, dir, concurrency, keys);
      results.push(f);
      const efficiency = (f.keys * (BURN_MS / 1000)) / f.concurrency / (f.wallMs / 1000);
      console.log(
        `${String(concurrency).padStart(11)} | ${String(keys).padStart(4)} | ${String(f.written).padStart(7)} | ` +
          `${(f.wallMs / 1000).toFixed(1).padStart(6)} | ${Math.round((f.keys / f.wallMs) * 3_600_000)
            .toString()
            .padStart(9)} | ${efficiency.toFixed(2).padStart(10)} | ${f.peakRssMb.toFixed(0)} MB`,
      );
    }
    if (AUTO_PLAN.length) {
      console.log(
        `auto mode: keys plugged one at a time, write concurrency ${AUTO_CONCURRENCY}; plug → written (ms)`,
      );
      console.log('ms between plugs | keys | written | left alone |  p50 |  p95 |  max | goal p95');
    }
    for (const [intervalMs, keys] of AUTO_PLAN) {
      const f = await measureAuto(dir, intervalMs, keys);
      console.log(
        `${String(intervalMs).padStart(16)} | ${String(keys).padStart(4)} | ${String(f.written).padStart(7)} | ` +
          `${String(f.flagged).padStart(10)} | ${f.p50.toFixed(0).padStart(4)} | ${f.p95.toFixed(0).padStart(4)} | ${f.max.toFixed(0).padStart(4)} | ` +
          `<= ${AUTO_GOAL_MS} (${f.p95 <= AUTO_GOAL_MS ? 'PASS' : 'FAIL'})`,
      );
      console.log(
        `  median steps, ms: plug → identified ${f.stages.identified.toFixed(0)} · pre-flight ` +
          `${f.stages['pre-flighted'].toFixed(0)} · add ${f.stages.added.toFixed(0)} · write (burn ${BURN_MS}) ` +
          `${f.stages.burnt.toFixed(0)} · verify ${f.stages.verified.toFixed(0)}`,
      );
    }
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const at8 = results.find((r) => r.concurrency === 8);
  if (!at8) return;
  const efficiency8 = (at8.keys * (BURN_MS / 1000)) / 8 / (at8.wallMs / 1000);
  console.log(
    `goal: >= ${GOAL} at concurrency 8 (${efficiency8 >= GOAL ? 'PASS' : 'FAIL'}), host RSS < 250 MB`,
  );
  console.log(`efficiency at concurrency 8: ${efficiency8.toFixed(2)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 0;
});
