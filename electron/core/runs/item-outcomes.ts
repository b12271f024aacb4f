import {
  ActionResult,
  actionResultMeaning,
  retcodeMeaning,
  type ActionResult as ActionResultCode,
} from '../../../shared/guardant/codes';
import type { LastBurn } from '../../../shared/guardant/responses';
import { actionResultOf, keyCodeOf, keysInOrderOf } from '../../../shared/station/outbox-results';
import type { OutboxItem, TaskState, WriteProgress } from '../../../shared/station/models';
import { apiCodeInMessage } from '../api/errors';
import type { KeyRecords } from '../keys/key-records';
import type { Outbox } from '../outbox/outbox';
import type { ShiftLog } from '../shift-log/shift-log';
import { heldWords, holdWrite } from './key-waits';
import type { RunStore, StoredTask, TaskChange } from './run-store';
import { taskProgress } from './task-progress';
import { stopOfAdd, stopOfWrite, stopsWrites, stopWords, type StopCause } from './run-stops';

export const notAttempted = (stopReason: string) => `Not attempted: ${stopReason}`;

export function actionResultWords(code: number): string {
  return actionResultMeaning[code as ActionResultCode] ?? `The key answered code ${code}.`;
}

export interface ItemOutcomesPorts {
  store: RunStore;
  outbox: Outbox;
  keyRecords: KeyRecords;
  shiftLog: ShiftLog;
  /** Whether the key is plugged now: a key's write is held, not sent, while it is not. */
  present(dongleId: number): boolean;
  /** Per-key progress for the Write screen; jobId is the run id as a string. */
  progress(event: WriteProgress): void;
  /** The server's latest burn of this order and key, to explain a failed write; null when unknown. */
  lastBurn(orderId: number, dongleId: number): Promise<LastBurn | null>;
  /**
   * A task whose write succeeded is to be verified (after this item's commit): the read-back is a
   * station-side step after the outbox, see WriteVerifier.
   */
  verify(task: StoredTask): void;
  /** A write was held on its key's 202 answer (KeyWaits looks again soon whether the key is back). */
  held(dongleId: number): void;
  /** Key states changed: push the bench again. */
  keysChanged(): void;
  /** What the server holds for this order changed. */
  orderChanged(orderId: number): void;
  log(message: string, error?: unknown): void;
}

/** One task's move, kept for the progress event sent once the transaction has committed. */
interface Moved {
  task: StoredTask;
  change: TaskChange;
  /** Look up the server's record to explain this failed write (after the commit, off the hot path). */
  explainFrom?: number | null;
}

/**
 * What a settled outbox item means, decided in one place: for the tasks of the runs waiting on it (an
 * add leads to each added key's write, a write ends its key's task), for the station's key records
 * (what the bench shows) and for the shift log (one row per event). Applying an item twice changes
 * nothing to the tasks the second time; the tasks, key records and shift-log row of one item commit
 * together, so after a crash between the item settling and this, the runs apply what they missed.
 */
export class ItemOutcomes {
  constructor(private readonly ports: ItemOutcomesPorts) {}

  /** Called by the outbox worker for every item that settles, and at start for outcomes a crash cut off. */
  apply(item: OutboxItem): void {
    const { store } = this.ports;
    const moved: Moved[] = [];
    const runs = new Set<number>();
    store.transaction(() => {
      const tasks = store.waitingOn(item.id);
      for (const t of tasks) runs.add(t.runId);
      if (item.kind === 'add-keys') this.applyAdd(item, tasks, moved);
      else if (item.kind === 'write-license') this.applyWrite(item, tasks, moved);
      else this.logPlain(item);
      for (const runId of runs) store.finishIfSettled(runId);
    });
    if (item.orderId !== null && item.status === 'done') this.ports.orderChanged(item.orderId);
    this.ports.keysChanged();
    this.report(moved);
  }

