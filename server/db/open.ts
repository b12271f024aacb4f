import Database from 'better-sqlite3';
import { migrations } from './migrations';

/** A database file the server refuses to start on; the message names the file, on one line. */
export class DatabaseFileError extends Error {
  constructor(
    readonly file: string,
    reason: string,
  ) {
    super(`${file}: ${reason}`);
  }
}

export class SchemaTooNewError extends DatabaseFileError {
  constructor(file: string, found: number, known: number) {
    super(
      file,
      `the database is at schema version ${found}, newer than this server knows (${known}); refusing to open it`,
    );
  }
}

const reasonOf = (error: unknown) =>
  (error instanceof Error ? error.message : String(error)).replace(/\s*\n\s*/g, ' ');

/**
 * Opens (or creates) the server database in WAL mode and brings its schema up to date.
 *
 * Nothing is written before the file has passed two checks: its schema version is one this server
 * knows (a newer server's file stays byte for byte as it was, journal mode included), and the server
 * may write it (a read-only file would otherwise be served until the first write failed with a 500).
 * nativeBinding: an Electron-ABI build of better-sqlite3, when the embedded server runs inside Electron.
 */
export function openServerDatabase(
  file: string,
  options: { nativeBinding?: string } = {},
): Database.Database {
  let db: Database.Database;
  try {
    db = new Database(file, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  } catch (error) {
    throw new DatabaseFileError(file, reasonOf(error));
  }
  try {
    // Reading the header's user_version writes nothing.
    const current = db.pragma('user_version', { simple: true }) as number;
    if (current > migrations.length) throw new SchemaTooNewError(file, current, migrations.length);
    refuseReadOnly(db, file, current);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    migrate(db, current);
  } catch (error) {
    db.close();
    throw error instanceof DatabaseFileError ? error : new DatabaseFileError(file, reasonOf(error));
  }
  return db;
}

/**
 * SQLite silently opens a file it may not write read-only, and even takes the write lock on it. Writing
 * the header's own user_version back inside a transaction that is rolled back changes no byte of the
 * file, and fails (SQLITE_READONLY) exactly when a later write would.
 */
function refuseReadOnly(db: Database.Database, file: string, version: number): void {
  try {
    db.exec('BEGIN IMMEDIATE');
    db.pragma(`user_version = ${version}`);
  } catch (error) {
    const code = (error as { code?: string }).code ?? '';
    if (code.startsWith('SQLITE_READONLY')) {
      throw new DatabaseFileError(
        file,
        'the server cannot write this database file (read-only file, folder or disk); make it writable or use another --data folder',
      );
    }
    throw error;
  } finally {
    if (db.inTransaction) db.exec('ROLLBACK');
  }
}

function migrate(db: Database.Database, current: number): void {
  for (let version = current; version < migrations.length; version++) {
    db.transaction(() => {
      migrations[version]!(db);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}
