import { randomUUID } from 'node:crypto';
import {
  ActionResult,
  actionResultMeaning,
  ApiErrorCode,
  isKeyInOrder,
} from '../../../shared/guardant/codes';
import type { LastBurn } from '../../../shared/guardant/responses';
import type { LmWriteUnderWay } from '../../../shared/license-manager/schemas';
import type { OutboxItem, OutboxStatus, OutboxSummary } from '../../../shared/station/models';
import type { KeyCodes } from '../../../shared/station/outbox-results';
import {
  DUE_OUTBOX_STATUSES,
  isSettled,
  OPEN_OUTBOX_STATUSES,
} from '../../../shared/station/outbox-statuses';
import { OUTBOX_WAITING_PREFIX } from '../../../shared/station/outbox-waiting';
import type { GuardantClient } from '../api/guardant-client';
import { BadServerResponseError, GuardantApiError, ServerUnreachableError } from '../api/errors';
import { coalesce } from '../coalesce';
import { DEFAULT_BACKOFF, retryDelay, type BackoffPolicy } from './backoff';
import { publicItem, type Outbox, type Transition } from './outbox';
import { unreadableWords, type QueuedItem, type QueuedOf, type ReadItem } from './outbox-payload';
import { reconcileWrite, type ReconcilePorts } from './write-reconciler';

/** The calls the worker makes; a GuardantClient in production. */
export type OutboxServer = Pick<
  GuardantClient,
  'addDongles' | 'removeDongle' | 'setDriverType' | 'lastBurnInfo' | 'writesByIdempotencyKey'
>;

/**
 * Writes the order's licence into the key (through the local license manager) and reports its
 * ActionResult. `idempotencyKey` is the same on every attempt of this item; the license manager hands
 * it to the server with the outcome.
 */
export type PerformWrite = (
  orderId: number,
  dongleId: number,
  idempotencyKey: string,
) => Promise<{ actionResult: number }>;

/** How often a write that may still be running (see write-reconciler.ts) is looked at again. */
const RECONCILE_POLL_MS = 1_000;

export interface OutboxWorkerOptions {
  outbox: Outbox;
  client: OutboxServer;
  /** A thrown ServerUnreachableError means "try later"; the write's outcome is then checked on the server first. */
  performWrite: PerformWrite;
  /** Epoch ms; defaults to the outbox's clock. */
  clock?: () => number;
  /** The outbox summary after changes, coalesced (many enqueues in one tick give one call). */
  onChange?: (summary: OutboxSummary) => void;
  /** Nothing pending, in flight or to reconcile any more; once per drain. */
  onDrained?: () => void;
  onItemSettled?: (item: OutboxItem) => void;
  backoff?: Partial<BackoffPolicy>;
  /**
   * How many items (of different lanes) are worked on at once; 1 when not given. Writes of different
   * keys are in different lanes, so this bounds the bench's parallel writes.
   */
  concurrency?: () => number;
  /** For the jitter; tests pass a fixed one. */
  random?: () => number;
  /**
   * The license manager's writes under way into a key (null: it cannot tell), asked before a write
   * with an unknown outcome is decided; absent, the worker takes it that none is under way.
   */
  writeActivity?: (dongleId: number) => Promise<readonly LmWriteUnderWay[] | null>;
  /** How long a write that may still be running waits before it is looked at again. */
  reconcilePollMs?: number;
}

/** API codes that mean "what the item asked for is already so", per kind. */
const ALREADY_DONE: Partial<Record<OutboxItem['kind'], (apiCode: number) => boolean>> = {
  // The whole batch refused as already in the order: each key's retcode is that code.
  'add-keys': isKeyInOrder,
  'remove-key': (code) => code === ApiErrorCode.NotInOrder,
};

const SUMMARY_WINDOW_MS = 50;

