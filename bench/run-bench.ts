/**
 * Production-run benchmark (npm run bench:run): a run of simulated keys, each burn taking 1000 ms in
 * the simulated license manager, written through the real station host process (WebSocket IPC, SQLite
 * runs and outbox, worker, reference server) at several write concurrencies.
 *
 * Efficiency = (keys × 1 s ÷ concurrency) ÷ wall time: 1.00 would be the burns alone, perfectly packed.
 * Concurrency 1 runs fewer keys (500 sequential burns would take over 8 minutes on their own); its
 * efficiency is measured the same way. Always exits 0.
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
const PLAN: Array<[number, number]> = process.env.RUN_BENCH_PLAN
  ? process.env.RUN_BENCH_PLAN.split(',').map((pair) => pair.split(':').map(Number) as [number, number])
  : [
      [1, 25],
      [4, 500],
      [8, 500],
      [16, 500],
    ];

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
