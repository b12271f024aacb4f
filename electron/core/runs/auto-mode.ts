import {
  AUTO_MODE_MAX_ROWS,
  AUTO_MODE_OFF,
  type AutoKey,
  type AutoKeyOutcome,
  type AutoModeState,
} from '../../../shared/station/auto-mode';
import type { Preflight, PreflightKey, WriteProgress } from '../../../shared/station/models';
import { GuardantApiError, ServerUnreachableError } from '../api/errors';
import { StationFault } from '../ipc/station-fault';
import { StationErrorCode } from '../../../shared/ipc/result';

export interface AutoModePorts {
  /** The run pre-flight of these plugged keys for the order ('write', no re-writing confirmed). */
  preflight(orderId: number, dongleIds: number[]): Promise<Preflight>;
  /** Starts a run of one key (Runs.start); its progress comes back through onProgress. */
  startRun(orderId: number, dongleId: number): number;
  /** The keys identified on the bench now. */
  plugged(): number[];
  /** Where a plugged key is (plug number, USB port); null when it is not on the bench. */
  place(dongleId: number): { plugOrder: number; usbPath: string | null } | null;
  /** Called with the bench's keys each time the inventory settles a change; returns the unsubscribe. */
  onBenchChanged(listener: (dongleIds: number[]) => void): () => void;
  onProgress(listener: (event: WriteProgress) => void): () => void;
  changed(state: AutoModeState): void;
  /** A key left alone goes into the shift log with its reason, like a run's skipped key. */
  leftAlone(orderId: number, dongleId: number, reason: string): void;
  now(): number;
  log(message: string, error?: unknown): void;
}

interface Row extends AutoKey {
  /** Its run's add has landed: a failure after that leaves the key in the order, holding its place. */
  added: boolean;
  /** It takes one of the order's places (a key already in the order takes none). */
  takesPlace: boolean;
}

interface Session {
  orderId: number;
  orderNumber: number;
  customer: string | null;
  /**
   * The order's places this session may still fill: the server's count at the start, less every key it
   * took since (their adds may not have landed yet, so the server's count alone would give a place twice).
   */
  placesLeft: number;
  /** Keys on the bench as last seen: a key not among them when it shows up is a new arrival. */
  present: Set<number>;
  queue: Row[];
  rows: Row[];
  byRun: Map<number, Row>;
  /** Keys written in this session: plugged again, they are left alone, never written twice. */
  written: Set<number>;
  counts: { written: number; failed: number; flagged: number };
  nextSeq: number;
}

const FINAL: ReadonlySet<AutoKeyOutcome> = new Set(['written', 'failed', 'flagged']);

const STOPPED_BEFORE = 'Auto mode stopped before this key was checked; it was left alone.';
const ORDER_FULL = 'Order full: no place left for this key. Left alone.';
const UNREACHABLE =
  'The server cannot be reached, so the key could not be checked; it was left alone. Plug it again once the connection is back.';

/**
 * Auto mode: while on, each key plugged after it started is pre-flighted for its order and, when the
 * pre-flight takes it, written by its own run (Runs.start, so it is as durable and restart-safe as any
 * run). One run per key rather than one growing run: a run is created with all its tasks in one
 * transaction and finishes once they are final, which a run that keeps taking keys would break; the
 * operator's one result list is this session's rows, one per arrival.
 *
 * Places: arrivals are pre-flighted one batch at a time (whatever arrived while the last batch was
 * asked about), and the session counts the places it fills itself, since the adds of the keys before
 * may still be on their way to the server; the pre-flight's own count is the other bound (another
 * station may fill the order too). A key refused at its add gives its place back. When the places are
 * used up the session ends by itself and says so. Nothing here is stored: a restart
 * finds auto mode off.
 */
export class AutoMode {
  private session: Session | null = null;
  /** The last session, kept after it ended so its results stay on screen and its writes still report. */
  private last: Session | null = null;
  private ended: string | null = null;
  private working = false;
  /** Progress a run sends while it is being started (before its id is known), replayed right after. */
  private starting: WriteProgress[] | null = null;
  private readonly offBench: () => void;
  private readonly offProgress: () => void;

  constructor(private readonly ports: AutoModePorts) {
    this.offBench = ports.onBenchChanged((ids) => this.benchChanged(ids));
    this.offProgress = ports.onProgress((event) => this.progress(event));
  }

