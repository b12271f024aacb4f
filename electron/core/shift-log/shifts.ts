import type { Database, Statement } from 'better-sqlite3';
import { NO_OPERATOR, type Shift } from '../../../shared/station/models';

/** "Start shift" while another operator's shift is open: the station says whose, rather than taking it over. */
export class ShiftOpenError extends Error {
  constructor(readonly open: Shift) {
    super(`${open.operator}'s shift is still open. End it before starting another.`);
  }
}

interface ShiftRow {
  id: number;
  operator: string;
  startedAt: number;
  endedAt: number | null;
}

/**
 * The station's shifts: at most one open at a time (the database holds that rule too), kept in the
 * station database so a shift survives a restart and ends only when the operator ends it.
 */
export class Shifts {
  private readonly openRow: Statement<[], ShiftRow>;
  private readonly byId: Statement<[number], ShiftRow>;
  private readonly insert: Statement<[string, number]>;
  private readonly close: Statement<[number, number]>;
  private readonly recent: Statement<[number], ShiftRow>;

  constructor(
    private readonly db: Database,
    private readonly now: () => number,
    private readonly changed: (shift: Shift | null) => void = () => {},
  ) {
    const columns = 'id, operator, started_at AS startedAt, ended_at AS endedAt';
    this.openRow = db.prepare(`SELECT ${columns} FROM shifts WHERE ended_at IS NULL`);
    this.byId = db.prepare(`SELECT ${columns} FROM shifts WHERE id = ?`);
    this.insert = db.prepare('INSERT INTO shifts (operator, started_at) VALUES (?, ?)');
    this.close = db.prepare('UPDATE shifts SET ended_at = ? WHERE id = ? AND ended_at IS NULL');
    this.recent = db.prepare(`SELECT ${columns} FROM shifts ORDER BY id DESC LIMIT ?`);
  }

  current(): Shift | null {
    return this.openRow.get() ?? null;
  }

  get(id: number): Shift | null {
    return this.byId.get(id) ?? null;
  }

  list(limit: number): Shift[] {
    return this.recent.all(limit);
  }

  /**
   * Starts the operator's shift. A shift the station opened by itself (no operator) ends here: what
   * happened before the name was typed stays in it, and is not put on this operator.
   */
  start(operator: string): Shift {
    const name = operator.trim();
    const shift = this.db.transaction(() => {
      const open = this.current();
      if (open && open.operator !== NO_OPERATOR) throw new ShiftOpenError(open);
      const at = this.now();
      if (open) this.close.run(at, open.id);
      return this.get(Number(this.insert.run(name, at).lastInsertRowid))!;
    })();
    this.changed(shift);
    return shift;
  }

  /** Ends the open shift; null when none was open. */
  end(): Shift | null {
    const open = this.current();
    if (!open) return null;
    this.close.run(this.now(), open.id);
    this.changed(null);
    return this.get(open.id);
  }

  /**
   * The shift an entry goes to: the open one, else one the station opens with no operator. Called
   * within the caller's transaction (the entry and its shift commit together); the change is told
   * after a tick, once that transaction has committed.
   */
  openForEntry(): Shift {
    const open = this.current();
    if (open) return open;
    const shift = this.get(Number(this.insert.run(NO_OPERATOR, this.now()).lastInsertRowid))!;
    // Read again then: if the caller's transaction rolled back, there is no new shift to tell of.
    queueMicrotask(() => {
      if (this.db.open) this.changed(this.current());
    });
    return shift;
  }
}
