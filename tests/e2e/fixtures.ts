import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as base, type Page } from '@playwright/test';
import { launchTsx, stopProcess } from '../support/processes';
import { freePort } from '../support/free-port';

export const API_TOKEN = 'e2e-api-token-0123456789';

/** The reference Guardant Station server as its own process, on a fixed port so it can come back. */
export class ServerProcess {
  private child: ChildProcess | null = null;
  private constructor(
    readonly url: string,
    private readonly port: number,
    private readonly dataDir: string,
  ) {}

  static async start(dataDir: string): Promise<ServerProcess> {
    const port = await freePort();
    const server = new ServerProcess(`http://127.0.0.1:${port}`, port, dataDir);
    await server.up();
    return server;
  }

  async up(): Promise<void> {
    const { child } = await launchTsx(
      ['server/main.ts', '--port', String(this.port), '--data', this.dataDir, '--seed', 'demo', '--admin'],
      /reference server on http/,
      { KEYBENCH_API_TOKEN: API_TOKEN },
    );
    this.child = child;
  }

  async down(): Promise<void> {
    if (this.child) await stopProcess(this.child);
    this.child = null;
  }

  /** A call to the server as another client would make it, to check what the station did. */
  async api<T = any>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(this.url + path, {
      method,
      headers: {
        authorization: `Bearer ${API_TOKEN}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return (await res.json()) as T;
  }
}

/**
 * The station host in browser mode with a simulated bench of `keys` keys, on the reference server;
 * resolves with the process and the link it printed (with its session token).
 */
export async function launchStationHost(options: {
  serverUrl: string;
  dataDir: string;
  keys: number;
  /** 0: a port the OS chooses. */
  port: number;
  extraArgs?: string[];
  env?: Record<string, string>;
}): Promise<{ child: ChildProcess; url: string }> {
  const { child, match } = await launchTsx(
    [
      'electron/web-host/main.ts',
      '--server',
      options.serverUrl,
      '--token',
      API_TOKEN,
      '--bench',
      'simulated',
      '--keys',
      String(options.keys),
      '--port',
      String(options.port),
      '--data',
      options.dataDir,
      ...(options.extraArgs ?? []),
    ],
    /open (http:\/\/\S+)/,
    { KEYBENCH_LOG_LEVEL: 'warn', ...options.env },
  );
  return { child, url: match[1]! };
}

export interface StationFixture {
  server: ServerProcess;
  /** The URL the host printed, with its session token. */
  url: string;
  host: ChildProcess;
}

/**
 * A fresh shift per test file: a reference server with demo data, and the station host in browser
 * mode with a simulated bench, each in its own process and its own data folder.
 */
export const test = base.extend<{ openStation: (page: Page) => Promise<void> }, { station: StationFixture }>({
  station: [
    // eslint-disable-next-line no-empty-pattern -- Playwright reads the fixtures a function destructures
    async ({}, use) => {
      const dir = mkdtempSync(join(tmpdir(), 'kb-e2e-'));
      const server = await ServerProcess.start(join(dir, 'server'));
      const { child: host, url } = await launchStationHost({
        serverUrl: server.url,
        dataDir: join(dir, 'station'),
        keys: 0,
        port: 0,
      });
      await use({ server, url, host });
      await stopProcess(host);
      await server.down();
      rmSync(dir, { recursive: true, force: true });
    },
    { scope: 'worker' },
  ],
  openStation: async ({ station }, use) => {
    await use(async (page) => {
      await page.goto(station.url);
    });
  },
});

export { expect } from '@playwright/test';
