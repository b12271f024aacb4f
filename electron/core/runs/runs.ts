import { ActionResult, MAX_BATCH_DONGLES } from '../../../shared/guardant/codes';
import type {
  KeyIdentity,
  PreflightLeftOut,
  RunSummary,
  RunView,
  WriteProgress,
} from '../../../shared/station/models';
import type { Outbox } from '../outbox/outbox';
import type { ShiftLog } from '../shift-log/shift-log';
import type { ItemOutcomes } from './item-outcomes';
import type { KeyPlace, RunStore } from './run-store';

export interface RunsPorts {
  store: RunStore;
  outbox: Outbox;
  outcomes: ItemOutcomes;
  shiftLog: ShiftLog;
  /** The key's identity while it is plugged; null when it is not. */
  identity(dongleId: number): KeyIdentity | null;
  /** Where the key is on the bench now (plug number, USB port, model); null when it is not plugged. */
  place(dongleId: number): KeyPlace | null;
  progress(event: WriteProgress): void;
  keysChanged(): void;
}

/** A key the pre-flight left out of the run, with its verdict's message. */
export interface LeftOutKey {
  dongleId: number;
  reason: string;
  /** The server's refusal (canadddongle's API code) when that is why; null otherwise. */
  apiCode: number | null;
  /** The pre-flight's verdict, kept so a retry can tell a key that cannot succeed. */
  leftOut?: PreflightLeftOut | null;
}

export interface StartOptions {
  /**
   * The order already holds the keys and takes no adds: a hardware Update order, which names its key
   * when created and binds it when submitted (docs/api-decisions.md). Its write is queued at once.
   */
  bound?: boolean;
}

/** Why a key is left out of a run, as its task, progress event and shift-log line say it. */
interface SkippedKey {
  reason: string;
  stage: Extract<WriteProgress['stage'], 'failed' | 'unplugged'>;
  apiCode?: number | null;
  actionResult?: number | null;
  leftOut?: PreflightLeftOut | null;
}

const NOT_PLUGGED = 'The key is not plugged in. Plug it back in and retry.';

/**
 * Production runs: one order, many keys. Starting a run stores it, one task per key, together with
 * the outbox items it needs, in one transaction; from then on the outbox's settled items drive it
 * (see ItemOutcomes), so nothing of it lives only in memory and a restart at any point goes on.
 */
export class Runs {
  constructor(private readonly ports: RunsPorts) {}

  /**
   * Starts a run of these keys into the order. `leftOut` are keys the pre-flight did not take: they are
   * stored as skipped tasks with the pre-flight's reason, so the run says what it left out and why.
   */
  start(
    orderId: number,
    dongleIds: number[],
    leftOut: ReadonlyArray<LeftOutKey> = [],
    options: StartOptions = {},
  ): number {
    const { store, outbox } = this.ports;
    const skippedByPreflight = new Map(leftOut.map((k) => [k.dongleId, k]));
    const unique = [...new Set(dongleIds)].filter((id) => !skippedByPreflight.has(id));
    const events: Array<Omit<WriteProgress, 'done' | 'total'>> = [];
    const runId = store.transaction(() => {
      const runId = store.createRun(orderId);
      // A key another run has not finished with would be written twice: leave it to that run.
      const busy = store.openTasksOf(unique);
      const plugged: KeyIdentity[] = [];
      for (const { dongleId, reason, apiCode, leftOut: why } of skippedByPreflight.values()) {
        events.push(
          this.skipKey(runId, orderId, dongleId, { reason, stage: 'failed', apiCode, leftOut: why ?? null }),
        );
      }
      for (const dongleId of unique) {
        const other = busy.get(dongleId);
        const identity = other === undefined ? this.ports.identity(dongleId) : null;
        if (identity) {
          plugged.push(identity);
          continue;
        }
        events.push(
          other !== undefined
            ? this.skipKey(runId, orderId, dongleId, {
                reason: `Already being written by run ${other}.`,
                stage: 'failed',
              })
            : this.skipKey(runId, orderId, dongleId, {
                reason: NOT_PLUGGED,
                stage: 'unplugged',
                actionResult: ActionResult.DongleNotFound,
              }),
        );
      }
      if (options.bound) {
        for (const key of plugged) {
          const write = outbox.enqueueWriteLicense(orderId, key.dongleId);
          store.addTask(runId, key.dongleId, 'writing', null, write.id, null, this.ports.place(key.dongleId));
          events.push({
            ...base(runId, orderId, key.dongleId),
            stage: 'writing',
            message: 'Writing the licence.',
          });
        }
      }
      // Adds stay batched: one multipledongles call per thousand keys.
      for (let i = 0; !options.bound && i < plugged.length; i += MAX_BATCH_DONGLES) {
        const batch = plugged.slice(i, i + MAX_BATCH_DONGLES);
        const item = outbox.enqueueAddKeys(orderId, batch);
        for (const key of batch) {
          store.addTask(runId, key.dongleId, 'adding', null, item.id, null, this.ports.place(key.dongleId));
          events.push({
            ...base(runId, orderId, key.dongleId),
            stage: 'adding',
            message: 'Adding to the order.',
          });
        }
      }
      if (plugged.length) {
        this.ports.shiftLog.record({
          action: 'run started',
          orderId,
          outcome: 'pending',
          detail: `run ${runId}: ${plugged.length} key(s)`,
        });
      }
      store.finishIfSettled(runId);
      return runId;
    });
    const counts = store.summary(runId)!.counts;
    for (const event of events) this.ports.progress({ ...event, done: counts.done, total: counts.total });
    this.ports.keysChanged();
    return runId;
  }

  /**
   * At start: outcomes a crash cut off between an item settling and its meaning being recorded are
   * applied now (applying is idempotent). Everything else the runs wait on is still in the outbox.
   */
  resume(): number {
    const { store, outbox, outcomes } = this.ports;
    const items = new Set(store.waitingOnSettledItems().map((t) => t.itemId!));
    for (const itemId of items) {
      const item = outbox.get(itemId);
      if (item) outcomes.apply(item);
    }
    return items.size;
  }

  /**
   * Stores a key the run leaves out as a skipped task and records it in the shift log; returns its
   * progress event, sent once the run is stored. The shift log's code is the refusal's API code, or
   * else the key's ActionResult.
   */
  private skipKey(runId: number, orderId: number, dongleId: number, skip: SkippedKey) {
    const apiCode = skip.apiCode ?? null;
    const actionResult = skip.actionResult ?? null;
    this.ports.store.addTask(
      runId,
      dongleId,
      'skipped',
      skip.reason,
      null,
      apiCode,
      this.ports.place(dongleId),
      skip.leftOut ?? null,
    );
    this.ports.shiftLog.record({
      action: 'write',
      orderId,
      dongleId,
      outcome: 'skipped',
      detail: skip.reason,
      code: apiCode ?? actionResult,
      keyOutcome: true,
    });
    return {
      ...base(runId, orderId, dongleId),
      stage: skip.stage,
      message: skip.reason,
      actionResult,
      apiCode,
    };
  }

  view(runId: number): RunView | null {
    return this.ports.store.view(runId);
  }

  list(limit: number): RunSummary[] {
    return this.ports.store.list(limit);
  }
}

const base = (runId: number, orderId: number, dongleId: number) => ({
  jobId: String(runId),
  orderId,
  dongleId,
  actionResult: null,
  apiCode: null,
  lastBurn: null,
});
