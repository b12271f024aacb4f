import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Each file starts its own servers on ephemeral loopback ports and its own SQLite files.
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // expect.poll waits on a state, not a time; its 1 s default is a guess a loaded machine can miss.
    expect: { poll: { timeout: 30_000 } },
    // One run directory for temp folders and started processes; the teardown kills and removes what is left.
    globalSetup: ['tests/support/global-setup.ts'],
    // Two projects: the station, server and shell in Node, the renderer's components in a DOM. Each
    // inherits the settings above (extends: true); `vitest run <path>` picks from both.
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          include: ['tests/**/*.test.ts'],
          // The real-USB suite needs its fake bus: npm run test:usb (vitest.usb-real.config.ts).
          exclude: ['tests/usb-real/**', 'tests/renderer/**', '**/node_modules/**'],
          setupFiles: ['tests/support/vitest-setup.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'renderer',
          // happy-dom, not jsdom: jsdom's current major needs Node 22 and the station runs on Node 20.
          environment: 'happy-dom',
          include: ['tests/renderer/**/*.test.{ts,tsx}'],
          setupFiles: ['tests/renderer/support/dom-setup.ts'],
        },
      },
    ],
  },
});
