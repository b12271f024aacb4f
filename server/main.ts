import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openServerDatabase } from './db/open';
import { Authenticator } from './http/auth';
import { startServer, DATABASE_FILE } from './start';
import { createLogger } from './logger';

const USAGE = `Keybench reference Guardant Station server

  npm run server -- [--port 8780] [--host 127.0.0.1] [--data DIR] [--seed demo] [--admin]
  npm run server -- add-user NAME [--password P] [--data DIR]   (password read from stdin otherwise)

Env KEYBENCH_API_TOKEN is accepted as a Bearer token as is.`;

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
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      port: { type: 'string', default: '8780' },
      host: { type: 'string', default: '127.0.0.1' },
      data: { type: 'string' },
      seed: { type: 'string' },
      admin: { type: 'boolean', default: false },
      password: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return void console.log(USAGE);
  const dataDir = values.data ?? defaultDataDir();

  if (positionals[0] === 'add-user') {
    const name = positionals[1];
    if (!name) throw new Error('add-user needs a NAME');
    const password = values.password ?? (await readStdin());
    if (!password) throw new Error('the password is empty');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(dataDir, { recursive: true });
    const db = openServerDatabase(join(dataDir, DATABASE_FILE));
    new Authenticator(db, undefined).addUser(name, password);
    db.close();
    console.log(`user ${name} saved in ${dataDir}`);
    return;
  }
  if (positionals.length) throw new Error(`unknown command ${positionals[0]}\n\n${USAGE}`);

  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`--port ${values.port} is not a port`);
  if (values.seed !== undefined && values.seed !== 'demo') throw new Error(`--seed knows only "demo"`);
  const logger = createLogger();
  const { seedDemoIfEmpty } = await import('./seed/demo');
  const server = await startServer({
    dataDir,
    port,
    host: values.host,
    token: process.env.KEYBENCH_API_TOKEN || undefined,
    logger,
    adminEnabled: values.admin || values.seed === 'demo',
    prepare: values.seed === 'demo' ? (ctx) => seedDemoIfEmpty(ctx.db, ctx.now()) : undefined,
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

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
