/**
 * electron/main.ts started (under a stand-in for the 'electron' module, as in main-process.test.ts)
 * on a data folder another live station holds: it must say so and exit before it opens anything in
 * the folder (the embedded server's database, the keys' memory), and leave the other one's lock alone.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { LOCK_FILE } from '../../electron/core/db/data-dir-lock';

type Listener = (...args: any[]) => any;

const fake = vi.hoisted(() => {
  const noop = () => {};
  const paths = new Map<string, string>();
  return {
    errorBoxes: [] as [string, string][],
    exit: vi.fn(),
    quit: vi.fn(),
    windows: 0,
    paths,
    session: {
      setPermissionRequestHandler: noop,
      setPermissionCheckHandler: noop,
      setDevicePermissionHandler: noop,
      webRequest: { onBeforeRequest: noop },
      on: noop,
    },
  };
});

vi.mock('electron', () => ({
  app: {
    isPackaged: true,
    on: () => undefined,
    once: () => undefined,
    quit: fake.quit,
    exit: fake.exit,
    setPath: (name: string, value: string) => fake.paths.set(name, value),
    getPath: (name: string) => fake.paths.get(name) ?? '/nonexistent',
    getVersion: () => '9.9.9-test',
    enableSandbox: () => undefined,
    requestSingleInstanceLock: () => true,
    whenReady: () => Promise.resolve(),
  },
  BrowserWindow: class {
    constructor() {
      fake.windows++;
    }
  },
  dialog: { showErrorBox: (title: string, body: string) => fake.errorBoxes.push([title, body]) },
  ipcMain: { handle: (_c: string, _h: Listener) => undefined, removeHandler: () => undefined },
  protocol: { registerSchemesAsPrivileged: () => undefined, handle: () => undefined },
  safeStorage: {
    isEncryptionAvailable: () => false,
    getSelectedStorageBackend: () => 'basic_text',
    encryptString: (plain: string) => Buffer.from(plain),
    decryptString: (sealed: Buffer) => sealed.toString(),
  },
  session: { defaultSession: fake.session },
}));

let dataDir: string;

beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'keybench-main-lock-'));
  // A live station holds the folder: our parent (the vitest runner) is alive and is not us.
  writeFileSync(join(dataDir, LOCK_FILE), String(process.ppid));
  process.env.KEYBENCH_DATA_DIR = dataDir;
  delete process.env.KEYBENCH_SERVER_URL;
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('the Electron station on a data folder another station holds', () => {
  it('says which station holds it and exits, opening nothing in the folder', async () => {
    await import('../../electron/main');
    await vi.waitFor(() => expect(fake.exit).toHaveBeenCalledWith(1), { timeout: 20_000 });
    expect(fake.errorBoxes).toHaveLength(1);
    expect(fake.errorBoxes[0]![1]).toMatch(new RegExp(`another Keybench station \\(pid ${process.ppid}\\)`));
    expect(fake.windows).toBe(0);
    // The embedded server's folder, the keys' memory and the station database were never made.
    expect(readdirSync(dataDir)).toEqual([LOCK_FILE]);
    expect(existsSync(join(dataDir, 'server'))).toBe(false);
    expect(readFileSync(join(dataDir, LOCK_FILE), 'utf8')).toBe(String(process.ppid));
  });
});
