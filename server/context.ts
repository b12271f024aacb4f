import type { Database } from 'better-sqlite3';
import type { Authenticator } from './http/auth';

/** What every route module is handed: the database, the clock and the gatekeeper. */
export interface ServerContext {
  db: Database;
  auth: Authenticator;
  /** Unix seconds; injectable so tests can pin dates. */
  now: () => number;
  /** Demo and training servers accept scripted faults over HTTP; production ones do not. */
  adminEnabled: boolean;
  /** The vendor this server serves, named in GET /v1.0/vendor (a station's "Test connection" says it). */
  vendorName: string;
}
