import { mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createLogger } from '../../server/logger';
import { startEmbeddedDefault, type EmbeddedDefault } from '../core/embedded-default';
import { lockDataDir, type DataDirLock } from '../core/db/data-dir-lock';
import { createStation, type BenchConfig } from '../core/station';
import { SimulatedBench, SIMULATED_KEY_MEMORY_FILE } from '../simulated-bench/simulated-bench';
import { SIMULATED_BENCH_STATE_FILE } from '../simulated-bench/bench-state';
import { createRealUsb } from '../core/usb/real-usb';
import { installProcessNet } from './process-net';
import { loadWebToken, type WebToken } from './web-token';
import { startWebHost } from './web-server';

const USAGE = `Keybench station in browser mode

  npm run start:web                         the embedded default: reference server (demo data) + simulated bench
  npm run start:web -- --server URL --token T [--bench real|simulated] [--lm URL]
                                            a Guardant Station server instead of the embedded one
Options: --port N (web port, default 8790; 0 = any), --data DIR, --keys N (simulated keys at start, default 8),
         --slow MS (the simulated license manager takes this long per write, for training)
         --lm URL with a simulated bench: write through that license manager (npm run lm:simulated,
                  same --keys) instead of the bench's own, e.g. to try a station crash mid-write
         --rotate-token (a new session token for the link: links printed before stop working)

The link's session token is kept in DIR/web-token (made on first start, only you can read it), so the
same link works after a restart. KEYBENCH_WEB_TOKEN=T uses T instead and saves nothing.
Data folder default: ~/.local/share/keybench/station.`;

const DEFAULT_LICENSE_MANAGER_URL = 'http://127.0.0.1:3189';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

function fail(message: string): never {
  console.error(`keybench station: ${message} (see --help)`);
  process.exit(2);
}

function defaultDataDir(): string {
  return join(process.env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'keybench', 'station');
}

function portTaken(port: number): never {
  console.error(
    `keybench station: port ${port} is already in use (is another station running? open its link, or stop it, or start this one with --port N)`,
  );
  process.exit(1);
}

