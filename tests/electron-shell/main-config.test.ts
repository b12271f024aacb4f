import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { betterSqliteNativeBinding } from '../../electron/main/native-binding';
import { createSafeStorageSecretStore, type SafeStorageLike } from '../../electron/main/safe-storage-secrets';
import { resolveStartup, StartupRefusal } from '../../electron/startup/resolve-startup';
import { requestFromEnv } from '../../electron/startup/startup-request';
import { DEFAULT_LICENSE_MANAGER_URL } from '../../shared/license-manager/default-address';

/** What the desktop app decides from its environment (electron/main.ts maps process.env the same way). */
const chooseServer = (env: Record<string, string | undefined>) =>
  resolveStartup(
    requestFromEnv(
      env,
      { appRoot: '/opt/keybench' },
      { cwd: '/', home: '/home/op', hostname: 'bench', userData: '/home/op/.config/Keybench' },
    ),
  ).decision;

/** A stand-in for Electron's safeStorage: reversible, and visibly not clear text. */
function fakeSafeStorage(
  available: boolean,
  backend?: ReturnType<NonNullable<SafeStorageLike['getSelectedStorageBackend']>>,
): SafeStorageLike {
  return {
    isEncryptionAvailable: () => available,
    encryptString: (plain) => Buffer.from(`sealed:${Buffer.from(plain).toString('base64')}`),
    decryptString: (sealed) => Buffer.from(sealed.toString().replace(/^sealed:/, ''), 'base64').toString(),
    ...(backend ? { getSelectedStorageBackend: () => backend } : {}),
  };
}

describe('the safeStorage secret store', () => {
  it('seals through the OS keyring and opens what it sealed', () => {
    const store = createSafeStorageSecretStore(fakeSafeStorage(true, 'gnome_libsecret'), 'linux');
    expect(store.kind).toBe('safeStorage');
    const sealed = store.seal('s3cret-token');
    expect(sealed).toBeInstanceOf(Buffer);
    expect(sealed!.toString()).not.toContain('s3cret-token');
    expect(store.open(sealed!)).toBe('s3cret-token');
  });

  it("says 'basic_text' on a Linux desktop without a keyring, so the UI can warn", () => {
    const store = createSafeStorageSecretStore(fakeSafeStorage(true, 'basic_text'), 'linux');
    expect(store.kind).toBe('basic_text');
    expect(store.open(store.seal('pw')!)).toBe('pw');
  });

  it('asks for the backend on Linux only', () => {
    expect(createSafeStorageSecretStore(fakeSafeStorage(true, 'basic_text'), 'win32').kind).toBe(
      'safeStorage',
    );
    expect(createSafeStorageSecretStore(fakeSafeStorage(true), 'darwin').kind).toBe('safeStorage');
  });

  it('keeps secrets in memory only when nothing can encrypt them', () => {
    const store = createSafeStorageSecretStore(fakeSafeStorage(false), 'linux');
    expect(store.kind).toBe('memory');
    expect(store.seal('pw')).toBeNull();
  });
});

describe('choosing the server', () => {
  it('starts the embedded default when nothing is set', () => {
    expect(chooseServer({}).server).toBe('embedded');
    expect(chooseServer({ KEYBENCH_SERVER_URL: '  ', KEYBENCH_API_TOKEN: 't' }).server).toBe('embedded');
  });

  it('goes to the real server and bench KEYBENCH_SERVER_URL names', () => {
    expect(
      chooseServer({ KEYBENCH_SERVER_URL: 'https://station.example/', KEYBENCH_API_TOKEN: 'tok' }),
    ).toEqual({
      server: 'given',
      serverUrl: 'https://station.example',
      credentials: { token: 'tok' },
      bench: {
        kind: 'real',
        licenseManagerUrl: DEFAULT_LICENSE_MANAGER_URL,
        udevRulesPath: '/opt/keybench/resources/linux/70-guardant.rules',
      },
    });
    expect(
      chooseServer({
        KEYBENCH_SERVER_URL: 'http://10.0.0.5:8780',
        KEYBENCH_LICENSE_MANAGER_URL: 'http://127.0.0.1:4000',
      }),
    ).toEqual({
      server: 'given',
      serverUrl: 'http://10.0.0.5:8780',
      // No token: the operator logs in in Settings, and the desktop app seals that login.
      credentials: {},
      bench: {
        kind: 'real',
        licenseManagerUrl: 'http://127.0.0.1:4000',
        udevRulesPath: '/opt/keybench/resources/linux/70-guardant.rules',
      },
    });
  });

  it('refuses a URL that is not http(s), naming the variable', () => {
    expect(() => chooseServer({ KEYBENCH_SERVER_URL: 'file:///etc/passwd' })).toThrow(StartupRefusal);
    expect(() => chooseServer({ KEYBENCH_SERVER_URL: 'station' })).toThrow(/KEYBENCH_SERVER_URL/);
    expect(() =>
      chooseServer({ KEYBENCH_SERVER_URL: 'https://s.example', KEYBENCH_LICENSE_MANAGER_URL: 'ftp://x' }),
    ).toThrow(/KEYBENCH_LICENSE_MANAGER_URL/);
  });
});

describe('the better-sqlite3 binding for Electron', () => {
  it('uses the Electron-ABI copy from the work tree when it was built, the package’s own otherwise', () => {
    const root = mkdtempSync(join(tmpdir(), 'keybench-native-'));
    try {
      expect(betterSqliteNativeBinding(root, false)).toBeUndefined();
      mkdirSync(join(root, 'native', 'electron'), { recursive: true });
      writeFileSync(join(root, 'native', 'electron', 'better_sqlite3.node'), '');
      expect(betterSqliteNativeBinding(root, false)).toBe(
        join(root, 'native', 'electron', 'better_sqlite3.node'),
      );
      // Packaged: electron-builder rebuilt node_modules for Electron, the package's own addon is right.
      expect(betterSqliteNativeBinding(root, true)).toBeUndefined();
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
