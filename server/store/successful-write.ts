import type { Database, Statement } from 'better-sqlite3';
import { ActionResult } from '../../shared/guardant/codes';

/**
 * Whether a write of the order into the key succeeded (ActionResult.Success, put into the SQL here): the
 * key then holds the order's licence, so it stays in the order (10040) and writing it again is not
 * billed. Both stores ask this one question, the same way.
 */
export function prepareHasSuccessfulWrite(db: Database): Statement<[number, number], { ok: 1 }> {
  return db.prepare(
    `SELECT 1 AS ok FROM burns WHERE order_id = ? AND dongleid = ? AND actionresult = ${ActionResult.Success} LIMIT 1`,
  );
}
