import type { Database } from 'better-sqlite3';
import * as initial from './001-initial';
import * as orderKeysIndex from './002-order-keys-index';
import * as writeIdempotency from './003-write-idempotency';

/** One entry per schema version, in order; user_version is the index of the last one applied. */
export const migrations: ReadonlyArray<(db: Database) => void> = [
  initial.up,
  orderKeysIndex.up,
  writeIdempotency.up,
];
