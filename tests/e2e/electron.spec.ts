/**
 * The desktop station end to end, in Electron itself: the window on the embedded default, the preload
 * bridge and nothing else, and the shell's refusals (navigation, new windows, foreign IPC) seen from
 * the page. Each test launches its own station on its own data folder and waits on what the app shows
 * or emits, never on a clock.
 *
 * Needs the Electron binary, a display (xvfb-run on a headless Linux) and better-sqlite3 built for
 * Electron (npm run build:electron-native). Where any is missing the spec skips and says which; the
 * browser-mode specs cover the UI there.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  _electron as electron,
  expect,
  test as base,
  type ElectronApplication,
  type Page,
} from '@playwright/test';
import type { PreloadBridge } from '../../shared/ipc/preload-bridge';

const root = fileURLToPath(new URL('../..', import.meta.url));
const require = createRequire(import.meta.url);

/** The Electron binary, or why this machine cannot run the spec. */
function findElectron(): { binary: string } | { skip: string } {
  let binary: unknown;
  try {
    binary = require('electron');
  } catch {
    return {
      skip:
        'Electron binary not available on this machine (the electron package is not installed); ' +
        'the browser-mode specs cover the UI',
    };
  }
  if (typeof binary !== 'string' || !existsSync(binary)) {
    return {
      skip:
        `Electron binary not available on this machine (nothing at ${String(binary)}: its download is not ` +
        'reachable from here; npm start tries it); the browser-mode specs cover the UI',
    };
  }
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    return {
      skip: 'Electron cannot open a window here (no display: run under xvfb-run); the browser-mode specs cover the UI',
    };
  }
  if (!existsSync(join(root, 'native/electron/better_sqlite3.node'))) {
    return {
      skip:
        'Electron cannot open the station database here (better-sqlite3 is not built for Electron: ' +
        'npm run build:electron-native); the browser-mode specs cover the UI',
    };
  }
  return { binary };
}

const electronFound = findElectron();

interface Station {
  app: ElectronApplication;
  page: Page;
}

const test = base.extend<{ station: Station }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright reads the fixture's dependencies from this pattern.
  station: async ({}, use) => {
    if (!('binary' in electronFound)) throw new Error(electronFound.skip);
    const dataDir = mkdtempSync(join(tmpdir(), 'keybench-e2e-'));
    const app = await electron.launch({
      executablePath: electronFound.binary,
      // Chromium refuses to start as root with its OS sandbox (CI containers); the renderer's
      // sandbox: true still holds: the preload gets no Node either way.
      args: [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), join(root, 'dist/electron/main.js')],
      env: {
        ...process.env,
        KEYBENCH_DATA_DIR: dataDir,
        KEYBENCH_SERVER_URL: '',
        ELECTRON_ENABLE_LOGGING: '1',
      },
    });
    try {
      const page = await app.firstWindow();
      await use({ app, page });
    } finally {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
});

test.skip('skip' in electronFound, 'skip' in electronFound ? electronFound.skip : '');

test.beforeAll(() => {
  // What `npm start` would build: main + preload always (a second), the renderer when it is not there.
  const steps: string[][] = [[process.execPath, 'scripts/build-electron.mjs']];
  if (!existsSync(join(root, 'dist/renderer/index.html')))
    steps.push(['npm', 'run', '--silent', 'build:renderer']);
  for (const [command, ...args] of steps) {
    const run = spawnSync(command!, args, { cwd: root, stdio: 'inherit' });
    if (run.status !== 0) throw new Error(`${[command, ...args].join(' ')} failed`);
  }
});

type BridgeWindow = Window & { keybench: PreloadBridge };

test('opens on the Bench with the simulated keys of the embedded default', async ({ station: { page } }) => {
  await expect(page).toHaveURL('app://keybench/index.html');
  await expect(page.getByRole('heading', { name: 'Bench' })).toBeVisible();
  const rows = page.getByRole('grid', { name: 'Keys on the bench' }).locator('tbody tr[data-key-id]');
  await expect(rows).toHaveCount(8);

  // Keys plugged on the simulated bench arrive as events and show without a reload.
  const plugged = await page.evaluate(() =>
    (window as unknown as BridgeWindow).keybench.invoke('bench:simulate', { action: 'plug', count: 2 }),
  );
  expect(plugged.ok).toBe(true);
  await expect(rows).toHaveCount(10);
});

