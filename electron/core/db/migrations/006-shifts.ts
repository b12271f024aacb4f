import type { Database } from 'better-sqlite3';

/**
 * Shifts (issue 10): the operator's shift runs from "Start shift" to "End shift", and every shift-log
 * entry belongs to the shift open when it happened, with what the CSV needs captured at that moment.
 *
 * Migrations are applied by their position in the list (user_version = how many ran), so two branches
 * that each append one can be merged in either order. This one is therefore written to be harmless
 * wherever it lands: it creates only what is missing and adds only columns that are not there yet.
 */
const NEW_COLUMNS: ReadonlyArray<[string, string]> = [
  ['shift_id', 'INTEGER REFERENCES shifts(id)'],
  ['station', "TEXT NOT NULL DEFAULT ''"],
  ['operator', "TEXT NOT NULL DEFAULT ''"],
  ['order_number', 'INTEGER'],
  ['customer', "TEXT NOT NULL DEFAULT ''"],
  ['key_model', "TEXT NOT NULL DEFAULT ''"],
  ['usb_port', "TEXT NOT NULL DEFAULT ''"],
  ['code', 'INTEGER'],
  ['key_outcome', 'INTEGER NOT NULL DEFAULT 0'],
];

export function up(db: Database): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS shifts (
      id INTEGER PRIMARY KEY,
      operator TEXT NOT NULL,
      started_at INTEGER NOT NULL,
      ended_at INTEGER
    );
    -- At most one open shift per station: the database refuses a second one, whatever the code does.
    CREATE UNIQUE INDEX IF NOT EXISTS shifts_one_open ON shifts((ended_at IS NULL)) WHERE ended_at IS NULL;
  `);
  const have = new Set(
    (db.prepare('PRAGMA table_info(shift_log)').all() as Array<{ name: string }>).map((c) => c.name),
  );
  const adding = NEW_COLUMNS.filter(([name]) => !have.has(name));
  for (const [name, type] of adding) db.exec(`ALTER TABLE shift_log ADD COLUMN ${name} ${type}`);
  db.exec('CREATE INDEX IF NOT EXISTS shift_log_by_shift ON shift_log(shift_id, id)');
  if (!adding.some(([name]) => name === 'shift_id')) return;
  // The log before shifts was read per calendar day: each local day becomes an ended shift of no
  // operator, so the old days stay in the Shift log's picker and their CSVs can still be exported.
  db.exec(`
    INSERT INTO shifts (operator, started_at, ended_at)
      SELECT '(no operator)', min(at), max(at) FROM shift_log
       GROUP BY date(at / 1000, 'unixepoch', 'localtime') ORDER BY min(at);
    UPDATE shift_log SET
      shift_id = (SELECT id FROM shifts WHERE shift_log.at BETWEEN started_at AND ended_at),
      operator = '(no operator)',
      -- A key's rows were its write and then its read-back ('verify'): the write is the key's row.
      key_outcome = CASE WHEN dongle_id IS NOT NULL AND action <> 'verify' THEN 1 ELSE 0 END;
  `);
}
