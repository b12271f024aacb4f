#!/usr/bin/env node
/**
 * Builds the Electron main process and preload into dist/electron/.
 *
 *   node scripts/build-electron.mjs [--outdir=DIR]     (default dist/electron; the tests build elsewhere)
 *
 * - main.js: ESM (the package is "type": "module"), our own code bundled, every npm package left as
 *   a runtime import from node_modules, as tsx runs it in development. Native addons (better-sqlite3,
 *   usb) and pino's worker transports stay loadable that way, and electron-builder ships node_modules.
 * - preload.cjs: one CommonJS file whose only require is 'electron'. A sandboxed renderer gives its
 *   preload a require for 'electron' and a few built-ins only, and no ES modules.
 */
import { build } from 'esbuild';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdirArg = process.argv.find((a) => a.startsWith('--outdir='));
const outdir = outdirArg ? resolve(outdirArg.slice('--outdir='.length)) : resolve(root, 'dist/electron');
// Electron 40 runs Node 24; node22 keeps the output readable by any Electron we would move to.
const common = {
  bundle: true,
  platform: 'node',
  target: 'node22',
  sourcemap: true,
  logLevel: 'warning',
  absWorkingDir: root,
};

await Promise.all([
  build({
    ...common,
    entryPoints: ['electron/main.ts'],
    outfile: `${outdir}/main.js`,
    format: 'esm',
    packages: 'external',
  }),
  build({
    ...common,
    entryPoints: ['electron/preload.ts'],
    outfile: `${outdir}/preload.cjs`,
    format: 'cjs',
    external: ['electron'],
  }),
]);
console.log(`built ${outdir}/main.js and preload.cjs`);
