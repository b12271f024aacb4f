import Database from 'better-sqlite3';
import { migrations } from './migrations';

export class SchemaTooNewError extends Error {
  constructor(found: number, known: number) {
    super(
      `The database is at schema version ${found}, newer than this server knows (${known}); refusing to open it.`,
    );
  }
}

/** Opens (or creates) the server database in WAL mode and brings its schema up to date. */
/** nativeBinding: an Electron-ABI build of better-sqlite3, when the embedded server runs inside Electron. */
export function openServerDatabase(
  file: string,
  options: { nativeBinding?: string } = {},
): Database.Database {
  const db = new Database(file, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  return db;
}

function migrate(db: Database.Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > migrations.length) {
    db.close();
    throw new SchemaTooNewError(current, migrations.length);
  }
  for (let version = current; version < migrations.length; version++) {
    db.transaction(() => {
      migrations[version]!(db);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}