test('gives the page window.keybench with invoke and onEvent, and no Node', async ({ station: { page } }) => {
  const surface = await page.evaluate(() => {
    const w = window as unknown as BridgeWindow & Record<string, unknown>;
    return {
      bridgeKeys: Object.keys(w.keybench).sort(),
      invoke: typeof w.keybench.invoke,
      onEvent: typeof w.keybench.onEvent,
      require: typeof w.require,
      process: typeof w.process,
      module: typeof w.module,
      Buffer: typeof w.Buffer,
      electronGlobals: Object.getOwnPropertyNames(window).filter((n) => /ipc|electron/i.test(n)),
    };
  });
  expect(surface).toEqual({
    bridgeKeys: ['invoke', 'onEvent'],
    invoke: 'function',
    onEvent: 'function',
    require: 'undefined',
    process: 'undefined',
    module: 'undefined',
    Buffer: 'undefined',
    electronGlobals: [],
  });

  // The page's own responses carry the policy.
  const csp = await page.evaluate(async () =>
    (await fetch('/index.html')).headers.get('content-security-policy'),
  );
  expect(csp).toContain("script-src 'self'");
});

test('keeps the window on its own origin', async ({ station: { app, page } }) => {
  await expect(page.getByRole('heading', { name: 'Bench' })).toBeVisible();
  const attempt = app.evaluate(
    ({ BrowserWindow }) =>
      new Promise<{ url: string; prevented: boolean }>((resolve) => {
        const contents = BrowserWindow.getAllWindows()[0]!.webContents;
        // Registered after main's own guard, so it sees main's verdict.
        contents.once('will-navigate', (event, url) => resolve({ url, prevented: event.defaultPrevented }));
      }),
  );
  await page.evaluate(() => {
    window.location.href = 'https://example.com/';
  });
  expect(await attempt).toEqual({ url: 'https://example.com/', prevented: true });
  await expect(page).toHaveURL('app://keybench/index.html');
  await expect(page.getByRole('heading', { name: 'Bench' })).toBeVisible();
});

test('opens no other window', async ({ station: { app, page } }) => {
  const opened = await page.evaluate(() => [
    window.open('https://example.com/') === null,
    window.open('app://keybench/index.html') === null,
  ]);
  expect(opened).toEqual([true, true]);
  expect(app.windows()).toHaveLength(1);
});

test('answers a foreign channel with a typed error, and gives a sub-frame no bridge', async ({
  station: { page },
}) => {
  const unknown = await page.evaluate(() =>
    (window as unknown as BridgeWindow).keybench.invoke('fs:readFile', { path: '/etc/passwd' }),
  );
  expect(unknown).toEqual({ ok: false, error: { code: 'UNKNOWN_CHANNEL', message: expect.any(String) } });

  const malformed = await page.evaluate(() =>
    (window as unknown as BridgeWindow).keybench.invoke('orders:get', { orderId: 'all' }),
  );
  expect(malformed).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });

  // A sub-frame gets no preload of its own (nodeIntegrationInSubFrames is off), so it has no bridge
  // to call main with. (Our own page cannot be framed at all: frame-ancestors 'none'; other origins
  // are refused by frame-src and by main's navigation guard.) An iframe without src is a same-origin
  // about:blank document: the one kind of sub-frame the page can make.
  await page.evaluate(() => {
    const frame = document.createElement('iframe');
    frame.name = 'probe';
    document.body.append(frame);
  });
  await expect.poll(() => page.frame({ name: 'probe' }) !== null).toBe(true);
  const probe = page.frame({ name: 'probe' })!;
  expect(probe.parentFrame()).toBe(page.mainFrame());
  expect(await probe.evaluate(() => typeof (window as unknown as Partial<BridgeWindow>).keybench)).toBe(
    'undefined',
  );
});
