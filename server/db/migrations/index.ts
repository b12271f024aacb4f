import type { Database } from 'better-sqlite3';
import * as initial from './001-initial';

/** One entry per schema version, in order; user_version is the index of the last one applied. */
export const migrations: ReadonlyArray<(db: Database) => void> = [initial.up];
