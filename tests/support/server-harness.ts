import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type RunningServer, type StartOptions } from '../../server/start';

export const TEST_TOKEN = 'test-token-0123456789';

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export interface TestServer {
  server: RunningServer;
  dataDir: string;
  /** JSON request with the test token; `raw` sends the body string as is. */
  call<T = any>(
    method: string,
    path: string,
    body?: unknown,
    init?: { token?: string | null; raw?: string; headers?: Record<string, string> },
  ): Promise<ApiResponse<T>>;
  restart(): Promise<void>;
  close(): Promise<void>;
}

/** A real reference server on an ephemeral loopback port, over a fresh SQLite file. */
export async function startTestServer(options: Partial<StartOptions> = {}): Promise<TestServer> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'kb-server-'));
  const start = () => startServer({ token: TEST_TOKEN, adminEnabled: true, ...options, dataDir });
  const handle: TestServer = {
    server: await start(),
    dataDir,
    async call(method, path, body, init = {}) {
      const headers: Record<string, string> = { ...init.headers };
      const token = init.token === undefined ? TEST_TOKEN : init.token;
      if (token !== null) headers.authorization = `Bearer ${token}`;
      let payload: string | undefined = init.raw;
      if (payload === undefined && body !== undefined) payload = JSON.stringify(body);
      if (payload !== undefined) headers['content-type'] ??= 'application/json';
      const res = await fetch(handle.server.url + path, { method, headers, body: payload });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        // keep the text: a test asserting JSON will fail on it
      }
      return { status: res.status, body: parsed as any, headers: res.headers };
    },
    async restart() {
      await handle.server.close();
      handle.server = await start();
    },
    async close() {
      await handle.server.close();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return handle;
}
