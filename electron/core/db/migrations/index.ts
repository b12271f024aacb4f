import type { Database } from 'better-sqlite3';
import * as outboxAndCache from './001-outbox-and-cache';
import * as runs from './002-runs';
import * as verifying from './003-verifying';
import * as runPauses from './004-run-pauses';

/** One entry per schema version, in order; user_version is the number of entries applied. */
export const migrations: ReadonlyArray<(db: Database) => void> = [
  outboxAndCache.up,
  runs.up,
  verifying.up,
  runPauses.up,
];
