import type { WriteProgress } from '../../../shared/station/models';
import type { Outbox } from '../outbox/outbox';
import type { RunStore, StoredTask, TaskChange } from './run-store';
import { taskProgress } from './task-progress';

/**
 * How far a held write's next attempt is put off. The worker sleeps until the earliest item is due, so
 * the hold must stay within setTimeout's range (24.8 days): a week, far past any shift. A plug of the
 * key releases it at once; if nobody does, the write is tried after the week, answers "not plugged"
 * without starting anything, and is held again.
 */
export const HOLD_MS = 7 * 24 * 60 * 60 * 1000;

/** The task's words while its write is held. */
export const heldWords = (dongleId: number) => `Unplugged: plug key ${dongleId} back in, any port, to go on.`;

/**
 * Holds a key's write: the item stays pending (the outbox still owes it, the Queue can cancel it) but
 * is not due, so the worker does not send it. From failed too: a write the key answered 202 to started
 * nothing and is no failure, so it becomes owed work again. True when held.
 */
export function holdWrite(outbox: Outbox, itemId: number, dongleId: number): boolean {
  const item = outbox.get(itemId);
  if (!item || item.kind !== 'write-license') return false;
  return outbox.hold(itemId, outbox.clock() + HOLD_MS, heldWords(dongleId)) !== null;
}

/** Makes a held write due now (the outbox's "try now"); true when it was still pending. */
function releaseWrite(outbox: Outbox, itemId: number): boolean {
  if (outbox.get(itemId)?.status !== 'pending') return false;
  outbox.retry(itemId);
  return true;
}

export interface KeyWaitsPorts {
  store: RunStore;
  outbox: Outbox;
  progress(event: WriteProgress): void;
  log(message: string, error?: unknown): void;
}

/**
 * Keys must stay plugged until written (issue 9, item 6). A key pulled while its write waits to be sent
 * holds that write ('waiting-for-key'); the same key id plugged again, in any port, releases it and the
 * task goes on by itself. Both ends are in SQLite (the task's state, the item's due time), so a restart
 * keeps waiting and, finding the key plugged, goes on. A write the key answered 202 is held likewise
 * (ItemOutcomes). Driven by the bench's list of keys, whatever port they are in.
 */
/**
 * After a write is held on the key's 202, how soon the keys plugged then are looked at again: the
 * answer may come after the bench already showed the key back (a quick re-plug, or the bench still
 * being read at start), and no further bench change may come to release it. Not at once: a bench that
 * has not yet seen the key go would send the write again and again.
 */
export const RECHECK_MS = 1_000;

export class KeyWaits {
  private present: Set<number> | null = null;
  private recheck: NodeJS.Timeout | null = null;

  constructor(private readonly ports: KeyWaitsPorts) {}

  /**
   * The bench changed: keys gone hold their unsent writes; waiting tasks of keys that are plugged go on.
   * Every waiting task of a plugged key is looked at, not only those of keys just plugged: a write held
   * on a late 202 answer, after the key was already back, would otherwise wait for the next plug.
   */
  benchChanged(dongleIds: readonly number[]): void {
    const now = new Set(dongleIds);
    const gone = this.present ? [...this.present].filter((id) => !now.has(id)) : [];
    this.present = now;
    try {
      if (gone.length) this.unplugged(gone);
      if (now.size) this.plugged([...now]);
    } catch (error) {
      // The tasks stay as they are; the next bench change (or a restart) looks again.
      this.ports.log('could not follow the keys plugged and unplugged', error);
    }
  }

  /** A write was held on its key's answer: look again soon whether its key is plugged (RECHECK_MS). */
  recheckSoon(): void {
    if (this.recheck) return;
    this.recheck = setTimeout(() => {
      this.recheck = null;
      if (this.present?.size) this.benchChanged([...this.present]);
    }, RECHECK_MS);
  }

  stop(): void {
    if (this.recheck) clearTimeout(this.recheck);
    this.recheck = null;
  }

  private unplugged(dongleIds: number[]): void {
    const { store, outbox } = this.ports;
    const moved: Array<[StoredTask, TaskChange]> = [];
    store.transaction(() => {
      for (const task of store.tasksOfKeysIn('writing', dongleIds)) {
        // An item already being sent cannot be taken back: the key's 202 answer holds it instead.
        if (task.itemId === null || !holdWrite(outbox, task.itemId, task.dongleId)) continue;
        const change: TaskChange = { state: 'waiting-for-key', reason: heldWords(task.dongleId) };
        if (store.move(task, change)) moved.push([task, change]);
      }
    });
    this.report(moved);
  }

  private plugged(dongleIds: number[]): void {
    const { store, outbox } = this.ports;
    const moved: Array<[StoredTask, TaskChange]> = [];
    store.transaction(() => {
      for (const task of store.tasksOfKeysIn('waiting-for-key', dongleIds)) {
        if (task.itemId === null || !releaseWrite(outbox, task.itemId)) continue;
        const change: TaskChange = { state: 'writing', reason: null, actionResult: null };
        if (store.move(task, change)) moved.push([task, change]);
      }
    });
    this.report(moved);
  }

  private report(moved: Array<[StoredTask, TaskChange]>): void {
    for (const [task, change] of moved) this.ports.progress(progressOfMove(this.ports.store, task, change));
  }
}

/** The progress event announcing a task's move, with its run's counts as they are now. */
export function progressOfMove(store: RunStore, task: StoredTask, change: TaskChange): WriteProgress {
  const counts = store.summary(task.runId)?.counts;
  return taskProgress(task, change, { done: counts?.done ?? 0, total: counts?.total ?? 0 }, (state) =>
    state === 'writing' ? 'Writing the licence.' : 'Waiting.',
  );
}
