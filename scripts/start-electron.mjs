#!/usr/bin/env node
/**
 * `npm start`: the desktop station. Finds the Electron binary first, so a machine without one hears
 * it in one sentence before anything is built; then builds main + preload, the renderer and (once per
 * Electron version) better-sqlite3 for Electron's ABI, and launches Electron on dist/electron/main.js.
 *
 * A missing binary exits 0: it is how some machines are set up (Electron's installer cannot download
 * it there), not a fault of the project, and npm would bury the one sentence under its own error block.
 *
 * Flags: --no-build launches what dist/ already holds. Arguments after -- go to Electron.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const MISSING_BINARY_MESSAGE =
  'The Electron binary is not available on this machine; run the station in browser mode instead: npm run start:web';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);

/** The electron package answers its binary's path, or throws when its installer fetched nothing. */
function electronBinary() {
  try {
    const path = require('electron');
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

function run(command, args) {
  const result = spawnSync(command, args, {
    cwd: root,
    stdio: 'inherit',
    shell: process.platform === 'win32',
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

/**
 * package.json's allowScripts denies electron's postinstall, so `npm ci` succeeds where its download
 * cannot (these machines reach only the npm registry). The download is attempted here instead, once,
 * quietly; where it fails, the one sentence below says what to do.
 */
function fetchElectronBinary() {
  const installer = (() => {
    try {
      return require.resolve('electron/install.js');
    } catch {
      return null;
    }
  })();
  if (!installer || process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) return;
  spawnSync(process.execPath, [installer], { cwd: root, stdio: 'ignore', timeout: 300_000 });
}

let binary = electronBinary();
if (!binary) {
  fetchElectronBinary();
  binary = electronBinary();
}
if (!binary) {
  console.log(MISSING_BINARY_MESSAGE);
  process.exit(0);
}

const argv = process.argv.slice(2);
const dashDash = argv.indexOf('--');
const ownArgs = dashDash === -1 ? argv : argv.slice(0, dashDash);
const electronArgs = dashDash === -1 ? [] : argv.slice(dashDash + 1);

if (!ownArgs.includes('--no-build')) {
  run(process.execPath, ['scripts/build-electron.mjs']);
  run('npm', ['run', '--silent', 'build:renderer']);
  run(process.execPath, ['scripts/build-electron-native.mjs', '--if-needed']);
}

const child = spawn(binary, ['dist/electron/main.js', ...electronArgs], { cwd: root, stdio: 'inherit' });
child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 0)));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