/** Fails in one line when the web port is taken, before the station opens anything. */
function ensurePortFree(port: number): Promise<void> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') portTaken(port);
      // Anything else (EACCES on a low port…) is listen's to report, with its own words.
      resolve();
    });
    probe.listen({ host: '127.0.0.1', port, exclusive: true }, () => probe.close(() => resolve()));
  });
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string', default: '8790' },
        data: { type: 'string' },
        server: { type: 'string' },
        token: { type: 'string' },
        bench: { type: 'string' },
        lm: { type: 'string' },
        keys: { type: 'string', default: '8' },
        slow: { type: 'string', default: '0' },
        'rotate-token': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  }
  if (values.help) return void console.log(USAGE);
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port ${values.port} is not a port`);
  const keys = Number(values.keys);
  if (!Number.isInteger(keys) || keys < 0 || keys > 1000) fail(`--keys ${values.keys} is not 0–1000`);
  const slow = Number(values.slow);
  if (!Number.isInteger(slow) || slow < 0 || slow > 60_000) fail(`--slow ${values.slow} is not 0–60000 ms`);
  if (values.bench !== undefined && values.bench !== 'real' && values.bench !== 'simulated') {
    fail(`--bench is real or simulated, not ${values.bench}`);
  }
  if (values.server !== undefined && !/^https?:\/\/[^/]+/.test(values.server))
    fail(`--server ${values.server} is not an http(s) URL`);
  if (values.lm !== undefined && !/^https?:\/\/[^/]+/.test(values.lm))
    fail(`--lm ${values.lm} is not an http(s) URL`);
  const token = values.token ?? process.env.KEYBENCH_API_TOKEN;
  if (values.server && !token) fail('--server needs --token (or KEYBENCH_API_TOKEN)');

  const logger = createLogger();
  const dataDir = values.data ?? defaultDataDir();
  // Before anything starts: a port in use is the common mistake (a second station), say so in one line.
  if (port !== 0) await ensurePortFree(port);
  // Before anything touches the folder (the link's token, the embedded server, the keys' memory): a
  // second station on it says so in one line and exits, leaving the first one's files as they were.
  let dataDirLock: DataDirLock;
  try {
    mkdirSync(dataDir, { recursive: true });
    dataDirLock = lockDataDir(dataDir);
  } catch (error) {
    console.error(`keybench station: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
  let webToken: WebToken;
  try {
    webToken = loadWebToken(dataDir, {
      rotate: values['rotate-token'],
      override: process.env.KEYBENCH_WEB_TOKEN || undefined,
    });
  } catch (error) {
    console.error(`keybench station: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
  if (webToken.source === 'replaced') {
    logger.warn(`${webToken.reason}: made a new session token; links printed before no longer work`);
  }
  const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string })
    .version;

  let embedded: EmbeddedDefault | null = null;
  let bench: BenchConfig;
  let serverUrl: string;
  let apiToken: string;
  let simulated: SimulatedBench | null = null;
  if (values.server) {
    serverUrl = values.server;
    apiToken = token!;
    if ((values.bench ?? 'real') === 'simulated') {
      simulated = await SimulatedBench.start({
        server: { url: serverUrl, token: apiToken },
        // The virtual keys keep what was written into them across restarts, as real keys do.
        keyMemoryFile: join(dataDir, SIMULATED_KEY_MEMORY_FILE),
        // Key ids go on from where the last run stopped: a "new" key is never one written before. Not
        // with --lm: the keys are then that license manager's (npm run lm:simulated), made from the
        // default seed, and the bench must show the same ones in the same ports.
        stateFile: values.lm ? undefined : join(dataDir, SIMULATED_BENCH_STATE_FILE),
      });
      if (simulated.stateProblem) logger.warn(simulated.stateProblem);
      // --keys N: N keys on the bench at start, counting those still in the hub from the last run.
      if (keys) simulated.plug(Math.max(0, keys - simulated.keys().length));
      bench = { kind: 'simulated', simulated };
    } else {
      bench = {
        kind: 'real',
        usb: await createRealUsb(),
        licenseManagerUrl: values.lm ?? DEFAULT_LICENSE_MANAGER_URL,
        udevRulesPath: join(root, 'resources', 'linux', '70-guardant.rules'),
      };
    }
  } else {
    embedded = await startEmbeddedDefault({ dataDir, initialKeys: keys });
    serverUrl = embedded.serverUrl;
    apiToken = embedded.token;
    bench = { kind: 'simulated', simulated: embedded.bench };
  }
  // A simulated bench may be written through a license manager of its own process (npm run lm:simulated
  // over the same keys): the station then survives, and restarts beside, a license manager still burning.
  if (bench.kind === 'simulated' && values.lm) bench = { ...bench, licenseManagerUrl: values.lm };
  if (bench.kind === 'simulated') bench.simulated.slow(slow);
  else if (slow) fail('--slow applies to a simulated bench only');

  const station = await createStation({
    dataDir,
    dataDirLock,
    host: 'browser',
    serverUrl,
    credentials: { token: apiToken },
    bench,
    version,
    log: (message, error) => logger.warn({ err: error }, message),
  });
  station.events.on('bench:ready', ({ keys: n }) => logger.info(`bench ready: ${n} key(s)`));
  station.events.on('outbox:drained', () => logger.info('outbox drained'));

  let host: Awaited<ReturnType<typeof startWebHost>>;
  try {
    host = await startWebHost({
      dispatch: station.dispatch,
      events: station.events,
      staticDir: join(root, 'dist', 'renderer'),
      port,
      token: webToken.token,
      log: (message, error) => logger.warn({ err: error }, message),
      // Tests only: lets them make this process fail on purpose to prove the nets below hold.
      faultInjection: process.env.KEYBENCH_FAULT_INJECTION === '1',
    });
  } catch (error) {
    // Taken between the check above and now (a race with another station): the same one line.
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') portTaken(port);
    throw error;
  }
  installProcessNet((message, error) => logger.error({ err: error }, message));
  logger.info(`Guardant Station server: ${serverUrl}${embedded ? ' (embedded, demo data)' : ''}`);
  // The one line a person (or a test) needs: the URL with the session token.
  console.log(`Keybench station: open ${host.url}`);
  if (webToken.source === 'rotated') {
    console.log('Keybench station: the link changed (--rotate-token); links printed before no longer work');
  }

  const stop = async (signal: string) => {
    logger.info(`${signal}: shutting down`);
    // The process net would otherwise swallow a failed close and leave the process running.
    try {
      await host.close();
      await station.close();
      await simulated?.close();
      await embedded?.close();
    } catch (error) {
      logger.error({ err: error }, 'shutting down failed; exiting anyway');
      process.exit(1);
    }
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(`keybench station: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
