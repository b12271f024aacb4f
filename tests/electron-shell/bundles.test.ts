/**
 * What `npm start` and electron-builder ship: dist/electron/main.js and preload.cjs as
 * scripts/build-electron.mjs builds them, checked without an Electron binary.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ELECTRON_EVENT_CHANNEL, ELECTRON_INVOKE_CHANNEL } from '../../shared/ipc/preload-bridge';

const root = fileURLToPath(new URL('../..', import.meta.url));
// Inside the work tree, so the bundle's bare imports resolve from node_modules as they do in the app.
const outdir = join(root, 'dist', `.electron-shell-test-${process.pid}`);

beforeAll(() => {
  mkdirSync(outdir, { recursive: true });
  const built = spawnSync(process.execPath, ['scripts/build-electron.mjs', `--outdir=${outdir}`], {
    cwd: root,
    encoding: 'utf8',
  });
  expect(built.stderr).toBe('');
  expect(built.status).toBe(0);
}, 60_000);

afterAll(() => rmSync(outdir, { recursive: true, force: true }));

/** Runs preload.cjs as a sandboxed renderer would: a require that knows 'electron' and nothing else. */
function loadPreload() {
  const exposed = new Map<string, any>();
  const listeners = new Map<string, Set<(...args: any[]) => void>>();
  const ipcRenderer = {
    invoke: vi.fn(async (..._args: unknown[]) => ({ ok: true, value: 'pong' })),
    on: (channel: string, listener: (...args: any[]) => void) => {
      listeners.set(channel, (listeners.get(channel) ?? new Set()).add(listener));
    },
    removeListener: (channel: string, listener: (...args: any[]) => void) =>
      listeners.get(channel)?.delete(listener),
  };
  const electron = {
    contextBridge: { exposeInMainWorld: (key: string, api: any) => exposed.set(key, api) },
    ipcRenderer,
  };
  const required: string[] = [];
  const sandboxRequire = (name: string) => {
    required.push(name);
    if (name !== 'electron') throw new Error(`a sandboxed preload cannot require ${name}`);
    return electron;
  };
  const module = { exports: {} };
  runInNewContext(readFileSync(join(outdir, 'preload.cjs'), 'utf8'), {
    require: sandboxRequire,
    module,
    exports: module.exports,
  });
  const emit = (...args: unknown[]) => {
    for (const listener of listeners.get(ELECTRON_EVENT_CHANNEL) ?? [])
      listener({ sender: 'the IpcRenderer' }, ...args);
  };
  return { exposed, ipcRenderer, listeners, required, emit };
}

describe('the preload bundle', () => {
  it('requires only electron, so it runs in a sandboxed renderer', () => {
    const { required } = loadPreload();
    expect(required).toEqual(['electron']);
    expect(readFileSync(join(outdir, 'preload.cjs'), 'utf8')).not.toMatch(
      /\bimport\s|require\("(?!electron")/,
    );
  });

  it('exposes window.keybench with exactly invoke and onEvent', () => {
    const { exposed } = loadPreload();
    expect([...exposed.keys()]).toEqual(['keybench']);
    expect(Object.keys(exposed.get('keybench')).sort()).toEqual(['invoke', 'onEvent']);
  });

  it('invoke goes over the one invoke channel with the contract channel and request', async () => {
    const { exposed, ipcRenderer } = loadPreload();
    await expect(exposed.get('keybench').invoke('station:info', {})).resolves.toEqual({
      ok: true,
      value: 'pong',
    });
    expect(ipcRenderer.invoke).toHaveBeenCalledWith(ELECTRON_INVOKE_CHANNEL, 'station:info', {});
  });

  it('onEvent hands over name and payload, never the IPC event, and unsubscribes', () => {
    const { exposed, listeners, emit } = loadPreload();
    const seen: unknown[][] = [];
    const off = exposed.get('keybench').onEvent((...args: unknown[]) => seen.push(args));
    emit('keys:changed', [{ dongleId: 1 }]);
    expect(seen).toEqual([['keys:changed', [{ dongleId: 1 }]]]);
    off();
    emit('keys:changed', []);
    expect(seen).toHaveLength(1);
    expect(listeners.get(ELECTRON_EVENT_CHANNEL)?.size).toBe(0);
  });
});

describe('the main bundle', () => {
  it('loads under Node’s own ES module rules, as Electron loads it, and sets up before ready', () => {
    const run = spawnSync(
      process.execPath,
      [
        '--import',
        join(root, 'tests/electron-shell/fixtures/electron-stub/register.mjs'),
        join(outdir, 'main.js'),
      ],
      { cwd: root, encoding: 'utf8', env: { ...process.env, KEYBENCH_DATA_DIR: '' }, timeout: 30_000 },
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const calls: unknown[][] = JSON.parse(run.stdout.trim().split('\n').at(-1)!);
    const names = calls.map(([name]) => name);
    expect(names).toContain('app.enableSandbox');
    expect(names).toContain('app.requestSingleInstanceLock');
    expect(calls.find(([name]) => name === 'protocol.registerSchemesAsPrivileged')).toEqual([
      'protocol.registerSchemesAsPrivileged',
      [
        expect.objectContaining({
          scheme: 'app',
          privileges: expect.objectContaining({ standard: true, secure: true }),
        }),
      ],
    ]);
    // Scheme registration happens before anything waits for ready.
    expect(names.indexOf('protocol.registerSchemesAsPrivileged')).toBeLessThan(
      names.indexOf('app.requestSingleInstanceLock'),
    );
    expect(calls).toContainEqual(['app.on', 'web-contents-created']);
  });

  it('keeps every npm package a runtime import and bundles our own code', () => {
    const main = readFileSync(join(outdir, 'main.js'), 'utf8');
    const imported = [...main.matchAll(/^import [^;]*? from "([^"]+)";$/gm)].map((m) => m[1]!);
    expect(imported).toEqual(expect.arrayContaining(['electron', 'better-sqlite3', 'fastify', 'zod']));
    expect(imported.filter((specifier) => specifier.startsWith('.'))).toEqual([]);
  });
});