  state(): AutoModeState {
    const s = this.session ?? this.last;
    if (!s) return { ...AUTO_MODE_OFF, ended: this.ended };
    const inProgress = s.rows.filter((r) => !FINAL.has(r.outcome)).length;
    return {
      on: this.session !== null,
      orderId: s.orderId,
      orderNumber: s.orderNumber,
      customer: s.customer,
      placesLeft: s.placesLeft,
      ended: this.session ? null : this.ended,
      counts: { ...s.counts, inProgress },
      keys: s.rows.slice(0, AUTO_MODE_MAX_ROWS).map(({ added: _a, takesPlace: _t, ...row }) => ({ ...row })),
    };
  }

  async start(orderId: number): Promise<AutoModeState> {
    if (this.session) {
      throw new StationFault(
        StationErrorCode.Conflict,
        `Auto mode is already on for order ${this.session.orderNumber}. Stop it first.`,
      );
    }
    // The order as the server holds it now; the same pre-flight the keys get, of no key.
    const order = await this.ports.preflight(orderId, []);
    if (this.session) {
      throw new StationFault(StationErrorCode.Conflict, 'Auto mode was turned on meanwhile.');
    }
    if (order.placesLeft === 0) {
      throw new StationFault(
        StationErrorCode.Conflict,
        `Order ${order.orderNumber} has no place left for another key.`,
      );
    }
    this.session = {
      orderId,
      orderNumber: order.orderNumber,
      customer: order.customer,
      placesLeft: order.placesLeft,
      // Keys already on the bench are not arrivals: only keys plugged from now on are taken.
      present: new Set(this.ports.plugged()),
      queue: [],
      rows: [],
      byRun: new Map(),
      written: new Set(),
      counts: { written: 0, failed: 0, flagged: 0 },
      nextSeq: 1,
    };
    this.last = null;
    this.ended = null;
    this.emit();
    return this.state();
  }

  /** Takes no more keys. Keys already being written finish, and their rows still change. */
  stop(reason = 'Stopped.', queued = STOPPED_BEFORE): AutoModeState {
    const s = this.session;
    if (!s) return this.state();
    this.session = null;
    this.last = s;
    this.ended = reason;
    for (const row of s.queue.splice(0)) this.flag(s, row, queued);
    this.emit();
    return this.state();
  }

  close(): void {
    this.stop();
    this.offBench();
    this.offProgress();
  }

  private benchChanged(ids: number[]): void {
    const s = this.session;
    if (!s) return;
    const now = new Set(ids);
    const arrivals = ids.filter((id) => !s.present.has(id));
    // Unplugged keys leave `present`: plugged again, they are a new arrival.
    s.present = now;
    if (!arrivals.length) return;
    for (const dongleId of arrivals) {
      const row = this.addRow(s, dongleId);
      if (s.written.has(dongleId)) {
        this.flag(s, row, 'Already written in this session; left alone, not written twice.');
      } else if (s.rows.some((r) => r !== row && r.dongleId === dongleId && !FINAL.has(r.outcome))) {
        this.flag(s, row, 'Already being written in this session; left alone.');
      } else {
        s.queue.push(row);
      }
    }
    this.emit();
    void this.work();
  }

  private addRow(s: Session, dongleId: number): Row {
    const at = this.ports.now();
    const place = this.ports.place(dongleId);
    const row: Row = {
      seq: s.nextSeq++,
      dongleId,
      plugOrder: place?.plugOrder ?? null,
      usbPath: place?.usbPath ?? null,
      outcome: 'checking',
      message: 'Checking the key for the order…',
      runId: null,
      pluggedAt: at,
      updatedAt: at,
      added: false,
      takesPlace: false,
    };
    s.rows.unshift(row);
    if (s.rows.length > AUTO_MODE_MAX_ROWS) s.rows.length = AUTO_MODE_MAX_ROWS;
    return row;
  }

  /** One batch at a time, so two batches never count the same place. */
  private async work(): Promise<void> {
    if (this.working) return;
    this.working = true;
    try {
      for (;;) {
        const s = this.session;
        if (!s || !s.queue.length) return;
        const batch = s.queue.splice(0);
        await this.runBatch(s, batch);
      }
    } catch (error) {
      // Never let a surprise take the station down: the keys of the batch are said, the rest goes on.
      this.ports.log('auto mode: could not handle plugged keys', error);
    } finally {
      this.working = false;
      if (this.session?.queue.length) void this.work();
    }
  }

