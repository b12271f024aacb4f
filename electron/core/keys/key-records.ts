import type { Database, Statement } from 'better-sqlite3';
import type { KeyState } from '../../../shared/station/models';

export interface KeyRecord {
  state: KeyState;
  orderId: number | null;
  actionResult: number | null;
}

/** What this station last did with each key, so the bench can show "in an order", "written", "failed". */
export class KeyRecords {
  private readonly upsert;
  private readonly select;
  private readonly selectMany;
  private readonly markInOrder: Statement<[{ orderId: number; now: number; ids: string }]>;

  constructor(
    db: Database,
    private readonly now: () => number,
  ) {
    this.upsert = db.prepare(
      `INSERT INTO key_records (dongle_id, order_id, state, action_result, updated_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT(dongle_id) DO UPDATE SET order_id = excluded.order_id, state = excluded.state,
         action_result = excluded.action_result, updated_at = excluded.updated_at`,
    );
    this.select = db.prepare<
      [number],
      { state: KeyState; order_id: number | null; action_result: number | null }
    >('SELECT state, order_id, action_result FROM key_records WHERE dongle_id = ?');
    this.selectMany = db.prepare<
      [string],
      { dongle_id: number; state: KeyState; order_id: number | null; action_result: number | null }
    >(
      `SELECT dongle_id, state, order_id, action_result FROM key_records
        WHERE dongle_id IN (SELECT value FROM json_each(?))`,
    );
    // A key already written with this order keeps "written" when the order's keys are (re)added.
    this.markInOrder = db.prepare<[{ orderId: number; now: number; ids: string }]>(
      `INSERT INTO key_records (dongle_id, order_id, state, action_result, updated_at)
         SELECT value, @orderId, 'in-order', NULL, @now FROM json_each(@ids) WHERE true
       ON CONFLICT(dongle_id) DO UPDATE SET order_id = excluded.order_id, state = 'in-order',
         action_result = NULL, updated_at = excluded.updated_at
       WHERE NOT (key_records.state = 'written' AND key_records.order_id = excluded.order_id)`,
    );
  }

  /** Records of many keys in one query (the bench list is rebuilt after every batch). */
  getMany(dongleIds: number[]): Map<number, KeyRecord> {
    const records = new Map<number, KeyRecord>();
    for (const row of this.selectMany.all(JSON.stringify(dongleIds))) {
      records.set(row.dongle_id, {
        state: row.state,
        orderId: row.order_id,
        actionResult: row.action_result,
      });
    }
    return records;
  }

  /** A settled batch's keys, in one statement and one commit: 500 keys must not cost 500 commits. */
  markAddedToOrder(dongleIds: number[], orderId: number): void {
    this.markInOrder.run({ orderId, now: this.now(), ids: JSON.stringify(dongleIds) });
  }

  set(dongleId: number, state: KeyState, orderId: number | null, actionResult: number | null = null): void {
    this.upsert.run(dongleId, orderId, state, actionResult, this.now());
  }
}
