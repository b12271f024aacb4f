import type { WriteProgress, WriteVerdict } from '../../../shared/station/models';
import { stageOfTask } from '../../../shared/station/run-progress';
import type { KeyRecords } from '../keys/key-records';
import type { ShiftLog } from '../shift-log/shift-log';
import type { RunStore, StoredTask, TaskChange } from './run-store';

export interface WriteVerifierPorts {
  store: RunStore;
  keyRecords: KeyRecords;
  shiftLog: ShiftLog;
  /** Reads back what the key holds and compares it with the order; never throws (see verifyWrite). */
  verify(request: { dongleId: number; orderId: number }): Promise<WriteVerdict>;
  progress(event: WriteProgress): void;
  keysChanged(): void;
  log(message: string, error?: unknown): void;
  /** Waits between checks that could not be made: base doubled per attempt, up to max. */
  backoff?: { baseMs: number; maxMs: number };
  /** Checks that could not be made before the task fails with "Could not be verified". */
  maxAttempts?: number;
  /**
   * How many read-backs run at once (the write concurrency setting, read afresh): a run of 500 keys
   * settling together must not put 500 reads on the license manager at once. 1 when not given.
   */
  concurrency?: () => number;
  /** Epoch ms; Date.now when not given. */
  clock?: () => number;
}

const DEFAULT_BACKOFF = { baseMs: 1_000, maxMs: 30_000 };
const DEFAULT_MAX_ATTEMPTS = 10;
/** The meaning of a key write that succeeded and was read back: the CSV's words for code 0. */
const WRITTEN_AND_VERIFIED = "Written and checked: the key holds the order's licence.";

/**
 * Verify after write, the station-side step after a write's outbox item settled done with ActionResult
 * 0 (ItemOutcomes moves its task to 'verifying'). It only reads: ok → written; mismatch → failed with
 * the verdict's reason (so "Retry failed" can write it again); a check that cannot be made (license
 * manager down, key unplugged, order unknown here) is tried again with backoff and, after the cap, the
 * task fails with "Could not be verified: …". It never writes: a write that could not be checked is
 * not a write that failed. It is kept out of the outbox on purpose: the outbox's exactly-once core
 * ends at the write, and a verification may be repeated any number of times. A task found in
 * 'verifying' at start (a crash in between) is verified again (resume), never re-written.
 */
export class WriteVerifier {
  /** Task ids with a check scheduled or running: one at a time per task. */
  private readonly active = new Set<number>();
  /** Read-backs under way, and those waiting for one of the `concurrency` slots. */
  private running = 0;
  private readonly slotWaiters: Array<() => void> = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;

  constructor(private readonly ports: WriteVerifierPorts) {}

  /** Verifies the task now (unless a check of it is already under way or waiting). */
  schedule(task: StoredTask): void {
    if (this.stopped || this.active.has(task.id)) return;
    this.active.add(task.id);
    // A backoff recorded before a restart is waited out, not cut short.
    const wait = task.verifyNextAt === null ? 0 : task.verifyNextAt - this.now();
    if (wait > 0) this.later(task, wait);
    else void this.check(task);
  }

  /** At start: every task a crash left in 'verifying' is verified again. */
  resume(): number {
    const tasks = this.ports.store.verifyingTasks();
    for (const task of tasks) this.schedule(task);
    return tasks.length;
  }