  private async runBatch(s: Session, batch: Row[]): Promise<void> {
    let verdict: Preflight;
    try {
      verdict = await this.ports.preflight(
        s.orderId,
        batch.map((r) => r.dongleId),
      );
    } catch (error) {
      const reason = words(error);
      for (const row of batch) this.flag(s, row, reason);
      this.emit();
      return;
    }
    const byKey = new Map(verdict.keys.map((k) => [k.dongleId, k]));
    // The pre-flight gives places in plug order from the server's count; the session's own count may be
    // lower (its earlier keys' adds still on their way).
    let taken = 0;
    let full = false;
    for (const row of batch) {
      if (this.session !== s) {
        this.flag(s, row, STOPPED_BEFORE);
        continue;
      }
      const key = byKey.get(row.dongleId);
      if (!key) {
        // Unplugged between arriving and being asked about: nothing to write.
        this.flag(s, row, 'The key was unplugged before it could be checked; left alone.');
        continue;
      }
      const left =
        key.decision === 'add' && (s.placesLeft <= 0 || taken >= verdict.placesLeft)
          ? ORDER_FULL
          : leftAloneBecause(key);
      if (left) {
        this.flag(s, row, left);
        if (key.leftOut === 'order-full' || key.decision === 'add') full = true;
        continue;
      }
      row.takesPlace = key.decision === 'add';
      if (row.takesPlace) {
        taken++;
        s.placesLeft--;
      }
      this.set(row, 'writing', row.takesPlace ? 'Adding to the order…' : 'Writing…');
      this.starting = [];
      try {
        row.runId = this.ports.startRun(s.orderId, row.dongleId);
        s.byRun.set(row.runId, row);
      } catch (error) {
        if (row.takesPlace) s.placesLeft++;
        row.takesPlace = false;
        this.finish(s, row, 'failed', words(error));
      } finally {
        // A run that skips its key at once (another run is writing it) says so before returning.
        const early = this.starting;
        this.starting = null;
        for (const event of early) this.progress(event);
      }
    }
    if (this.session === s && (full || s.placesLeft === 0)) {
      this.stop(
        `Order ${s.orderNumber} is full: every place is taken, so auto mode stopped taking keys.`,
        ORDER_FULL,
      );
      return;
    }
    this.emit();
  }

  private progress(event: WriteProgress): void {
    if (this.starting) {
      this.starting.push(event);
      return;
    }
    const s = [this.session, this.last].find((x) => x?.byRun.has(Number(event.jobId)));
    const row = s?.byRun.get(Number(event.jobId));
    if (!s || !row || row.dongleId !== event.dongleId || FINAL.has(row.outcome)) return;
    switch (event.stage) {
      case 'queued':
      case 'adding':
        this.set(row, 'writing', event.message);
        break;
      case 'writing':
      case 'verifying':
        row.added = true;
        this.set(row, 'writing', event.message);
        break;
      case 'done':
        row.added = true;
        s.written.add(row.dongleId);
        this.finish(s, row, 'written', event.message);
        break;
      case 'failed':
      case 'unplugged':
        // Refused or lost before its add landed: the key is not in the order, its place is free again.
        if (row.takesPlace && !row.added) s.placesLeft++;
        this.finish(s, row, 'failed', event.message);
        break;
    }
    this.emit();
  }

  private set(row: Row, outcome: AutoKeyOutcome, message: string): void {
    row.outcome = outcome;
    row.message = message;
    row.updatedAt = this.ports.now();
  }

  private finish(s: Session, row: Row, outcome: 'written' | 'failed', message: string): void {
    this.set(row, outcome, message);
    s.counts[outcome]++;
  }

  private flag(s: Session, row: Row, reason: string): void {
    this.set(row, 'flagged', reason);
    s.counts.flagged++;
    try {
      this.ports.leftAlone(s.orderId, row.dongleId, reason);
    } catch (error) {
      this.ports.log(`auto mode: could not log key ${row.dongleId} left alone`, error);
    }
  }

  private emit(): void {
    this.ports.changed(this.state());
  }
}

/** Why auto mode leaves a key alone, or null when it writes it. It never re-writes without asking. */
function leftAloneBecause(key: PreflightKey): string | null {
  if (key.decision === 'in-order') {
    return key.writtenForThisOrder ? 'Already written for this order; left alone.' : null;
  }
  if (key.decision === 'left-out') return `${key.message} Left alone.`;
  return null;
}

function words(error: unknown): string {
  if (error instanceof ServerUnreachableError) return UNREACHABLE;
  if (error instanceof GuardantApiError) {
    return `The server refused to check the key: ${error.description}. Left alone.`;
  }
  if (error instanceof StationFault) return `${error.message} Left alone.`;
  return 'The key could not be checked; it was left alone.';
}
