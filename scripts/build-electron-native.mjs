#!/usr/bin/env node
/**
 * Builds better-sqlite3 for Electron's ABI into native/electron/better_sqlite3.node, beside the
 * Node-ABI build that npm ci left in node_modules (vitest, the server and tsx keep using that one).
 * Electron's main loads this copy through better-sqlite3's `nativeBinding` option
 * (electron/main/native-binding.ts). Packaged apps do not need it: electron-builder rebuilds
 * node_modules for Electron itself.
 *
 * The build runs in a scratch copy of the package, so node_modules is never touched and nothing has to
 * be restored. It first asks for better-sqlite3's prebuilt Electron binary (prebuild-install, as the
 * package's own install does), then compiles with node-gyp against Electron's headers. Both need
 * Electron's download hosts; where they are out of reach it says so and exits 1.
 *
 *   node scripts/build-electron-native.mjs [--if-needed] [--build-from-source]
 */
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
  copyFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);
const args = new Set(process.argv.slice(2));
const outDir = join(root, 'native', 'electron');
const outFile = join(outDir, 'better_sqlite3.node');
const infoFile = join(outDir, 'build-info.json');

const electronVersion = JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')).version;
const sqlitePackageDir = dirname(require.resolve('better-sqlite3/package.json'));
const sqliteVersion = JSON.parse(readFileSync(join(sqlitePackageDir, 'package.json'), 'utf8')).version;
const wanted = {
  electron: electronVersion,
  betterSqlite3: sqliteVersion,
  platform: process.platform,
  arch: process.arch,
};

if (args.has('--if-needed') && existsSync(outFile) && existsSync(infoFile)) {
  const have = JSON.parse(readFileSync(infoFile, 'utf8'));
  if (Object.entries(wanted).every(([k, v]) => have[k] === v)) process.exit(0);
}

console.log(
  `Building better-sqlite3 ${sqliteVersion} for Electron ${electronVersion} (${process.platform}-${process.arch})…`,
);

// npm hands its config to child processes as npm_config_*; this machine's nodedir would make node-gyp
// compile against Node's headers instead of Electron's.
const env = { ...process.env };
for (const key of Object.keys(env)) {
  if (/^npm_config_(nodedir|target|runtime|disturl|dist_url|arch)$/i.test(key)) delete env[key];
}

const scratch = mkdtempSync(join(tmpdir(), 'keybench-native-'));
const copy = join(scratch, 'better-sqlite3');
try {
  cpSync(sqlitePackageDir, copy, {
    recursive: true,
    filter: (src) => !src.startsWith(join(sqlitePackageDir, 'build')),
  });
  const built = join(copy, 'build', 'Release', 'better_sqlite3.node');

  const tryRun = (command, commandArgs) =>
    spawnSync(process.execPath, [command, ...commandArgs], { cwd: copy, env, stdio: 'inherit' }).status === 0;

  let ok = false;
  if (!args.has('--build-from-source')) {
    const prebuildInstall = resolveOptional('prebuild-install/bin.js');
    ok =
      Boolean(prebuildInstall) &&
      tryRun(prebuildInstall, ['--runtime', 'electron', '--target', electronVersion, '--arch', process.arch]);
    if (!ok) console.log('No prebuilt binary for this Electron; compiling from source.');
  }
  if (!ok) {
    const nodeGyp = findNodeGyp();
    ok =
      Boolean(nodeGyp) &&
      tryRun(nodeGyp, [
        'rebuild',
        '--release',
        '--runtime=electron',
        `--target=${electronVersion}`,
        `--arch=${process.arch}`,
        '--dist-url=https://electronjs.org/headers',
      ]);
  }
  if (!ok || !existsSync(built)) {
    console.error(
      "Could not build better-sqlite3 for Electron: neither a prebuilt binary nor Electron's headers could be " +
        'fetched (they come from GitHub and electronjs.org), or node-gyp failed above.',
    );
    process.exit(1);
  }
  mkdirSync(outDir, { recursive: true });
  copyFileSync(built, outFile);
  writeFileSync(infoFile, `${JSON.stringify(wanted, null, 2)}\n`);
  console.log(`Wrote ${outFile}`);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

function resolveOptional(specifier) {
  try {
    return require.resolve(specifier);
  } catch {
    return null;
  }
}

/** npm's own node-gyp when run from npm, else the project's, else the one bundled with npm. */
function findNodeGyp() {
  const fromNpm = process.env.npm_config_node_gyp;
  if (fromNpm && existsSync(fromNpm)) return fromNpm;
  const local = resolveOptional('node-gyp/bin/node-gyp.js');
  if (local) return local;
  const bundled = join(
    dirname(process.execPath),
    '..',
    'lib',
    'node_modules',
    'npm',
    'node_modules',
    'node-gyp',
    'bin',
    'node-gyp.js',
  );
  return existsSync(bundled) ? bundled : null;
}
