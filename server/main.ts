import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { actionResultValues, ActionResult } from '../shared/guardant/codes';
import { BOUNDS, INT32_MAX } from '../shared/guardant/bounds';
import { parseKeyId } from '../shared/guardant/numbers';
import { openServerDatabase } from './db/open';
import { Authenticator } from './http/auth';
import { startServer, DATABASE_FILE } from './start';
import { createLogger } from './logger';
import { setVendorAccount } from './store/catalog-writer';
import { injectFailure } from './store/writes-store';

const USAGE = `Keybench reference Guardant Station server

  npm run server -- [--port 8780] [--host 127.0.0.1] [--data DIR] [--seed demo] [--admin]
                    [--balance N] [--inject-failure DONGLEID:CODE[:COUNT]]...
  npm run server -- add-user NAME [--password P] [--data DIR]   (password read from stdin otherwise)

  --port 0             any free port (the listening URL is logged)
  --seed demo          load the demo catalog on first start (an empty database only)
  --balance N          set the vendor's remaining licence writes (activations) to N
  --inject-failure K:C[:N]
                       the next N (default 1) writes to key K fail with ActionResult C
                       (${actionResultValues.filter((c) => c !== ActionResult.Success).join(', ')}); repeatable

Env KEYBENCH_API_TOKEN is accepted as a Bearer token as is.`;

/** A bad command line: reported as one line, exit code 2. */
class UsageError extends Error {}

interface InjectedFailure {
  dongleid: number;
  actionresult: number;
  remaining: number;
}

function parsePort(text: string): number {
  const port = /^\d{1,5}$/.test(text) ? Number(text) : NaN;
  if (!(port >= 0 && port <= 65535)) throw new UsageError(`--port ${text}: not a port (0-65535)`);
  return port;
}

function parseBalance(text: string): number {
  const n = /^\d{1,10}$/.test(text) ? Number(text) : NaN;
  if (!(n >= 0 && n <= INT32_MAX))
    throw new UsageError(`--balance ${text}: not a whole number 0-${INT32_MAX}`);
  return n;
}

/** DONGLEID:CODE[:COUNT]; the key id signed or unsigned 32-bit, stored unsigned. */
function parseInjectedFailure(spec: string): InjectedFailure {
  const bad = (why: string) => new UsageError(`--inject-failure ${spec}: ${why}`);
  const parts = spec.split(':');
  if (parts.length < 2 || parts.length > 3) throw bad('expected DONGLEID:CODE[:COUNT]');
  const [id, code, count = '1'] = parts as [string, string, string?];
  const dongleid = parseKeyId(id);
  if (dongleid === null) throw bad(`key id ${id} is not a 32-bit number`);
  const failures = actionResultValues.filter((c) => c !== ActionResult.Success);
  const actionresult = /^\d{1,4}$/.test(code) ? Number(code) : NaN;
  if (!(failures as number[]).includes(actionresult)) {
    throw bad(`${code} is not a failure ActionResult (one of ${failures.join(', ')})`);
  }
  const remaining = /^\d{1,4}$/.test(count) ? Number(count) : NaN;
  const { min, max } = BOUNDS.faultCount;
  if (!(remaining >= min && remaining <= max))
    throw bad(`count ${count} is not a whole number ${min}-${max}`);
  return { dongleid, actionresult, remaining };
}

export function defaultDataDir(): string {
  const base = process.env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share');
  return join(base, 'keybench', 'server');
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

async function main(): Promise<void> {
  const { values, positionals } = parseCommandLine({
    port: { type: 'string', default: '8780' },
    host: { type: 'string', default: '127.0.0.1' },
    data: { type: 'string' },
    seed: { type: 'string' },
    admin: { type: 'boolean', default: false },
    password: { type: 'string' },
    balance: { type: 'string' },
    'inject-failure': { type: 'string', multiple: true },
    help: { type: 'boolean', short: 'h', default: false },
  });
  if (values.help) return void console.log(USAGE);
  const dataDir = values.data ?? defaultDataDir();

  if (positionals[0] === 'add-user') {
    const name = positionals[1];
    if (!name) throw new UsageError('add-user needs a NAME');
    if (name.length > 128 || /\s/.test(name))
      throw new UsageError(`add-user ${name}: at most 128 characters, no spaces`);
    if (positionals.length > 2)
      throw new UsageError(`add-user takes one NAME, got ${positionals.length - 1}`);
    const password = values.password ?? (await readStdin());
    if (!password) throw new UsageError('the password is empty');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(dataDir, { recursive: true });
    const db = openServerDatabase(join(dataDir, DATABASE_FILE));
    new Authenticator(db, undefined).addUser(name, password);
    db.close();
    console.log(`user ${name} saved in ${dataDir}`);
    return;
  }
  if (positionals.length) throw new UsageError(`unknown command ${positionals[0]} (commands: add-user)`);

  const port = parsePort(values.port);
  if (values.seed !== undefined && values.seed !== 'demo')
    throw new UsageError(`--seed ${values.seed}: unknown seed (known: demo)`);
  const balance = values.balance === undefined ? undefined : parseBalance(values.balance);
  const failures = (values['inject-failure'] ?? []).map(parseInjectedFailure);
  const logger = createLogger();
  const { seedDemoIfEmpty } = await import('./seed/demo');
  const server = await startServer({
    dataDir,
    port,
    host: values.host,
    token: process.env.KEYBENCH_API_TOKEN || undefined,
    logger,
    adminEnabled: values.admin || values.seed === 'demo',
    prepare: (ctx) => {
      if (values.seed === 'demo' && seedDemoIfEmpty(ctx.db, ctx.now())) logger.info('demo catalog seeded');
      if (balance !== undefined) setVendorAccount(ctx.db, { activations: balance });
      for (const f of failures) injectFailure(ctx.db, f.dongleid, f.actionresult, f.remaining);
      if (balance !== undefined || failures.length) {
        logger.info(
          [
            balance !== undefined ? `vendor balance set to ${balance} activations` : '',
            ...failures.map(
              (f) => `next ${f.remaining} write(s) to key ${f.dongleid} fail with ${f.actionresult}`,
            ),
          ]
            .filter(Boolean)
            .join('; '),
        );
      }
    },
  });
  logger.info(`Guardant Station reference server on ${server.url} (data in ${dataDir})`);
  const stop = (signal: string) => {
    logger.info(`${signal}: shutting down`);
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

/** parseArgs with its errors turned into one-line usage errors. */
function parseCommandLine<O extends ParseArgsConfig['options']>(options: O) {
  try {
    return parseArgs({ allowPositionals: true, strict: true, options });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // "Option '--port' argument is ambiguous. Did you forget …": a value that starts with a dash.
    const ambiguous = /^Option '(--[\w-]+)' argument is ambiguous/.exec(message);
    if (ambiguous) {
      throw new UsageError(
        `${ambiguous[1]} needs a value; write one that starts with "-" as ${ambiguous[1]}=VALUE`,
      );
    }
    // "Unknown option '--x'. To specify a positional argument …": the first sentence is the news.
    throw new UsageError(message.split(/\.\s|\n/)[0]!);
  }
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  const hint = error instanceof UsageError ? ' (see --help)' : '';
  console.error(`keybench server: ${message.replace(/\s*\n\s*/g, ' ')}${hint}`);
  process.exit(error instanceof UsageError ? 2 : 1);
});
