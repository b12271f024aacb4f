import type { Database } from 'better-sqlite3';
import * as outboxAndCache from './001-outbox-and-cache';
import * as runs from './002-runs';
import * as verifying from './003-verifying';
import * as outboxRetries from './004-outbox-retries';
import * as taskKeyPlace from './005-task-key-place';
import * as shifts from './006-shifts';
import * as runPauses from './007-run-pauses';
import * as outboxResultNumbers from './008-outbox-result-numbers';

/** One entry per schema version, in order; user_version is the number of entries applied. */
export const migrations: ReadonlyArray<(db: Database) => void> = [
  outboxAndCache.up,
  runs.up,
  verifying.up,
  outboxRetries.up,
  taskKeyPlace.up,
  shifts.up,
  runPauses.up,
  outboxResultNumbers.up,
];
