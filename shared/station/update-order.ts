import { OrderStatus, OrderType } from '../guardant/codes';
import { toUint32 } from '../guardant/numbers';
import type { Order } from '../guardant/responses';

/**
 * A hardware Update order names the one key it updates when it is created (`dongleId` in the request,
 * `dongleid` in Keybench's answers) and binds that key when submitted: it takes no keys, but its
 * licence is written into that key (docs/api-decisions.md, "Hardware keys").
 * The key's id (unsigned), or null when the order is not a hardware Update order naming a key.
 */
export function updateOrderKey(order: Pick<Order, 'type' | 'ishardwarelicense' | 'dongleid'>): number | null {
  if (order.type !== OrderType.Update || !order.ishardwarelicense || order.dongleid === undefined)
    return null;
  return toUint32(order.dongleid);
}

/** Whether the order's licence can be written into its key now: only once submitted does it bind it. */
export function updateOrderWritable(
  order: Pick<Order, 'status'>,
): { ok: true } | { ok: false; reason: string } {
  if (order.status === OrderStatus.Submitted) return { ok: true };
  if (order.status === OrderStatus.Draft)
    return { ok: false, reason: 'It is a Draft; submit it on the server before writing its key.' };
  return { ok: false, reason: 'It is no longer Submitted; nothing can be written from it.' };
}
