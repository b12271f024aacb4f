import { isKeyInOrder } from '../guardant/codes';
import type { OutboxItem, OutboxResult } from './models';

/**
 * An item's outcome per key id, as numbers: the add's `retcode` (add-keys), the write's ActionResult
 * (write-license), 0 for a removal or a driver change. On the IPC wire and in the station database the
 * same map is `OutboxItem.result`, a JSON object keyed by key id (JSON keys are strings); this module
 * is the one place that reads and builds that form.
 */
export type KeyCodes = ReadonlyMap<number, number>;

/** The code the item settled with for this key; null while it has none (not settled, or not answered). */
export function keyCodeOf(item: Pick<OutboxItem, 'result'>, dongleId: number): number | null {
  return item.result?.[String(dongleId)] ?? null;
}

/** A write-license item's ActionResult (it writes one key); null until it has one. */
export function actionResultOf(item: Pick<OutboxItem, 'result' | 'dongleIds'>): number | null {
  const [dongleId] = item.dongleIds;
  return dongleId === undefined ? null : keyCodeOf(item, dongleId);
}

/** The keys of a done add-keys item that are in the order now (added, or already there). */
export function keysInOrderOf(item: Pick<OutboxItem, 'status' | 'result' | 'dongleIds'>): number[] {
  if (item.status !== 'done') return [];
  return item.dongleIds.filter((id) => {
    const code = keyCodeOf(item, id);
    return code !== null && isKeyInOrder(code);
  });
}

/** The stored and wire form of per-key codes. */
export function resultOf(codes: KeyCodes): OutboxResult {
  return Object.fromEntries([...codes].map(([dongleId, code]) => [String(dongleId), code]));
}
