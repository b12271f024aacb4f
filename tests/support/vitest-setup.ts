import { afterAll } from 'vitest';
import { stopStarted } from './processes';

// Registered before any test file's own hooks, so it runs after them: whatever a file's tests started
// and did not stop (a failed assertion, a timeout) is killed before the next file runs.
afterAll(async () => {
  await stopStarted();
});
