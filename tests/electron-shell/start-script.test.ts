import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'keybench-start-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const MESSAGE =
  'The Electron binary is not available on this machine; run the station in browser mode instead: npm run start:web\n';

/** The start script with the electron package pointed somewhere (ELECTRON_OVERRIDE_DIST_PATH is the package's own). */
function start(env: Record<string, string | undefined>, args: string[] = []) {
  const childEnv: NodeJS.ProcessEnv = { ...process.env };
  delete childEnv.ELECTRON_OVERRIDE_DIST_PATH;
  return spawnSync(process.execPath, ['scripts/start-electron.mjs', ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...childEnv, ...env },
    timeout: 30_000,
  });
}

describe('npm start', () => {
  it('says in one sentence what to do when the Electron binary is missing, and builds nothing', () => {
    const run = start({ ELECTRON_OVERRIDE_DIST_PATH: join(scratch, 'no-electron-here') });
    expect(run.stdout).toBe(MESSAGE);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  // CI's case: installed with ELECTRON_SKIP_BINARY_DOWNLOAD, require('electron') throws. Where the
  // binary is there, this would start the real app, so it is left out.
  it.skipIf(existsSync(join(root, 'node_modules/electron/path.txt')))(
    'says the same where the electron package fetched no binary at all',
    () => {
      const run = start({});
      expect(run.stdout).toBe(MESSAGE);
      expect(run.status).toBe(0);
    },
  );

  it('launches the binary on dist/electron/main.js, passing what follows --', () => {
    const dist = mkdtempSync(join(scratch, 'electron-dist-'));
    const argsFile = join(scratch, 'args.txt');
    writeFileSync(join(dist, 'electron'), `#!/bin/sh\nprintf '%s\\n' "$@" > '${argsFile}'\nexit 7\n`);
    chmodSync(join(dist, 'electron'), 0o755);
    const run = start({ ELECTRON_OVERRIDE_DIST_PATH: dist }, ['--no-build', '--', '--enable-logging']);
    expect(run.stdout).toBe('');
    expect(readFileSync(argsFile, 'utf8').split('\n').filter(Boolean)).toEqual([
      'dist/electron/main.js',
      '--enable-logging',
    ]);
    // The app's exit code is npm start's.
    expect(run.status).toBe(7);
  });
});
