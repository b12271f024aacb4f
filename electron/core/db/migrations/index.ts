import type { Database } from 'better-sqlite3';
import * as outboxAndCache from './001-outbox-and-cache';
import * as runs from './002-runs';
import * as verifying from './003-verifying';
import * as shifts from './005-shifts';

/**
 * One entry per schema version, in order; user_version is the number of entries applied. Each file's
 * number names it, not its version: 005-shifts is written to be safe in any position (see its header).
 */
export const migrations: ReadonlyArray<(db: Database) => void> = [
  outboxAndCache.up,
  runs.up,
  verifying.up,
  shifts.up,
];
