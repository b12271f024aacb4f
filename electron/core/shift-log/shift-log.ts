import type { Database } from 'better-sqlite3';
import { stringify } from 'csv-stringify/sync';
import type { ShiftLogEntry } from '../../../shared/station/models';

export type NewShiftLogEntry = Omit<ShiftLogEntry, 'id' | 'at' | 'orderId' | 'dongleId' | 'detail'> & {
  orderId?: number | null;
  dongleId?: number | null;
  detail?: string;
};

/** Start of the operator's day in local time: the default span of "today's shift". */
export function startOfToday(now: number): number {
  const d = new Date(now);
  d.setHours(0, 0, 0, 0);
  return d.getTime();
}

/** Everything this station did, for the shift report and its CSV export. */
export class ShiftLog {
  private readonly insert;
  private readonly since;

  constructor(
    db: Database,
    private readonly now: () => number,
  ) {
    this.insert = db.prepare(
      'INSERT INTO shift_log (at, action, order_id, dongle_id, outcome, detail) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.since = db.prepare<[number], ShiftLogEntry>(
      `SELECT id, at, action, order_id AS orderId, dongle_id AS dongleId, outcome, detail
         FROM shift_log WHERE at >= ? ORDER BY id`,
    );
  }

  record(entry: NewShiftLogEntry): void {
    this.insert.run(
      this.now(),
      entry.action,
      entry.orderId ?? null,
      entry.dongleId ?? null,
      entry.outcome,
      entry.detail ?? '',
    );
  }

  list(since = startOfToday(this.now())): ShiftLogEntry[] {
    return this.since.all(since);
  }

  /** CSV with a header row; cells that a spreadsheet would run as formulas are escaped. */
  csv(since?: number): string {
    const rows = this.list(since).map((e) => [
      new Date(e.at).toISOString(),
      e.action,
      e.orderId ?? '',
      e.dongleId ?? '',
      e.outcome,
      e.detail,
    ]);
    return stringify([['time', 'action', 'order', 'key', 'outcome', 'detail'], ...rows], {
      escape_formulas: true,
    });
  }
}
