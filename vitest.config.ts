import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // The real-USB suite needs its fake bus: npm run test:usb (vitest.usb-real.config.ts).
    exclude: ['tests/usb-real/**', '**/node_modules/**'],
    // Each file starts its own servers on ephemeral loopback ports and its own SQLite files.
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // expect.poll waits on a state, not a time; its 1 s default is a guess a loaded machine can miss.
    expect: { poll: { timeout: 30_000 } },
    // One run directory for temp folders and started processes; the teardown kills and removes what is left.
    globalSetup: ['tests/support/global-setup.ts'],
    setupFiles: ['tests/support/vitest-setup.ts'],
  },
});