  stop(): void {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private now(): number {
    return (this.ports.clock ?? Date.now)();
  }

  private later(task: StoredTask, ms: number): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!this.stopped) void this.check(task);
    }, ms);
    this.timers.add(timer);
  }

  private async acquire(): Promise<void> {
    const limit = Math.max(1, Math.floor(this.ports.concurrency?.() ?? 1));
    if (this.running < limit) {
      this.running++;
      return;
    }
    await new Promise<void>((resolve) => this.slotWaiters.push(resolve));
  }

  private release(): void {
    const next = this.slotWaiters.shift();
    // The slot passes straight to the next waiter, so the count stays as it is.
    if (next) next();
    else this.running--;
  }

  private async check(task: StoredTask): Promise<void> {
    await this.acquire();
    let verdict: WriteVerdict;
    try {
      if (this.stopped) return;
      verdict = await this.ports.verify({ dongleId: task.dongleId, orderId: task.orderId });
    } finally {
      this.release();
    }
    if (this.stopped) return;
    try {
      this.settle(task, verdict);
    } catch (error) {
      // The task stays 'verifying' and is verified again at the next start.
      this.active.delete(task.id);
      this.ports.log(`could not record the verification of key ${task.dongleId}`, error);
    }
  }

  private settle(task: StoredTask, verdict: WriteVerdict): void {
    const { store, keyRecords, shiftLog } = this.ports;
    if (verdict.outcome === 'unknown') {
      // Counted with the task, in SQLite: a restart goes on counting (and waiting) where it was.
      const attempt = task.verifyAttempts + 1;
      const max = this.ports.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
      if (attempt < max) {
        const { baseMs, maxMs } = this.ports.backoff ?? DEFAULT_BACKOFF;
        const delay = Math.min(maxMs, baseMs * 2 ** (attempt - 1));
        // Still verifying: the reason says why the check waits.
        const change: TaskChange = {
          state: 'verifying',
          reason: verdict.reason,
          verifyAttempts: attempt,
          verifyNextAt: this.now() + delay,
        };
        if (!store.move(task, change)) {
          // The task moved on meanwhile (cancelled, or settled by another path): nothing to wait for.
          this.active.delete(task.id);
          return;
        }
        this.report(task, change);
        const next: StoredTask = { ...task, reason: verdict.reason, verifyAttempts: attempt };
        this.later(next, delay);
        return;
      }
    }
    this.active.delete(task.id);
    let change: TaskChange;
    let outcome: 'verified' | 'mismatch' | 'unverified';
    if (verdict.outcome === 'ok') {
      change = { state: 'written', reason: null, actionResult: 0 };
      outcome = 'verified';
    } else if (verdict.outcome === 'mismatch') {
      // The write's own ActionResult (0) is not the result the operator should read: the reason is.
      change = { state: 'failed', reason: verdict.reason, actionResult: null };
      outcome = 'mismatch';
    } else {
      change = { state: 'failed', reason: `Could not be verified: ${verdict.reason}`, actionResult: null };
      outcome = 'unverified';
    }
    const moved = store.transaction(() => {
      if (!store.move(task, change)) return false;
      if (change.state === 'failed') keyRecords.set(task.dongleId, 'failed', task.orderId, null);
      // The key write's one row: its outcome is known only now that the key has been read back.
      shiftLog.record({
        action: 'write',
        orderId: task.orderId,
        dongleId: task.dongleId,
        outcome: outcome === 'verified' ? 'written' : 'failed',
        detail: outcome === 'verified' ? WRITTEN_AND_VERIFIED : change.reason!,
        code: outcome === 'verified' ? 0 : null,
        keyOutcome: true,
      });
      store.finishIfSettled(task.runId);
      return true;
    });
    if (!moved) return;
    if (change.state === 'failed') this.ports.keysChanged();
    this.report(task, change);
  }

  private report(task: StoredTask, change: TaskChange): void {
    const counts = this.ports.store.summary(task.runId)?.counts;
    const actionResult = change.actionResult === undefined ? task.actionResult : change.actionResult;
    this.ports.progress({
      jobId: String(task.runId),
      orderId: task.orderId,
      dongleId: task.dongleId,
      stage: stageOfTask(change.state, actionResult),
      actionResult,
      apiCode: null,
      message:
        change.reason ??
        (change.state === 'written' ? 'Written and checked.' : 'Checking what the key holds.'),
      lastBurn: null,
      done: counts?.done ?? 0,
      total: counts?.total ?? 0,
    });
  }
}