  private applyAdd(item: OutboxItem, tasks: StoredTask[], moved: Moved[]): void {
    const { store, outbox, keyRecords, shiftLog } = this.ports;
    const orderId = item.orderId!;
    // A run's key is there to be written: its row says "write" whatever step ended it; a key added
    // outside a run has the add as its outcome.
    const keyRow = (
      dongleId: number,
      outcome: string,
      detail: string,
      code: number | null,
      action: 'write' | 'add-keys' = 'write',
    ) => shiftLog.record({ action, orderId, dongleId, outcome, detail, code, keyOutcome: true });
    const added = keysInOrderOf(item);
    if (added.length) keyRecords.markAddedToOrder(added, orderId);
    const addedSet = new Set(added);
    // The server refusing the whole batch for the order's sake (revoked) stops the run, not each key.
    const batchStop = item.status === 'failed' ? stopOfAdd(apiCodeInMessage(item.lastError)) : null;
    const stops = new Map<number, StopCause>();
    // An add that failed, was retried from the Queue and then succeeded: its keys go on to be written.
    const retried = item.status === 'done' ? store.failedOn(item.id) : [];
    for (const task of retried) {
      if (!addedSet.has(task.dongleId) || store.stopReasonOf(task.runId) !== null) continue;
      const write = outbox.enqueueWriteLicense(orderId, task.dongleId);
      const change: TaskChange = { state: 'writing', reason: null, apiCode: null, itemId: write.id };
      if (store.revive(task, change)) {
        store.reopen(task.runId);
        moved.push({ task, change });
      }
    }
    for (const task of tasks) {
      let change: TaskChange;
      const stopReason = store.stopReasonOf(task.runId);
      const retcode = keyCodeOf(item, task.dongleId);
      const stop = batchStop ?? (retcode === null ? null : stopOfAdd(retcode));
      // A stop from before causes were stored (null) stopped the writes, as every stop did then.
      const writesStopped = stopReason !== null && stopsWrites(store.stopCauseOf(task.runId) ?? 'balance');
      if (addedSet.has(task.dongleId) && writesStopped) {
        change = { state: 'skipped', reason: notAttempted(stopReason!), resumable: true };
      } else if (addedSet.has(task.dongleId)) {
        // Per key, add before write: the write is queued only now, in its own lane, so writes of
        // different keys can run side by side. A key pulled meanwhile gets its write held.
        const write = outbox.enqueueWriteLicense(orderId, task.dongleId);
        change =
          !this.ports.present(task.dongleId) && holdWrite(outbox, write.id, task.dongleId)
            ? { state: 'waiting-for-key', reason: heldWords(task.dongleId), itemId: write.id }
            : { state: 'writing', itemId: write.id };
      } else if (item.status === 'cancelled') {
        change = { state: 'cancelled', reason: 'Cancelled by the operator.' };
      } else if (stop !== null) {
        // Not the key's failure: the run pauses, and the key waits, not attempted, for it to resume.
        change = { state: 'skipped', reason: notAttempted(stopWords(stop)), apiCode: null, resumable: true };
        stops.set(task.runId, stop);
      } else {
        change =
          retcode !== null
            ? { state: 'failed', reason: retcodeMeaning(retcode), apiCode: retcode }
            : {
                state: 'failed',
                reason: `Not added to the order: ${item.lastError ?? 'no answer for this key'}`,
              };
        keyRecords.set(task.dongleId, 'failed', orderId, change.apiCode ?? null);
      }
      if (!store.move(task, change)) continue;
      moved.push({ task, change });
      // The key's row, once (applying the item again moves nothing): only an end is a row; a key
      // going on to be written gets its row from its write.
      if (change.state !== 'writing' && change.state !== 'waiting-for-key')
        keyRow(task.dongleId, change.state, change.reason!, change.apiCode ?? null);
    }
    // Keys a run waits on get their row when their write settles (one row per key write); keys added
    // outside a run (the Add to order screen) get theirs now: the add is their outcome.
    const inRun = new Set([...tasks, ...retried].map((t) => t.dongleId));
    for (const dongleId of item.dongleIds) {
      if (inRun.has(dongleId)) continue;
      const retcode = keyCodeOf(item, dongleId);
      const [outcome, detail, code] =
        item.status === 'cancelled'
          ? ['cancelled', 'Cancelled by the operator.', null]
          : retcode !== null
            ? [addedSet.has(dongleId) ? 'added' : 'failed', retcodeMeaning(retcode), retcode]
            : ['failed', `Not added to the order: ${item.lastError ?? 'no answer for this key'}`, null];
      keyRow(dongleId, outcome, detail, code, 'add-keys');
    }
    for (const [runId, cause] of stops) this.stopRun(runId, cause, moved);
  }

