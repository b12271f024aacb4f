import { modelText } from '../../../shared/guardant/codes';
import type { CachedOrders } from '../cache/cached-orders';
import type { IdentifiedKey } from '../inventory/key-inventory';
import { customerShort } from '../preflight/preflight';
import type { EntryContext } from './shift-log';

/** Keys remembered after they are unplugged: a write that settles after its key was pulled keeps its port. */
const REMEMBERED_KEYS = 5_000;

export interface EntryContextPorts {
  stationName(): string;
  orders: Pick<CachedOrders, 'get'>;
  /** The key while it is plugged, else null. */
  plugged(dongleId: number): IdentifiedKey | null;
}

/**
 * What the shift log captures with each entry: the station's name, the order's number and customer
 * from the station's cache, the key's model and USB port from the bench (or where it was last seen).
 */
export function entryContext(ports: EntryContextPorts): EntryContext & { seen(keys: IdentifiedKey[]): void } {
  const lastSeen = new Map<number, { model: string; usbPort: string }>();
  const describe = (key: IdentifiedKey) => ({
    model: modelText(key.model),
    usbPort: key.usbPath ?? '',
  });
  return {
    stationName: ports.stationName,
    order(orderId) {
      const cached = ports.orders.get(orderId)?.order;
      return cached ? { number: cached.number, customer: customerShort(cached.customer) ?? '' } : null;
    },
    key(dongleId) {
      const key = ports.plugged(dongleId);
      return key ? describe(key) : (lastSeen.get(dongleId) ?? null);
    },
    /** The bench as it is now: called on every change, so an unplugged key is remembered as it was. */
    seen(keys) {
      for (const key of keys) {
        lastSeen.delete(key.dongleId);
        lastSeen.set(key.dongleId, describe(key));
      }
      while (lastSeen.size > REMEMBERED_KEYS) lastSeen.delete(lastSeen.keys().next().value!);
    },
  };
}
