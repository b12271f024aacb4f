import { isKeyInOrder, MAX_BATCH_DONGLES } from '../../../shared/guardant/codes';
import { StationErrorCode } from '../../../shared/ipc/result';
import type { KeyIdentity, RunView, WriteProgress } from '../../../shared/station/models';
import { keyCodeOf } from '../../../shared/station/outbox-results';
import { ServerUnreachableError } from '../api/errors';
import { StationFault } from '../ipc/station-fault';
import type { Outbox } from '../outbox/outbox';
import type { ShiftLog } from '../shift-log/shift-log';
import { heldWords, holdWrite, progressOfMove } from './key-waits';
import type { RunStore, StoredTask, TaskChange } from './run-store';
import { stillHolds, type StopCheckPorts } from './run-stops';

/** A task taken up again starts clean: its stop's words and codes are gone (as resumeTask stores it). */
const TAKEN_UP = { reason: null, actionResult: null, apiCode: null } as const;

export interface RunResumerPorts {
  store: RunStore;
  outbox: Outbox;
  shiftLog: ShiftLog;
  checks: StopCheckPorts;
  /** Whether the key is plugged now: a resumed key's write is held while it is not. */
  present(dongleId: number): boolean;
  progress(event: WriteProgress): void;
  keysChanged(): void;
}

/**
 * Resuming a paused run (issue 9, item 5), on the operator's word (runs:resume). Not by itself: the
 * cause is fixed elsewhere (the vendor tops up, the order is opened again) and the station would only
 * learn of it by asking the server again and again; and the operator, who may have moved the keys on
 * meanwhile, decides when the bench is ready. Before anything is sent the server is asked whether the
 * cause still holds: if so the answer says so in words and nothing moves. An unreachable server does
 * not block: the run's items wait in the outbox and the server judges them when it is back.
 */
export class RunResumer {
  constructor(private readonly ports: RunResumerPorts) {}

  async resume(runId: number): Promise<RunView> {
    const { store } = this.ports;
    const summary = store.summary(runId);
    if (!summary) throw new StationFault(StationErrorCode.NotFound, `There is no run ${runId}.`);
    if (summary.stopReason === null) {
      throw new StationFault(
        StationErrorCode.Conflict,
        `Run ${runId} is not paused: there is nothing to resume.`,
      );
    }
    const cause = store.stopCauseOf(runId);
    const toAdd = store.resumableOf(runId).filter((t) => this.identityToAdd(t)).length;
    if (cause !== null) {
      let holding: string | null = null;
      try {
        holding = await stillHolds(cause, summary.orderId, toAdd, this.ports.checks);
      } catch (error) {
        if (!(error instanceof ServerUnreachableError)) throw error;
      }
      if (holding !== null) throw new StationFault(StationErrorCode.Conflict, holding);
    }
    const moved = store.transaction(() => this.revive(runId, summary.orderId));
    for (const [task, change] of moved) this.ports.progress(progressOfMove(store, task, change));
    this.ports.keysChanged();
    return store.view(runId)!;
  }

  /** In one transaction: the stop lifted, each resumable task on again, its items queued. */
  private revive(runId: number, orderId: number): Array<[StoredTask, TaskChange]> {
    const { store, outbox, shiftLog } = this.ports;
    const moved: Array<[StoredTask, TaskChange]> = [];
    if (!store.clearStop(runId)) return moved;
    const tasks = store.resumableOf(runId);
    // A key another run took up meanwhile is left to that run, as at a run's start.
    const busy = store.openTasksOf(tasks.map((t) => t.dongleId));
    const adds: Array<{ task: StoredTask; identity: KeyIdentity }> = [];
    for (const task of tasks) {
      if (busy.has(task.dongleId)) continue;
      const identity = this.identityToAdd(task);
      if (identity) {
        adds.push({ task, identity });
        continue;
      }
      if (identity === null) continue;
      const write = outbox.enqueueWriteLicense(orderId, task.dongleId);
      const change: TaskChange =
        !this.ports.present(task.dongleId) && holdWrite(outbox, write.id, task.dongleId)
          ? { ...TAKEN_UP, state: 'waiting-for-key', reason: heldWords(task.dongleId), itemId: write.id }
          : { ...TAKEN_UP, state: 'writing', itemId: write.id };
      if (store.resumeTask(task, change)) moved.push([task, change]);
    }
    for (let i = 0; i < adds.length; i += MAX_BATCH_DONGLES) {
      const batch = adds.slice(i, i + MAX_BATCH_DONGLES);
      const item = outbox.enqueueAddKeys(
        orderId,
        batch.map((a) => a.identity),
      );
      for (const { task } of batch) {
        const change: TaskChange = { ...TAKEN_UP, state: 'adding', itemId: item.id };
        if (store.resumeTask(task, change)) moved.push([task, change]);
      }
    }
    shiftLog.record({
      action: 'run resumed',
      orderId,
      outcome: 'pending',
      detail: `run ${runId}: ${moved.length} key(s) taken up again`,
    });
    store.finishIfSettled(runId);
    return moved;
  }

  /**
   * What a resumable task still needs: its identity when the key is not in the order yet (its add was
   * refused or never sent), undefined when it is (only its write is owed), null when it cannot be told
   * (the add's record is gone): such a task stays as it is.
   */
  private identityToAdd(task: StoredTask): KeyIdentity | undefined | null {
    const item = task.itemId === null ? null : this.ports.outbox.queued(task.itemId);
    if (!item) return null;
    if (item.kind === 'write-license') return undefined;
    const retcode = keyCodeOf(item, task.dongleId);
    if (item.status === 'done' && retcode !== null && isKeyInOrder(retcode)) return undefined;
    // An add whose stored payload is unreadable has no identity to send again.
    return item.payload?.kind === 'add-keys'
      ? (item.payload.keys.find((k) => k.dongleId === task.dongleId) ?? null)
      : null;
  }
}