function reasonOf(error: unknown): string {
  if (error instanceof GuardantApiError) return error.message;
  if (error instanceof BadServerResponseError) return `Bad server response: ${error.message}`;
  if (error instanceof ServerUnreachableError) return `Server unreachable: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}

/** A write that waited for its license manager says so no more once it is decided or sent. */
function withoutWaitingNote(item: OutboxItem): Pick<Transition, 'lastError'> {
  return item.lastError?.startsWith(OUTBOX_WAITING_PREFIX) ? { lastError: null } : {};
}

/** A key's retcode in a multipledongles answer, as the number it is; any other answer is a bad one. */
function retcodeOf(dongleId: number, retcode: string): number {
  const code = Number(retcode);
  if (retcode.trim() === '' || !Number.isInteger(code)) {
    throw new BadServerResponseError(`retcode ${JSON.stringify(retcode)} of key ${dongleId} is not a number`);
  }
  return code;
}

function actionResultReason(code: number): string {
  const meaning = (actionResultMeaning as Record<number, string>)[code] ?? 'Unknown result code.';
  return `ActionResult ${code}: ${meaning}`;
}

/**
 * Applies outbox items against the server, up to `concurrency` at once and never two of one lane.
 * Within a lane items go strictly in order:
 * an item waiting out its backoff holds back the rest of its lane, while other lanes go on. The server
 * deciding (an API error) settles an item; an unreachable server only postpones it.
 *
 * Before an item is sent it is marked in flight in a committed transaction, so after a crash the
 * station knows which items may have reached the server and reconciles them before sending again.
 * Licence writes are billed, so they are never re-sent blindly: the worker compares the server's
 * last burn with the baseline it recorded before sending.
 */
export class OutboxWorker {
  private readonly outbox: Outbox;
  private readonly clock: () => number;
  private readonly backoff: BackoffPolicy;
  private readonly random: () => number;
  private running = false;
  private loop: Promise<void> | null = null;
  private wakeUp: (() => void) | null = null;
  private woken = false;
  private unsubscribe: (() => void) | null = null;
  private drainAnnounced = true;
  private recoverAfterFault = false;
  /** The summary after changes, at most once per window: parallel writes change the outbox many times a second. */
  private readonly pushSummary = coalesce(SUMMARY_WINDOW_MS, () => {
    if (this.outbox.isOpen) this.options.onChange?.(this.outbox.summary());
  });
  private idleWaiters: Array<() => void> = [];
  private itemWaiters = new Map<number, Array<(item: OutboxItem) => void>>();
  /** Lane → the item of that lane being worked on now. */
  private readonly active = new Map<string, Promise<void>>();
  /** Writes into keys under way, bounded by `concurrency`, and the items waiting for a slot. */
  private burning = 0;
  private burnWaiters: Array<() => void> = [];
  private readonly reconcilePorts: ReconcilePorts;

  constructor(private readonly options: OutboxWorkerOptions) {
    this.outbox = options.outbox;
    this.clock = options.clock ?? options.outbox.clock;
    this.backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
    this.random = options.random ?? Math.random;
    this.reconcilePorts = {
      activity: options.writeActivity ?? (async () => null),
      writesByKey: (key) => options.client.writesByIdempotencyKey(key),
      lastBurn: (orderId, dongleId) => options.client.lastBurnInfo(orderId, dongleId),
    };
  }

  /** Turns items left in flight by a previous run into needs-reconcile, then starts working. */
  start(): void {
    if (this.running) return;
    this.running = true;
    if (this.outbox.recoverInterrupted() > 0) this.changed();
    this.unsubscribe = this.outbox.subscribe(() => this.changed());
    this.loop = this.run();
  }

  /** Stops after the items being sent (if any) have settled. */
  async stop(): Promise<void> {
    this.running = false;
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.wake();
    await this.loop;
    this.loop = null;
  }

  /** Makes every postponed item due now and wakes the worker, e.g. when the server is back. */
  kick(): void {
    if (this.outbox.isOpen && this.outbox.makeDueNow() > 0) this.changed();
    this.wake();
  }

  /** Resolves when nothing is pending, in flight or waiting to be reconciled. */
  whenIdle(): Promise<void> {
    if (this.outbox.openCount() === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Resolves with the item once it is done, failed or cancelled. */
  waitFor(itemId: number): Promise<OutboxItem> {
    const item = this.outbox.get(itemId);
    if (!item) return Promise.reject(new Error(`no outbox item ${itemId}`));
    if (isSettled(item.status)) return Promise.resolve(item);
    return new Promise((resolve) => {
      const waiters = this.itemWaiters.get(itemId) ?? [];
      waiters.push(resolve);
      this.itemWaiters.set(itemId, waiters);
    });
  }

  private async run(): Promise<void> {
    while (this.running && this.outbox.isOpen) {
      // After the database failed mid-item, that item may still read in-flight and would block its
      // lane until a restart. Recovering marks every in-flight item, so it waits until no slot works.
      if (this.recoverAfterFault) {
        if (this.active.size > 0) {
          await this.sleep(null);
          continue;
        }
        try {
          if (this.outbox.recoverInterrupted() > 0) this.changed();
          this.recoverAfterFault = false;
        } catch {
          await this.sleep(this.backoff.maxMs);
          continue;
        }
      }
      if (this.active.size >= this.slots()) {
        await this.sleep(null);
        continue;
      }
      // Lanes being worked on are claimed here, in memory: a write's head is still pending while its
      // baseline is read, and no other slot may pick it (or its lane) meanwhile.
      const item = this.outbox.nextInLine([...this.active.keys()]);
      if (!item) {
        if (this.active.size === 0) this.checkDrained();
        await this.sleep(null);
        continue;
      }
      this.drainAnnounced = false;
      const wait = item.nextAttemptAt - this.clock();
      if (wait > 0) {
        await this.sleep(wait);
        continue;
      }
      const lane = item.lane;
      this.active.set(
        lane,
        this.processSafely(item).finally(() => {
          this.active.delete(lane);
          this.wake();
        }),
      );
    }
    await Promise.all(this.active.values());
  }

  /** How many writes may burn at once, read afresh so a settings change applies at once. */
  private concurrency(): number {
    return Math.max(1, Math.floor(this.options.concurrency?.() ?? 1));
  }

  /**
   * Items worked on at once: twice the burns, so that while `concurrency` keys burn, as many other
   * items read their baseline or record their outcome, and a freed burn slot is taken at once instead
   * of after a server round trip and a commit. Without a concurrency option the worker stays one at a time.
   */
  private slots(): number {
    return this.options.concurrency ? this.concurrency() * 2 : 1;
  }

  /** Waits for a free burn slot; the release must follow in a finally. */
  private async acquireBurn(): Promise<void> {
    while (this.burning >= this.concurrency()) {
      await new Promise<void>((resolve) => this.burnWaiters.push(resolve));
    }
    this.burning++;
  }

  private releaseBurn(): void {
    this.burning--;
    this.burnWaiters.shift()?.();
  }

  private async processSafely(item: ReadItem): Promise<void> {
    try {
      if (item.payload === null) {
        // Nothing can be sent without its payload; failing it says why and frees its lane.
        this.settle(item, DUE_OUTBOX_STATUSES, { status: 'failed', lastError: unreadableWords(item) });
        return;
      }
      await this.process(item);
    } catch (error) {
      // A fault of the station itself (not of the server): settle the item rather than loop on it.
      if (!this.outbox.isOpen) return;
      try {
        this.settle(item, OPEN_OUTBOX_STATUSES, {
          status: 'failed',
          lastError: `Internal: ${reasonOf(error)}`,
        });
      } catch {
        // The database itself is failing (disk full, locked): hold this lane a while instead of spinning.
        this.recoverAfterFault = true;
        await new Promise((resolve) => setTimeout(resolve, this.backoff.maxMs));
      }
    }
  }

  private process(item: QueuedItem): Promise<void> {
    return item.kind === 'write-license' ? this.processWrite(item) : this.processResendable(item);
  }

  /** add-keys, remove-key, set-driver-type: re-sending is itself the reconciliation. */
  private async processResendable(item: Exclude<QueuedItem, QueuedOf<'write-license'>>): Promise<void> {
    const attempt = item.attempts + 1;
    const sent = this.outbox.transition(item, DUE_OUTBOX_STATUSES, {
      status: 'in-flight',
      attempts: attempt,
    });
    if (!sent) return;
    this.changed();
    let result: KeyCodes;
    try {
      result = await this.send(sent);
    } catch (error) {
      const code = error instanceof GuardantApiError ? error.apiCode : null;
      if (code !== null && ALREADY_DONE[sent.kind]?.(code)) {
        const already = new Map(sent.dongleIds.map((id) => [id, code]));
        this.settle(sent, ['in-flight'], { status: 'done', result: already });
      } else {
        this.fail(sent, error, 'pending');
      }
      return;
    }
    this.settle(sent, ['in-flight'], { status: 'done', result });
  }

  private async send(item: Exclude<QueuedItem, QueuedOf<'write-license'>>): Promise<KeyCodes> {
    const [dongleId] = item.dongleIds as [number];
    switch (item.kind) {
      case 'add-keys': {
        const { keys } = item.payload;
        const answers = await this.options.client.addDongles(item.orderId!, keys);
        // The answer lists the keys in request order; key by what we asked for, as the server may
        // spell a signed id unsigned.
        const byPosition = answers.length === keys.length;
        return new Map(
          answers.map((a, i) => [
            byPosition ? keys[i]!.dongleId : a.dongleid,
            retcodeOf(a.dongleid, a.retcode),
          ]),
        );
      }
      case 'remove-key':
        await this.options.client.removeDongle(item.orderId!, dongleId);
        return new Map([[dongleId, 0]]);
      case 'set-driver-type':
        await this.options.client.setDriverType(dongleId, item.payload.driverType);
        return new Map([[dongleId, 0]]);
    }
  }

  /**
   * write-license. The idempotency key (made once, kept in the payload) and the baseline (the latest
   * burn of this order and key before our write) go into the item with its in-flight mark. A write
   * whose outcome we never learned is decided by write-reconciler.ts: still running → wait; recorded
   * → that outcome; never happened → it is sent again, with the same key.
   */
  private async processWrite(item: QueuedOf<'write-license'>): Promise<void> {
    const orderId = item.orderId!;
    const [dongleId] = item.dongleIds as [number];
    const attempt = item.attempts + 1;
    if (item.status === 'needs-reconcile') {
      let decision;
      try {
        decision = await reconcileWrite(
          {
            orderId,
            dongleId,
            idempotencyKey: item.payload.idempotencyKey,
            baseline: item.payload.baseline,
          },
          this.reconcilePorts,
        );
      } catch (error) {
        this.fail({ ...item, attempts: attempt }, error, item.status, [item.status]);
        return;
      }
      if (decision.kind === 'wait') {
        // Not an attempt and not a failure: the write may still land, so nothing may be decided yet.
        const moved = this.outbox.transition(item, ['needs-reconcile'], {
          status: 'needs-reconcile',
          nextAttemptAt: this.clock() + (this.options.reconcilePollMs ?? RECONCILE_POLL_MS),
          lastError: decision.reason,
        });
        if (moved) this.changed();
        return;
      }
      if (decision.kind === 'recorded') {
        const code = decision.actionResult;
        const settled: Transition =
          code === ActionResult.Success
            ? { status: 'done', result: new Map([[dongleId, code]]) }
            : { status: 'failed', result: new Map([[dongleId, code]]), lastError: actionResultReason(code) };
        this.settle(item, ['needs-reconcile'], {
          ...withoutWaitingNote(item),
          ...settled,
          attempts: attempt,
          payload: { ...item.payload, outcomeUnknown: false },
        });
        return;
      }
    }
    let latest: LastBurn | null;
    try {
      latest = await this.options.client.lastBurnInfo(orderId, dongleId);
    } catch (error) {
      this.fail({ ...item, attempts: attempt }, error, item.status, [item.status]);
      return;
    }
    const idempotencyKey = item.payload.idempotencyKey ?? randomUUID();

    // The bound is on burns: the item is marked in flight only once it holds a slot, so a waiting
    // item reads 'pending' and a crash meanwhile leaves nothing to reconcile.
    await this.acquireBurn();
    let actionResult: number;
    let sent: QueuedOf<'write-license'> | null = null;
    try {
      sent = this.outbox.transition(
        item,
        [item.status],
        {
          ...withoutWaitingNote(item),
          status: 'in-flight',
          attempts: attempt,
          payload: { ...item.payload, baseline: latest?._id ?? 0, outcomeUnknown: false, idempotencyKey },
        },
        true,
      );
      if (!sent) return;
      this.changed();
      ({ actionResult } = await this.options.performWrite(orderId, dongleId, idempotencyKey));
    } catch (error) {
      if (!sent) throw error;
      // The server refusing means nothing was written; anything else leaves the outcome unknown.
      const outcomeUnknown = !(error instanceof GuardantApiError);
      // Marked in flight with outcomeUnknown false: the payload changes only when it is now unknown.
      const payload = outcomeUnknown ? { payload: { ...sent.payload, outcomeUnknown } } : {};
      this.fail(sent, error, 'needs-reconcile', ['in-flight'], payload);
      return;
    } finally {
      this.releaseBurn();
    }
    this.settle(
      sent,
      ['in-flight'],
      actionResult === ActionResult.Success
        ? { status: 'done', result: new Map([[dongleId, actionResult]]) }
        : {
            status: 'failed',
            result: new Map([[dongleId, actionResult]]),
            lastError: actionResultReason(actionResult),
          },
    );
  }

  /**
   * An unreachable server postpones the item (to `whenUnreachable`, with backoff and at least the
   * server's Retry-After); anything else settles it as failed with the reason. `payload`: a change
   * of the payload that goes with either.
   */
  private fail(
    item: QueuedItem,
    error: unknown,
    whenUnreachable: OutboxStatus,
    from: readonly OutboxStatus[] = ['in-flight'],
    payload: Pick<Transition, 'payload'> = {},
  ): void {
    if (error instanceof ServerUnreachableError) {
      const delay = retryDelay(item.attempts, this.backoff, error.retryAfterMs, this.random);
      const moved = this.outbox.transition(item, from, {
        ...payload,
        status: whenUnreachable,
        nextAttemptAt: this.clock() + delay,
        lastError: reasonOf(error),
      });
      if (moved) this.changed();
      return;
    }
    this.settle(item, from, { ...payload, status: 'failed', lastError: reasonOf(error) });
  }

  private settle(item: OutboxItem, from: readonly OutboxStatus[], change: Transition): void {
    const moved = this.outbox.transition(item, from, change);
    if (!moved) return;
    // The item is settled in the database first; an observer that throws must not keep its waiters
    // (a write job, the UI) waiting for an outcome that has already happened.
    try {
      if (isSettled(moved.status)) this.options.onItemSettled?.(publicItem(moved));
    } finally {
      this.changed();
    }
  }

  /** Something in the outbox changed: tell the UI (coalesced), wake the loop and resolve waiters. */
  private changed(): void {
    this.wake();
    this.resolveItemWaiters();
    this.pushSummary();
  }

  private resolveItemWaiters(): void {
    if (this.itemWaiters.size === 0 || !this.outbox.isOpen) return;
    for (const [id, waiters] of this.itemWaiters) {
      const item = this.outbox.get(id);
      if (item && !isSettled(item.status)) continue;
      this.itemWaiters.delete(id);
      if (item) for (const resolve of waiters) resolve(item);
    }
  }

  private checkDrained(): void {
    if (this.outbox.openCount() > 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
    if (this.drainAnnounced) return;
    this.drainAnnounced = true;
    this.options.onDrained?.();
  }

  private sleep(ms: number | null): Promise<void> {
    if (this.woken || !this.running) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = ms === null ? null : setTimeout(() => this.wake(), ms);
      this.wakeUp = () => {
        if (timer) clearTimeout(timer);
        resolve();
      };
    });
  }

  private wake(): void {
    const wakeUp = this.wakeUp;
    this.wakeUp = null;
    if (wakeUp) wakeUp();
    else this.woken = true;
  }
}