  private applyWrite(item: OutboxItem, tasks: StoredTask[], moved: Moved[]): void {
    const { store, outbox, keyRecords, shiftLog } = this.ports;
    const orderId = item.orderId!;
    const dongleId = item.dongleIds[0]!;
    const code = actionResultOf(item);
    let change: TaskChange;
    let outcome: string;
    let stop: StopCause | null = null;
    const stopped = tasks.some((t) => store.stopReasonOf(t.runId) !== null);
    if (
      item.status === 'failed' &&
      code === ActionResult.DongleNotFound &&
      tasks.length > 0 &&
      !stopped &&
      holdWrite(outbox, item.id, dongleId)
    ) {
      // The key was not there (pulled before the write, or during it): no failure, the write is held
      // and goes on when the key is plugged back in (KeyWaits).
      change = { state: 'waiting-for-key', reason: heldWords(dongleId), actionResult: null };
      outcome = 'waiting for key';
    } else if (item.status === 'done' && code === ActionResult.Success) {
      keyRecords.set(dongleId, 'written', orderId, 0);
      outbox.supersedeFailedWrites(orderId, dongleId, item.id);
      // The outbox item is done (the write happened, once, and is billed); whether the key holds the
      // order's licence is the read-back's to say, so the task waits in 'verifying'.
      change = { state: 'verifying', reason: null, actionResult: 0 };
      outcome = 'written';
      // A write that failed, was retried from the Queue and then succeeded: its task said "failed";
      // the key now holds the licence, so the task says so too.
      for (const task of store.failedOn(item.id)) {
        if (store.revive(task, change)) moved.push({ task, change });
      }
    } else if (item.status === 'cancelled') {
      change = { state: 'cancelled', reason: 'Cancelled by the operator.' };
      outcome = 'cancelled';
    } else {
      const apiCode = code === null ? apiCodeInMessage(item.lastError) : null;
      stop = stopOfWrite(code, apiCode);
      const reason =
        code !== null
          ? actionResultWords(code)
          : stop !== null
            ? stopWords(stop)
            : `Not written: ${item.lastError ?? 'unknown reason'}`;
      keyRecords.set(dongleId, 'failed', orderId, code);
      // Failed on the cause that pauses the run: resuming it writes this key too.
      // A key pulled during a paused run's last writes is not its failure either.
      const resumable = stop !== null || (stopped && code === ActionResult.DongleNotFound);
      change = { state: 'failed', reason, actionResult: code, apiCode, resumable };
      outcome = 'failed';
    }
    for (const task of tasks) {
      if (store.move(task, change))
        moved.push({ task, change, explainFrom: outcome === 'failed' ? item.id : null });
    }
    // The write's own row first, then the run's stop: the log reads in the order things happened.
    // A successful write's row is the read-back's (WriteVerifier), so a key write is one row; only a
    // write no task waits on (its run pruned) has no read-back and is recorded here. A key that was not
    // there is no outcome yet: its row is on screen, not in the CSV.
    const verified =
      outcome === 'written' && (tasks.length > 0 || moved.some((m) => m.change.state === 'verifying'));
    if (!verified) {
      shiftLog.record({
        action: 'write',
        orderId,
        dongleId,
        outcome,
        detail: change.reason ?? actionResultWords(code ?? 0),
        code,
        keyOutcome: outcome !== 'waiting for key',
      });
    }
    if (stop !== null) for (const task of tasks) this.stopRun(task.runId, stop, moved);
  }

