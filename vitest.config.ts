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
  },
});
