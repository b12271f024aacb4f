import type { Database } from 'better-sqlite3';

/**
 * Issue 11: an outbox item's per-key codes (`outbox.result`, an add's retcodes or a write's
 * ActionResult) are JSON numbers, `{"7":0}`, no longer decimal strings, `{"7":"0"}`. In SQLite the text
 * '0' is not the integer 0, so the rows of older builds are converted here, in SQL, and everything that
 * reads them (the Queue's failed-key count, the outcomes) compares numbers with numbers.
 *
 * Only a value that is exactly a decimal integer is cast: CAST('oops' AS INTEGER) would be 0, a
 * success, so anything else is kept as it was and the read path reports it as unreadable. A result
 * that is no JSON object at all is left alone for the same reason (json_each would refuse it).
 * Applying it twice changes nothing: numbers stay numbers.
 */
export function up(db: Database): void {
  db.exec(`
    UPDATE outbox SET result = (
      SELECT json_group_object(
        key,
        CASE WHEN type = 'text' AND CAST(CAST(value AS INTEGER) AS TEXT) = value
          THEN CAST(value AS INTEGER) ELSE value END)
      FROM json_each(outbox.result))
    WHERE result IS NOT NULL AND json_valid(result) AND json_type(result) = 'object';
  `);
}
