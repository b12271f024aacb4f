import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataDirLockedError, LOCK_FILE, lockDataDir } from '../../electron/core/db/data-dir-lock';
import { WEB_TOKEN_FILE } from '../../electron/web-host/web-token';
import { killHost, spawnStationHost } from '../support/host-process';
import { startTestServer, TEST_TOKEN, type TestServer } from '../support/server-harness';

const dirs: string[] = [];
const freshDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'kb-lock-'));
  dirs.push(dir);
  return dir;
};
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('the data folder lock', () => {
  it('is refused while a live process holds it, and released for the next one', () => {
    const dir = freshDir();
    // Our parent (the vitest runner) is alive and is not us.
    writeFileSync(join(dir, LOCK_FILE), String(process.ppid));
    expect(() => lockDataDir(dir)).toThrow(DataDirLockedError);
    rmSync(join(dir, LOCK_FILE));
    const lock = lockDataDir(dir);
    expect(readFileSync(join(dir, LOCK_FILE), 'utf8')).toBe(String(process.pid));
    expect(() => lockDataDir(dir)).toThrow(DataDirLockedError);
    lock.release();
    lockDataDir(dir).release();
  });

  it('is taken over from a process that died holding it (a crash, SIGKILL)', () => {
    const dir = freshDir();
    const gone = spawnSync(process.execPath, ['-e', '0']).pid!;
    writeFileSync(join(dir, LOCK_FILE), String(gone));
    const lock = lockDataDir(dir);
    expect(readFileSync(join(dir, LOCK_FILE), 'utf8')).toBe(String(process.pid));
    lock.release();
  });

  it('makes a second browser-mode station on the same folder say so in one line and exit', async () => {
    const dir = freshDir();
    const args = ['--server', server.server.url, '--token', TEST_TOKEN, '--bench', 'simulated'];
    const first = await spawnStationHost([...args, '--keys', '1', '--data', dir]);
    try {
      const second = spawn(
        process.execPath,
        ['--import', 'tsx', 'electron/web-host/main.ts', '--port', '0', ...args, '--data', dir],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let stderr = '';
      second.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const code = await new Promise<number | null>((resolve) => second.once('exit', resolve));
      expect(code).not.toBe(0);
      const lines = stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(new RegExp(`another Keybench station \\(pid ${first.child.pid}\\)`));
    } finally {
      await killHost(first);
    }
  }, 60_000);

  it("refuses a second embedded-default station before it touches the folder: the first one's link keeps working", async () => {
    const dir = freshDir();
    const first = await spawnStationHost(['--keys', '1', '--data', dir]);
    try {
      const token = readFileSync(join(dir, WEB_TOKEN_FILE));
      // --rotate-token would replace the first station's link token if the second got that far.
      const second = spawn(
        process.execPath,
        ['--import', 'tsx', 'electron/web-host/main.ts', '--port', '0', '--data', dir, '--rotate-token'],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let stderr = '';
      second.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const code = await new Promise<number | null>((resolve) => second.once('exit', resolve));
      expect(code).not.toBe(0);
      expect(stderr.trim().split('\n')).toEqual([
        expect.stringMatching(new RegExp(`another Keybench station \\(pid ${first.child.pid}\\)`)),
      ]);
      expect(readFileSync(join(dir, WEB_TOKEN_FILE))).toEqual(token);
      expect(readFileSync(join(dir, LOCK_FILE), 'utf8')).toBe(String(first.child.pid));
      // The first station still answers over its session.
      expect((await first.api.invoke('station:info', {})).host).toBe('browser');
    } finally {
      await killHost(first);
    }
  }, 60_000);
});
