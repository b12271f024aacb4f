import type { LastBurn, WriteResult } from '../../../shared/guardant/responses';
import type { LmWriteUnderWay } from '../../../shared/license-manager/schemas';
import { OUTBOX_WAITING_PREFIX } from '../../../shared/station/outbox-waiting';

/**
 * What the reconciler asks. `activity` answers the license manager's writes under way into the key,
 * or null when it cannot tell; `writesByKey` the server's records of one idempotency key, or null from
 * a server that cannot answer by key (a Guardant Station without Keybench's extension). A thrown
 * ServerUnreachableError means "ask again later".
 */
export interface ReconcilePorts {
  activity: (dongleId: number) => Promise<readonly LmWriteUnderWay[] | null>;
  writesByKey: (idempotencyKey: string) => Promise<readonly WriteResult[] | null>;
  lastBurn: (orderId: number, dongleId: number) => Promise<LastBurn | null>;
}

/** A write-license item whose outcome was never learned (a crash, a lost answer). */
export interface UnknownWrite {
  orderId: number;
  dongleId: number;
  /** Absent on items sent by a station older than idempotency keys. */
  idempotencyKey?: string;
  /** The last burn `_id` of this order and key before the write was sent (0: none). */
  baseline?: number;
}

export type ReconcileDecision =
  /** The write may still happen: decide later, without counting an attempt; `reason` in words, prefixed. */
  | { kind: 'wait'; reason: string }
  /** The server recorded this write's outcome: it is the item's outcome; nothing is sent again. */
  | { kind: 'recorded'; actionResult: number }
  /** The write never happened: send it (with the same idempotency key). */
  | { kind: 'send' };

/**
 * This attempt's records: the key is kept when the operator retries a failed write, so the failures
 * recorded before this attempt was sent (at or below its baseline) are not its outcome.
 */
const isMine = (write: UnknownWrite) => (w: WriteResult) =>
  w.order_id === write.orderId && w.dongleid >>> 0 === write.dongleId >>> 0 && w._id > (write.baseline ?? 0);

/**
 * Decides what became of a write whose answer was lost, without ever guessing while it may still be
 * running (a license manager in another process burns on after the station died):
 *
 * 1. the license manager still has a write with this idempotency key → wait;
 * 2. the server answers by key: a success recorded → that; otherwise the last failure recorded → that
 *    (as the write's own answer would have said); nothing → send;
 * 3. the server cannot answer by key: wait until the license manager reports no write into the key
 *    under way, then compare the server's last burn with the baseline ("newer → that one's outcome").
 */
export async function reconcileWrite(write: UnknownWrite, ports: ReconcilePorts): Promise<ReconcileDecision> {
  const { orderId, dongleId, idempotencyKey } = write;
  const underWay = await ports.activity(dongleId);
  if (idempotencyKey !== undefined && underWay?.some((w) => w.idempotencyKey === idempotencyKey)) {
    return {
      kind: 'wait',
      reason: `${OUTBOX_WAITING_PREFIX}the license manager is still writing this key; its outcome is taken once it has finished.`,
    };
  }

  const recorded = idempotencyKey === undefined ? null : await ports.writesByKey(idempotencyKey);
  if (recorded) {
    const mine = recorded.filter(isMine(write));
    const outcome = mine.find((w) => w.actionresult === 0) ?? mine.at(-1);
    return outcome ? { kind: 'recorded', actionResult: outcome.actionresult } : { kind: 'send' };
  }

  // Without an answer by key, a write still burning into the key (ours, its key unknown to an older
  // license manager) would be recorded after we looked: "nothing newer" means something only once idle.
  if (underWay && underWay.length > 0) {
    return {
      kind: 'wait',
      reason: `${OUTBOX_WAITING_PREFIX}a write into this key is still under way; the server is asked once it has finished.`,
    };
  }
  const latest = await ports.lastBurn(orderId, dongleId);
  if (write.baseline !== undefined && latest && latest._id > write.baseline) {
    return { kind: 'recorded', actionResult: latest.actionresult };
  }
  return { kind: 'send' };
}
