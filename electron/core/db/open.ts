import Database from 'better-sqlite3';
import { migrations } from './migrations';

export type StationDatabase = Database.Database;

/** A station database written by a newer Keybench: refused rather than guessed at. */
export class StationSchemaTooNewError extends Error {
  constructor(
    readonly file: string,
    readonly found: number,
    readonly known: number,
  ) {
    super(
      `The station database ${file} is at schema version ${found}, newer than this Keybench knows ` +
        `(${known}); refusing to open it. Update Keybench or point it at another data folder.`,
    );
  }
}

/** Any other reason the station database cannot be opened, named with its file (SQLite's own words do not). */
export class StationDatabaseError extends Error {
  constructor(
    readonly file: string,
    cause: unknown,
  ) {
    super(
      `The station database ${file} could not be opened: ${cause instanceof Error ? cause.message : String(cause)}`,
      { cause },
    );
  }
}

/**
 * Opens (or creates) the station database and brings its schema up to date.
 *
 * WAL lets the renderer's reads run while the outbox worker writes. synchronous=NORMAL is enough in
 * WAL mode: a commit survives a crash of the app (the WAL is written before the commit returns) and
 * only a power cut can lose the last commits, never corrupt the file. Losing a just-queued item in a
 * power cut is the same as the operator not having clicked, because the item and the state change
 * that caused it commit together (the runs queue their items inside RunStore.transaction()). The one commit that must survive a power cut, the in-flight mark
 * before a billed licence write, is written with synchronous=FULL by the outbox itself.
 */
/** nativeBinding: an Electron-ABI build of better-sqlite3, when the station runs inside Electron. */
export function openStationDatabase(file: string, options: { nativeBinding?: string } = {}): StationDatabase {
  let db: StationDatabase;
  try {
    db = new Database(file, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  } catch (error) {
    throw new StationDatabaseError(file, error);
  }
  try {
    // Read the version before anything writes: a database of a newer Keybench is refused as it is,
    // not first switched to WAL (which changes the file's header and adds files beside it).
    const current = db.pragma('user_version', { simple: true }) as number;
    if (current > migrations.length) throw new StationSchemaTooNewError(file, current, migrations.length);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    migrate(db, current);
  } catch (error) {
    db.close();
    throw error instanceof StationSchemaTooNewError ? error : new StationDatabaseError(file, error);
  }
  return db;
}

function migrate(db: StationDatabase, current: number): void {
  for (let version = current; version < migrations.length; version++) {
    db.transaction(() => {
      migrations[version]!(db);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}
