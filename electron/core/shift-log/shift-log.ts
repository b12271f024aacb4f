import type { Database, Statement } from 'better-sqlite3';
import type { ShiftLogEntry } from '../../../shared/station/models';
import { keyOutcomesCsv, orderSummaryCsv } from './shift-csv';
import { Shifts } from './shifts';

/** What the shift log captures about an entry at the moment it happens (station, order, key). */
export interface EntryContext {
  stationName(): string;
  /** The order's number and customer as this station knows them; null when it does not. */
  order(orderId: number): { number: number; customer: string } | null;
  /** The key's model in words and the USB port it is (or was last) in; null when never seen. */
  key(dongleId: number): { model: string; usbPort: string } | null;
}

const noContext: EntryContext = { stationName: () => '', order: () => null, key: () => null };

export interface NewShiftLogEntry {
  action: string;
  orderId?: number | null;
  dongleId?: number | null;
  outcome: string;
  /** The outcome in words: the CSV's "meaning". */
  detail?: string;
  code?: number | null;
  /** One key's outcome (a row of the CSV); events about a run or a batch leave it out. */
  keyOutcome?: boolean;
}

interface Row {
  id: number;
  at: number;
  action: string;
  orderId: number | null;
  dongleId: number | null;
  outcome: string;
  detail: string;
  shiftId: number | null;
  station: string;
  operator: string;
  orderNumber: number | null;
  customer: string;
  keyModel: string;
  usbPort: string;
  code: number | null;
  keyOutcome: number;
}

const COLUMNS = `id, at, action, order_id AS orderId, dongle_id AS dongleId, outcome, detail,
  shift_id AS shiftId, station, operator, order_number AS orderNumber, customer, key_model AS keyModel,
  usb_port AS usbPort, code, key_outcome AS keyOutcome`;

const toEntry = (row: Row): ShiftLogEntry => ({ ...row, keyOutcome: row.keyOutcome === 1 });

/** Everything this station did, per shift, for the Shift log screen and its CSV exports. */
export class ShiftLog {
  readonly shifts: Shifts;
  private readonly context: EntryContext;
  private readonly insert: Statement<unknown[]>;
  private readonly ofShift: Statement<[number], Row>;
  private readonly since: Statement<[number], Row>;

  constructor(
    db: Database,
    private readonly now: () => number,
    options: { shifts?: Shifts; context?: EntryContext } = {},
  ) {
    this.shifts = options.shifts ?? new Shifts(db, now);
    this.context = options.context ?? noContext;
    this.insert = db.prepare(
      `INSERT INTO shift_log (at, action, order_id, dongle_id, outcome, detail, shift_id, station, operator,
         order_number, customer, key_model, usb_port, code, key_outcome)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.ofShift = db.prepare(`SELECT ${COLUMNS} FROM shift_log WHERE shift_id = ? ORDER BY id`);
    this.since = db.prepare(`SELECT ${COLUMNS} FROM shift_log WHERE at >= ? ORDER BY id`);
  }

  /**
   * Records an entry in the shift open now (the station opens one with no operator if none is), with
   * the station, order and key as they are now: a later rename, re-plug or order edit leaves it be.
   */
  record(entry: NewShiftLogEntry): void {
    const shift = this.shifts.openForEntry();
    const order = entry.orderId != null ? this.context.order(entry.orderId) : null;
    const key = entry.dongleId != null ? this.context.key(entry.dongleId) : null;
    this.insert.run(
      this.now(),
      entry.action,
      entry.orderId ?? null,
      entry.dongleId ?? null,
      entry.outcome,
      entry.detail ?? '',
      shift.id,
      this.context.stationName(),
      shift.operator,
      order?.number ?? null,
      order?.customer ?? '',
      key?.model ?? '',
      key?.usbPort ?? '',
      entry.code ?? null,
      entry.keyOutcome ? 1 : 0,
    );
  }

  /** The entries of a shift (the open one by default; none when no shift is open), or all since a time. */
  list(filter: { shiftId?: number; since?: number } = {}): ShiftLogEntry[] {
    if (filter.since !== undefined && filter.shiftId === undefined)
      return this.since.all(filter.since).map(toEntry);
    const shiftId = filter.shiftId ?? this.shifts.current()?.id;
    return shiftId === undefined ? [] : this.ofShift.all(shiftId).map(toEntry);
  }

  /** One row per key outcome (see keyOutcomesCsv). */
  csv(filter: { shiftId?: number; since?: number } = {}): string {
    return keyOutcomesCsv(this.list(filter));
  }

  /** The shift's key outcomes per order (see orderSummaryCsv). */
  summaryCsv(filter: { shiftId?: number } = {}): string {
    return orderSummaryCsv(this.list(filter));
  }
}
