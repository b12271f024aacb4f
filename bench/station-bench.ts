/**
 * Station benchmark (npm run bench:station): keys identified after a 500-key plug, a 500-key batch add
 * through IPC + outbox + server against the same multipledongles call made directly, the outbox
 * enqueue rate, and the host's memory with 1,000 keys attached and 100,000 orders cached.
 * Prints figures and ratios against the goals; always exits 0.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openServerDatabase } from '../server/db/open';
import { DATABASE_FILE, startServer, type RunningServer } from '../server/start';
import { addProduct } from '../server/store/catalog-writer';
import { spawnStationHost } from '../tests/support/host-process';
import { benchKeysIdentified } from './station-keys-bench';
import { benchOutboxEnqueue } from './outbox-bench';
import { bulkLoad } from './bulk-load';

interface Row {
  what: string;
  figure: string;
  goal: string;
  pass: boolean;
}

const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) * q)]!;
const median = (xs: number[]) => quantile(xs, 0.5);

async function submittedOrder(server: RunningServer, token: string, productId: number): Promise<number> {
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const created = (await (
    await fetch(`${server.url}/v1.0/orders`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ orderType: 0, isHardwareLicense: true, orderQuantity: 1000 }),
    })
  ).json()) as { order: { _id: number } };
  const id = created.order._id;
  await fetch(`${server.url}/v1.0/orders/${id}/products/${productId}`, { method: 'POST', headers });
  await fetch(`${server.url}/v1.0/orders/${id}`, {
    method: 'PUT',
    headers,
    body: JSON.stringify({ orderStatus: 1 }),
  });
  return id;
}

/** The browser-mode host in its own process, as in production, pointed at the given server. */
function spawnHost(serverUrl: string, token: string, dataDir: string, keys: number) {
  return spawnStationHost([
    '--server',
    serverUrl,
    '--token',
    token,
    '--bench',
    'simulated',
    '--keys',
    String(keys),
    '--data',
    dataDir,
  ]);
}

/** The same 500 keys into fresh orders: through the station host, and straight to the server with fetch. */
async function batchAddRatio(): Promise<{
  station: number;
  direct: number;
  stationP90: number;
  directP90: number;
}> {
  const dir = mkdtempSync(join(tmpdir(), 'kb-bench-batch-'));
  const token = 'bench-token-batch-0123456789';
  const server = await startServer({ dataDir: join(dir, 'server'), token, adminEnabled: true });
  const { child, api } = await spawnHost(server.url, token, join(dir, 'station'), 500);
  try {
    const productId = addProduct(server.ctx.db, {
      productnumber: 90_001,
      name: 'bench',
      features: [{ featurenumber: 1, name: 'core' }],
    })._id;
    const keys = await api.invoke('keys:list', {});
    const identities = keys.map((k) => ({
      dongleId: k.dongleId,
      dongleModel: k.model,
      publicCode: k.publicCode,
      typeFlags: k.typeFlags,
      netResource: k.netResource,
    }));
    const stationTimes: number[] = [];
    const directTimes: number[] = [];
    for (let round = 0; round < 31; round++) {
      const viaStation = await submittedOrder(server, token, productId);
      const direct = await submittedOrder(server, token, productId);

      const drained = new Promise<void>((resolve) => {
        const off = api.on('outbox:drained', () => {
          off();
          resolve();
        });
      });
      let t0 = performance.now();
      await api.invoke('keys:addToOrder', { orderId: viaStation, dongleIds: keys.map((k) => k.dongleId) });
      await drained;
      stationTimes.push(performance.now() - t0);

      t0 = performance.now();
      const res = await fetch(`${server.url}/v1.0/orders/${direct}/multipledongles`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ dongles: identities }),
      });
      await res.json();
      directTimes.push(performance.now() - t0);
    }
    // The first round warms both paths up (JIT, SQLite page cache); it is not counted.
    const station = stationTimes.slice(1);
    const direct = directTimes.slice(1);
    return {
      station: median(station),
      direct: median(direct),
      stationP90: quantile(station, 0.9),
      directP90: quantile(direct, 0.9),
    };
  } finally {
    api.close();
    child.kill('SIGTERM');
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

/** The browser-mode host as its own process, so its memory is measured alone. */
async function hostMemory(): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'kb-bench-mem-'));
  const token = 'bench-token-memory-0123456789';
  const serverDir = join(dir, 'server');
  mkdirSync(serverDir, { recursive: true });
  const db = openServerDatabase(join(serverDir, DATABASE_FILE));
  bulkLoad(db, { orders: 100_000, dongles: 0 });
  db.close();
  const server = await startServer({ dataDir: serverDir, token, adminEnabled: true });
  const { child, api } = await spawnHost(server.url, token, join(dir, 'station'), 1000);
  try {
    const keys = await api.invoke('keys:list', {});
    if (keys.length !== 1000) throw new Error(`expected 1000 keys, got ${keys.length}`);
    // Cache all 100,000 orders through the real read path, a page at a time.
    for (let offset = 0; offset < 100_000; offset += 1000)
      await api.invoke('orders:list', { offset, limit: 1000 });
    api.close();
    await new Promise((r) => setTimeout(r, 500));
    return rssMb(child.pid!);
  } finally {
    child.kill('SIGTERM');
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  const identified = await benchKeysIdentified(500);
  rows.push({
    what: '500 keys plugged at once → all identified',
    figure: `${identified.toFixed(0)} ms`,
    goal: '(no goal set)',
    pass: true,
  });

  const { station, direct, stationP90, directP90 } = await batchAddRatio();
  const ratio = station / direct;
  rows.push({
    what: '500-key batch add: IPC + outbox + server vs direct fetch',
    figure: `p50 ${station.toFixed(1)} vs ${direct.toFixed(1)} ms = ×${ratio.toFixed(2)} (p90 ${stationP90.toFixed(1)} vs ${directP90.toFixed(1)})`,
    goal: '≤ ×1.3',
    pass: ratio <= 1.3,
  });

  const rate = await benchOutboxEnqueue(10_000);
  rows.push({
    what: 'outbox enqueue, 10,000 items',
    figure: `${Math.round(rate).toLocaleString('en')} /s`,
    goal: '≥ 20,000 /s',
    pass: rate >= 20_000,
  });

  const mb = await hostMemory();
  rows.push({
    what: 'host RSS, 1,000 keys + 100,000 cached orders',
    figure: `${mb.toFixed(0)} MB`,
    goal: '< 250 MB',
    pass: mb < 250,
  });

  const w = Math.max(...rows.map((r) => r.what.length));
  const f = Math.max(...rows.map((r) => r.figure.length));
  console.log(`\n${new Date().toISOString().slice(0, 10)}, Node ${process.version}\n`);
  for (const r of rows)
    console.log(
      `${r.what.padEnd(w)}  ${r.figure.padStart(f)}  ${r.goal.padEnd(14)} ${r.pass ? 'PASS' : 'MISS'}`,
    );
}

main()
  .catch((error: unknown) => console.error('bench failed:', error))
  .finally(() => process.exit(0));
