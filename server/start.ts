import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { buildApp } from './app';
import type { ServerContext } from './context';
import { openServerDatabase } from './db/open';
import { Authenticator, type LoginOptions } from './http/auth';
import type { ServerLimits } from './http/limits';

export interface StartOptions {
  dataDir: string;
  port?: number;
  host?: string;
  /** Accepted as a Bearer token as is (KEYBENCH_API_TOKEN). */
  token?: string;
  logger?: FastifyBaseLogger | false;
  /** Enables the scripted-fault and balance endpoints (demo, training, tests). */
  adminEnabled?: boolean;
  now?: () => number;
  /** Runs once, on the open database, before the server listens (e.g. seeding). */
  prepare?: (ctx: ServerContext) => void;
  /** An Electron-ABI build of better-sqlite3 (the embedded server inside the desktop app). */
  nativeBinding?: string;
  /** Timeouts and the connection cap; the defaults suit a real server, tests shorten them. */
  limits?: Partial<ServerLimits>;
  /** Login token lifetime, failed-login throttling and password-hash concurrency. */
  login?: Partial<LoginOptions>;
  /** The vendor's name GET /v1.0/vendor answers (default DEFAULT_VENDOR_NAME). */
  vendorName?: string;
}

export const DEFAULT_VENDOR_NAME = 'Keybench reference vendor';

export interface RunningServer {
  url: string;
  port: number;
  ctx: ServerContext;
  app: FastifyInstance;
  close(): Promise<void>;
}

export const DATABASE_FILE = 'guardant-station.db';

export async function startServer(options: StartOptions): Promise<RunningServer> {
  mkdirSync(options.dataDir, { recursive: true });
  const db = openServerDatabase(join(options.dataDir, DATABASE_FILE), {
    nativeBinding: options.nativeBinding,
  });
  const ctx: ServerContext = {
    db,
    auth: undefined as unknown as Authenticator, // set just below: it reads the clock through ctx
    now: options.now ?? (() => Math.floor(Date.now() / 1000)),
    adminEnabled: options.adminEnabled ?? false,
    vendorName: options.vendorName ?? DEFAULT_VENDOR_NAME,
  };
  // Through ctx, so a test (or a demo) that moves ctx.now moves token expiry and throttling too.
  ctx.auth = new Authenticator(db, options.token, options.login, () => ctx.now());
  options.prepare?.(ctx);
  const app = buildApp(ctx, { logger: options.logger ?? false, limits: options.limits });
  try {
    await app.listen({ port: options.port ?? 0, host: options.host ?? '127.0.0.1' });
  } catch (error) {
    db.close();
    throw error;
  }
  const { port } = app.server.address() as AddressInfo;
  const host = options.host && options.host !== '0.0.0.0' ? options.host : '127.0.0.1';
  let closed = false;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    ctx,
    app,
    async close() {
      if (closed) return;
      closed = true;
      await app.close();
      db.close();
    },
  };
}
