import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';

// Testing Library unmounts after each test by itself only where the runner has global hooks; vitest's
// are imported, so each rendered tree is taken down here: no test sees the previous one's DOM.
afterEach(() => {
  cleanup();
});