  /**
   * Pauses a run at a cause no key can escape: its writes not yet sent (or held for their keys) are
   * withdrawn from the outbox and their keys left "not attempted", resumable; writes already under way
   * finish; adds still queued lead to no write. A full order stops only the adding: writes of keys that
   * have their place go on. runs:resume (RunResumer) takes it up again once the cause is fixed.
   */
  private stopRun(runId: number, cause: StopCause, moved: Moved[]): void {
    const { store, outbox, shiftLog } = this.ports;
    const reason = stopWords(cause);
    if (!store.stop(runId, reason, cause)) return;
    const change: TaskChange = { state: 'skipped', reason: notAttempted(reason), resumable: true };
    let spared = 0;
    for (const task of stopsWrites(cause) ? store.unsentWrites(runId) : []) {
      const item = outbox.get(task.itemId!);
      // Only a write never sent is withdrawn; the worker, finding it cancelled, sends nothing.
      if (!item || !outbox.transition(item, ['pending'], { status: 'cancelled', lastError: change.reason! }))
        continue;
      if (store.move(task, change)) {
        moved.push({ task, change });
        spared++;
        shiftLog.record({
          action: 'write',
          orderId: task.orderId,
          dongleId: task.dongleId,
          outcome: 'skipped',
          detail: change.reason!,
          keyOutcome: true,
        });
      }
    }
    shiftLog.record({
      action: 'run stopped',
      orderId: null,
      outcome: 'stopped',
      detail: `run ${runId}: ${reason} ${spared} key(s) not attempted`,
    });
  }

  /** Items no run waits on (a driver type, a removal): only the shift log and the bench care. */
  private logPlain(item: OutboxItem): void {
    const dongleId = item.dongleIds.length === 1 ? item.dongleIds[0]! : null;
    this.ports.shiftLog.record({
      action: item.kind,
      orderId: item.orderId,
      dongleId,
      outcome: item.status,
      detail: item.lastError ?? (item.status === 'done' ? 'Done.' : ''),
      keyOutcome: dongleId !== null,
    });
  }

  /** Progress events for the moved tasks, with each run's counts read once. */
  private report(moved: Moved[]): void {
    if (moved.length === 0) return;
    const counts = new Map<number, { done: number; total: number }>();
    for (const { task } of moved) {
      if (counts.has(task.runId)) continue;
      const summary = this.ports.store.summary(task.runId);
      counts.set(task.runId, { done: summary?.counts.done ?? 0, total: summary?.counts.total ?? 0 });
    }
    for (const { task, change } of moved) {
      if (change.state === 'verifying')
        this.ports.verify({ ...task, state: 'verifying', reason: null, actionResult: 0 });
      if (change.state === 'waiting-for-key') this.ports.held(task.dongleId);
    }
    for (const { task, change, explainFrom } of moved) {
      const event = taskProgress(task, change, counts.get(task.runId)!, messageOf);
      if (explainFrom == null || event.actionResult === null) {
        this.ports.progress(event);
        continue;
      }
      void this.explain(event, explainFrom).then((explained) => this.ports.progress(explained));
    }
  }

  /** Attaches the server's record of this write, but only one newer than the write's baseline. */
  private async explain(event: WriteProgress, itemId: number): Promise<WriteProgress> {
    const payload = this.ports.outbox.queued(itemId)?.payload;
    const baseline = payload?.kind === 'write-license' ? payload.baseline : undefined;
    if (baseline === undefined) return event;
    try {
      const latest = await this.ports.lastBurn(event.orderId, event.dongleId);
      return latest && latest._id > baseline ? { ...event, lastBurn: latest } : event;
    } catch (error) {
      this.ports.log(`could not read the last burn of key ${event.dongleId}`, error);
      return event;
    }
  }
}

function messageOf(state: TaskState, actionResult: number | null): string {
  switch (state) {
    case 'adding':
      return 'Adding to the order.';
    case 'writing':
      return 'Writing the licence.';
    case 'verifying':
      return 'Written; checking what the key holds.';
    case 'written':
      return actionResultWords(actionResult ?? 0);
    default:
      return 'Waiting.';
  }
}
