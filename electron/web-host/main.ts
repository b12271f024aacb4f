import { DEFAULT_SIMULATED_KEYS, DEFAULT_STATION_NAME } from '../../shared/station/models';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { DataDirLock } from '../core/db/data-dir-lock';
import { createStation } from '../core/station';
import { claimDataDir } from '../startup/claim-data-dir';
import { openBench } from '../startup/open-bench';
import { resolveStartup, StartupRefusal, type ResolvedStartup } from '../startup/resolve-startup';
import { requestFromFlags, STARTUP_INPUTS, thisMachine } from '../startup/startup-request';
import { createStationLogger } from './logger';
import { installProcessNet } from './process-net';
import { loadWebToken, type WebToken } from './web-token';
import { startWebHost } from './web-server';

const USAGE = `Keybench station in browser mode

  npm run start:web                         the embedded default: reference server (demo data) + simulated bench
  npm run start:web -- --server URL --token T [--bench real|simulated] [--lm URL]
                                            a Guardant Station server instead of the embedded one
Options: --port N (web port, default 8790; 0 = any), --keys N (simulated keys at start, default ${DEFAULT_SIMULATED_KEYS}),
         --data DIR (the data folder, default ~/.local/share/keybench/station, or under $XDG_DATA_HOME)
         --name NAME (the station's name until one is saved in Settings, default ${DEFAULT_STATION_NAME})
         --slow MS (the simulated license manager takes this long per write, for training)
         --lm URL with a simulated bench: write through that license manager (npm run lm:simulated,
                  same --keys) instead of the bench's own, e.g. to try a station crash mid-write
         --rotate-token (a new session token for the link: links printed before stop working)

The link's session token is kept in DIR/web-token (made on first start, only you can read it), so the
same link works after a restart. KEYBENCH_WEB_TOKEN=T uses T instead and saves nothing.
The desktop app (npm start) takes the same choices, by the same rules, from ${Object.values(STARTUP_INPUTS)
  .map((input) => input.env)
  .join(', ')}.`;

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

function fail(message: string): never {
  console.error(`keybench station: ${message} (see --help)`);
  process.exit(2);
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
        name: { type: 'string' },
        server: { type: 'string' },
        token: { type: 'string' },
        bench: { type: 'string' },
        lm: { type: 'string' },
        keys: { type: 'string' },
        slow: { type: 'string' },
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
  // Which data folder, name, server and bench: the rules the desktop app applies to its environment,
  // refused in one line before anything opens.
  let startup: ResolvedStartup;
  try {
    startup = resolveStartup(requestFromFlags(values, process.env, { appRoot: root }, thisMachine()));
  } catch (error) {
    if (error instanceof StartupRefusal) fail(error.message);
    throw error;
  }

  const { dataDir, stationName, decision } = startup;
  const logger = createStationLogger();
  // Before anything starts: a port in use is the common mistake (a second station), say so in one line.
  if (port !== 0) await ensurePortFree(port);
  // Before anything touches the folder (the link's token, the embedded server, the keys' memory): a
  // second station on it says so in one line and exits, leaving the first one's files as they were.
  let dataDirLock: DataDirLock;
  try {
    dataDirLock = claimDataDir(dataDir);
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

  const opened = await openBench(decision, { dataDir, warn: (message) => logger.warn(message) });
  const { serverUrl, bench } = opened;

  const station = await createStation({
    dataDir,
    dataDirLock,
    host: 'browser',
    serverUrl,
    credentials: opened.credentials,
    bench,
    stationName,
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
  logger.info(`Guardant Station server: ${serverUrl}${opened.embedded ? ' (embedded, demo data)' : ''}`);
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
      await opened.close();
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
