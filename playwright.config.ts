import { defineConfig } from '@playwright/test';

/**
 * End-to-end suites. Browser mode runs in Debian's Chromium (Playwright's own browser download is not
 * reachable here); the Electron spec launches Electron itself where its binary exists and skips with
 * the reason where it does not. Each spec starts its own reference server and station host processes.
 */
export default defineConfig({
  testDir: 'tests/e2e',
  // One run directory for temp folders and started processes; its teardown kills and removes what is left.
  globalSetup: './tests/support/global-setup.ts',
  outputDir: 'test-results/e2e',
  // Two cores: one station, one server and one browser at a time keep timings honest.
  workers: 1,
  fullyParallel: false,
  timeout: 120_000,
  expect: { timeout: 15_000 },
  reporter: [['list'], ['html', { outputFolder: 'playwright-report', open: 'never' }]],
  use: {
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    {
      name: 'browser',
      testIgnore: /electron\.spec\.ts/,
      use: {
        browserName: 'chromium',
        viewport: { width: 1440, height: 900 },
        launchOptions: {
          executablePath: process.env.KEYBENCH_CHROMIUM ?? '/usr/bin/chromium',
          args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-quic',
            '--no-first-run',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
          ],
        },
      },
    },
    { name: 'electron', testMatch: /electron\.spec\.ts/ },
  ],
});
