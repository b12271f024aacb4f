import { defineConfig } from 'vitest/config';

/**
 * The real-USB suite (npm run test:usb): the real `usb` package against a fake bus. All its files
 * share the one bus fake_usb_bus.py provides, so they run one after another.
 */
export default defineConfig({
  test: {
    include: ['tests/usb-real/**/*.test.ts'],
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // The same run directory and teardown as the main suite: a failed test leaves no host behind.
    globalSetup: ['tests/support/global-setup.ts'],
    setupFiles: ['tests/support/vitest-setup.ts'],
  },
});
