import type { AttachedKey } from '../../../shared/station/models';
import { coalesce } from '../coalesce';
import type { KeyInventory } from '../inventory/key-inventory';
import type { KeyRecords } from '../keys/key-records';

/** At most one bench push per this many ms while keys keep changing. */
const KEYS_PUSH_WINDOW_MS = 250;

export interface BenchViewPorts {
  inventory: Pick<KeyInventory, 'keys'>;
  keyRecords: Pick<KeyRecords, 'getMany'>;
  /** The whole bench, pushed to the renderer. */
  push: (keys: AttachedKey[]) => void;
  /** Whether the station's records can still be read (false once the station closed). */
  open: () => boolean;
}

/** The bench as the operator sees it: the plugged keys, each with what this station knows of it. */
export class BenchView {
  /**
   * Many key-state changes (a 500-key batch settling, eight parallel writes settling a second) become
   * one push of the whole bench per window: each push is the full list, so pushing per write would
   * cost more than the writes themselves.
   */
  readonly changed: () => void;

  constructor(private readonly ports: BenchViewPorts) {
    this.changed = coalesce(KEYS_PUSH_WINDOW_MS, () => {
      if (ports.open()) ports.push(this.keys());
    });
  }

  keys(): AttachedKey[] {
    const keys = this.ports.inventory.keys();
    const records = this.ports.keyRecords.getMany(keys.map((k) => k.dongleId));
    return keys.map((key) => {
      const record = records.get(key.dongleId);
      return {
        ...key,
        state: record?.state ?? 'new',
        orderId: record?.orderId ?? null,
        lastActionResult: record?.actionResult ?? null,
      };
    });
  }
}
