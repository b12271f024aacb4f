/**
 * Login-flood benchmark: the p50 and p99 of an authenticated 1-row GET while 16 clients send wrong
 * passwords to POST /v1.0/login as fast as the server answers. The server, the flood and the measuring
 * client are three processes, so none of them queues behind another's event loop.
 *
 *   npm run bench:login            (BENCH_SAMPLES=200)
 *
 * Scenarios: no flood; a flood against the default server (failed logins throttled: almost every
 * attempt is a cheap 429); a flood with throttling turned off, so every attempt is hashed (what async
 * hashing with bounded concurrency alone achieves). Always exits 0: the table says PASS or MISS.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LoginOptions } from '../server/http/auth';
import { startServer } from '../server/start';

const TOKEN = 'bench-token-0123456789abcdef';
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 200);
const WARMUP = 20;
const FLOOD = 16;
const GOAL_P50_MS = 20;
const SELF = fileURLToPath(import.meta.url);
const ROOT = fileURLToPath(new URL('..', import.meta.url));

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function child(args: string[]): { process: ChildProcess; line: Promise<string> } {
  const proc = spawn(process.execPath, ['--import', 'tsx', SELF, ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = new Promise<string>((resolve, reject) => {
    let out = '';
    proc.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const nl = out.indexOf('\n');
      if (nl >= 0) resolve(out.slice(0, nl));
    });
    proc.once('exit', (code) => reject(new Error(`${args[0]} exited with ${code}`)));
  });
  return { process: proc, line };
}

function stop(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    proc.once('exit', () => resolve());
    proc.kill('SIGTERM');
  });
}

/** --serve JSON: a real server on a fresh data dir with one user; prints its URL, runs until SIGTERM. */
async function serve(loginOptions: Partial<LoginOptions>): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kb-login-bench-'));
  const server = await startServer({ dataDir, token: TOKEN, logger: false, login: loginOptions });
  server.ctx.auth.addUser('operator', 'correct horse battery staple');
  process.stdout.write(`${server.url}\n`);
  process.once('SIGTERM', () => {
    void server.close().then(() => {
      rmSync(dataDir, { recursive: true, force: true });
      process.exit(0);
    });
  });
}

/** --flood URL: FLOOD loops of wrong logins until SIGTERM; prints the count of answers per status then. */
async function flood(url: string): Promise<void> {
  const statuses = new Map<number, number>();
  let running = true;
  process.once('SIGTERM', () => (running = false));
  const loop = async (i: number) => {
    while (running) {
      try {
        const res = await fetch(`${url}/v1.0/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ login: 'operator', password: `wrong ${i}` }),
        });
        await res.arrayBuffer();
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      } catch {
        statuses.set(0, (statuses.get(0) ?? 0) + 1);
      }
    }
  };
  const loops = Array.from({ length: FLOOD }, (_, i) => loop(i));
  process.stdout.write('flooding\n');
  await Promise.all(loops);
  process.stdout.write(`${JSON.stringify(Object.fromEntries(statuses))}\n`);
  process.exit(0);
}

async function timeGets(url: string): Promise<{ p50: number; p99: number; max: number }> {
  const get = async () => {
    const t0 = performance.now();
    const res = await fetch(`${url}/v1.0/orders?limit=1`, { headers: { authorization: `Bearer ${TOKEN}` } });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`GET answered ${res.status}`);
    return performance.now() - t0;
  };
  for (let i = 0; i < WARMUP; i++) await get();
  const times: number[] = [];
  for (let i = 0; i < SAMPLES; i++) times.push(await get());
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99), max: times.at(-1)! };
}

interface Row {
  what: string;
  p50: number;
  p99: number;
  max: number;
  flood?: string;
}

async function scenario(what: string, loginOptions: Partial<LoginOptions>, withFlood: boolean): Promise<Row> {
  const server = child(['--serve', JSON.stringify(loginOptions)]);
  const url = await server.line;
  let flooder: ReturnType<typeof child> | undefined;
  try {
    if (withFlood) {
      flooder = child(['--flood', url]);
      await flooder.line;
      // Let the flood reach its steady state (throttled, or the hash queue full) before measuring.
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    const times = await timeGets(url);
    let counts: string | undefined;
    if (flooder) {
      const summary = new Promise<string>((resolve) => {
        let out = '';
        flooder!.process.stdout!.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          if (out.includes('}')) resolve(out.trim());
        });
      });
      flooder.process.kill('SIGTERM');
      counts = Object.entries(JSON.parse(await summary) as Record<string, number>)
        .map(([status, n]) => `${n} × ${status === '0' ? 'error' : status}`)
        .join(', ');
    }
    return { what, ...times, flood: counts };
  } finally {
    if (flooder) await stop(flooder.process);
    await stop(server.process);
  }
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  rows.push(await scenario('no flood', {}, false));
  rows.push(await scenario(`${FLOOD} parallel wrong logins, default server (throttled)`, {}, true));
  rows.push(
    await scenario(
      `${FLOOD} parallel wrong logins, throttling off (every attempt hashed)`,
      { throttle: false },
      true,
    ),
  );
  const cpu = cpus();
  console.log(
    `\n${new Date().toISOString().slice(0, 10)}, ${cpu.length} × ${cpu[0]?.model.trim() ?? 'CPU'}, ` +
      `${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}; GET /v1.0/orders?limit=1 with a token, ` +
      `${SAMPLES} samples after ${WARMUP} warm-up requests\n`,
  );
  const fmt = (ms: number) => (ms < 10 ? ms.toFixed(2) : ms.toFixed(1));
  console.log(
    '| measurement | p50 ms | p99 ms | max ms | goal (p50) | result | login answers during the run |',
  );
  console.log('| --- | ---: | ---: | ---: | ---: | --- | --- |');
  for (const r of rows) {
    console.log(
      `| ${r.what} | ${fmt(r.p50)} | ${fmt(r.p99)} | ${fmt(r.max)} | < ${GOAL_P50_MS} | ${r.p50 < GOAL_P50_MS ? 'PASS' : 'MISS'} | ${r.flood ?? '—'} |`,
    );
  }
}

const [mode, arg] = process.argv.slice(2);
if (mode === '--serve') void serve(JSON.parse(arg ?? '{}') as Partial<LoginOptions>);
else if (mode === '--flood') void flood(arg!);
else
  void main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error('bench failed:', error instanceof Error ? error.stack : error);
      process.exit(0);
    },
  );
