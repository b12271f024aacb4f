import { setupRun } from './test-run';

/** vitest `globalSetup` and Playwright `globalSetup`: both take the teardown this returns. */
export default function globalSetup(): Promise<() => Promise<void>> {
  return setupRun();
}
