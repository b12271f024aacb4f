/**
 * A stable station link (issue 10): the browser link's session token is kept in the data folder, so
 * the link the station printed works after a restart; `--rotate-token` replaces it on request. Every
 * check runs the real host process (twice or more on one data folder), as an operator restarts it.
 */
import type { ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchTsx, spawnTracked, stopProcess } from '../support/processes';
import { startTestServer, TEST_TOKEN, type TestServer } from '../support/server-harness';
import { freePort } from '../support/free-port';

let server: TestServer;
let dataDir: string;
let host: ChildProcess | null = null;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});
afterEach(async () => {
  if (host) await stopProcess(host, 'SIGTERM');
  host = null;
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

interface Started {
  url: string;
  token: string;
  output: () => string;
}

/** Starts the host on `dataDir` and resolves with the link it printed; it runs until `stopHost`. */
async function startHost(args: string[], env: Record<string, string> = {}): Promise<Started> {
  const launched = await launchTsx(
    [
      'electron/web-host/main.ts',
      '--server',
      server.server.url,
      '--token',
      TEST_TOKEN,
      '--bench',
      'simulated',
      '--keys',
      '0',
      '--data',
      dataDir,
      ...args,
    ],
    // Everything printed before the link too: a warning about the token file comes first.
    /^([\s\S]*?)open (http:\/\/\S+)/,
    { KEYBENCH_LOG_LEVEL: 'warn', KEYBENCH_WEB_TOKEN: '', ...env },
  );
  host = launched.child;
  let out = launched.match[0];
  launched.child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  launched.child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const url = launched.match[2]!;
  return { url, token: new URL(url).hash.slice('#token='.length), output: () => out };
}

async function stopHost(): Promise<void> {
  if (host) await stopProcess(host, 'SIGTERM');
  host = null;
}

/** The HTTP status of a WebSocket upgrade with `token`: 101 when the host lets it in. */
function upgradeStatus(url: string, token: string): Promise<number> {
  const { origin } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${origin.replace('http', 'ws')}/ipc?token=${token}`, {
      headers: { origin },
    });
    socket.once('open', () => {
      socket.close();
      resolve(101);
    });
    socket.once('unexpected-response', (_request, response) => {
      resolve(response.statusCode ?? 0);
      socket.terminate();
    });
    socket.once('error', (error) => reject(error));
  });
}

const tokenFile = () => join(dataDir, 'web-token');
const mode = (path: string) => statSync(path).mode & 0o777;

describe('the station link', () => {
  it('keeps its token across a restart, on the same port, in a file only the operator can read', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'kb-token-'));
    const port = String(await freePort());
    const first = await startHost(['--port', port]);
    expect(first.token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(readFileSync(tokenFile(), 'utf8').trim()).toBe(first.token);
    expect(mode(tokenFile())).toBe(0o600);
    await stopHost();

    const second = await startHost(['--port', port]);
    expect(second.url).toBe(first.url);
    expect(await upgradeStatus(second.url, first.token)).toBe(101);
  });

  it('changes the token on --rotate-token: the old link is refused, the new one saved', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'kb-token-'));
    const first = await startHost(['--port', '0']);
    await stopHost();

    const rotated = await startHost(['--port', '0', '--rotate-token']);
    expect(rotated.token).not.toBe(first.token);
    expect(rotated.token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(readFileSync(tokenFile(), 'utf8').trim()).toBe(rotated.token);
    expect(mode(tokenFile())).toBe(0o600);
    expect(await upgradeStatus(rotated.url, first.token)).toBe(401);
    expect(await upgradeStatus(rotated.url, rotated.token)).toBe(101);
    await stopHost();

    // Rotation is once, on request: the next plain start keeps the rotated token.
    const after = await startHost(['--port', '0']);
    expect(after.token).toBe(rotated.token);
  });

  it('replaces a damaged token file (and one others can read) with a new one, and says why', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'kb-token-'));
    writeFileSync(tokenFile(), 'not a token\x00\n', { mode: 0o600 });
    const damaged = await startHost(['--port', '0']);
    expect(damaged.token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(readFileSync(tokenFile(), 'utf8').trim()).toBe(damaged.token);
    expect(mode(tokenFile())).toBe(0o600);
    expect(damaged.output()).toMatch(/damaged.*new session token/);
    await stopHost();

    chmodSync(tokenFile(), 0o644);
    const open = await startHost(['--port', '0']);
    expect(open.token).not.toBe(damaged.token);
    expect(mode(tokenFile())).toBe(0o600);
    expect(open.output()).toMatch(/readable by other users.*new session token/);
  });

  it('lets KEYBENCH_WEB_TOKEN override the saved token without touching the file', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'kb-token-'));
    const saved = await startHost(['--port', '0']);
    await stopHost();
    const chosen = 'operator-chosen-token-0123456789abcdef';
    const overridden = await startHost(['--port', '0'], { KEYBENCH_WEB_TOKEN: chosen });
    expect(overridden.token).toBe(chosen);
    expect(readFileSync(tokenFile(), 'utf8').trim()).toBe(saved.token);
  });

  it('says in one line that the port is taken, and exits', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'kb-token-'));
    const squatter: Server = createServer();
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
    const { port } = squatter.address() as { port: number };
    try {
      const child = spawnTracked(
        process.execPath,
        [
          '--import',
          'tsx',
          'electron/web-host/main.ts',
          '--data',
          dataDir,
          '--port',
          String(port),
          '--keys',
          '0',
        ],
        { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, KEYBENCH_LOG_LEVEL: 'warn' } },
      );
      let stderr = '';
      child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
      expect(code).toBe(1);
      const lines = stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(new RegExp(`port ${port} is already in use.*--port N`));
    } finally {
      await new Promise((resolve) => squatter.close(resolve));
    }
  });

  it('documents --rotate-token and KEYBENCH_WEB_TOKEN in --help', async () => {
    const child = spawnTracked(process.execPath, ['--import', 'tsx', 'electron/web-host/main.ts', '--help'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    await new Promise((resolve) => child.once('exit', resolve));
    expect(out).toContain('--rotate-token');
    expect(out).toContain('KEYBENCH_WEB_TOKEN');
    expect(out).toContain('web-token');
  });
});
