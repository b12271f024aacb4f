import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** Where scripts/build-electron-native.mjs leaves better-sqlite3 built for Electron's ABI. */
export const ELECTRON_NATIVE_DIR = join('native', 'electron');
export const BETTER_SQLITE3_BINARY = 'better_sqlite3.node';

/**
 * The better-sqlite3 addon main should load, or undefined for the package's own.
 *
 * node_modules/better-sqlite3 is built for Node's ABI (npm ci, vitest, the server). Started from the
 * work tree (`npm start`), Electron needs the copy built for its ABI beside it. A packaged app needs
 * nothing: electron-builder rebuilds node_modules for Electron, so the package's own addon is right.
 */
export function betterSqliteNativeBinding(appRoot: string, isPackaged: boolean): string | undefined {
  if (isPackaged) return undefined;
  const candidate = join(appRoot, ELECTRON_NATIVE_DIR, BETTER_SQLITE3_BINARY);
  return existsSync(candidate) ? candidate : undefined;
}
