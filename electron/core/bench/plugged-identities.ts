import { StationErrorCode } from '../../../shared/ipc/result';
import type { KeyIdentity } from '../../../shared/station/models';
import type { IdentifiedKey, KeyInventory } from '../inventory/key-inventory';
import { StationFault } from '../ipc/station-fault';

/** How many missing keys a refusal names before it only counts the rest. */
const NAMED_MISSING = 5;

export const identityOf = (key: IdentifiedKey): KeyIdentity => ({
  dongleId: key.dongleId,
  model: key.model,
  publicCode: key.publicCode,
  typeFlags: key.typeFlags,
  netResource: key.netResource,
});

/** A plugged key's identity, for the runs and auto mode; null when it is not on the bench. */
export const identityOnBench =
  (inventory: Pick<KeyInventory, 'key'>) =>
  (dongleId: number): KeyIdentity | null => {
    const key = inventory.key(dongleId);
    return key ? identityOf(key) : null;
  };

/**
 * The identities of keys an operator named, all of which must be on the bench: a request naming a key
 * that is not plugged in is refused as a whole.
 */
export const pluggedIdentities =
  (inventory: Pick<KeyInventory, 'keys'>) =>
  (dongleIds: number[]): KeyIdentity[] => {
    const byId = new Map(inventory.keys().map((k) => [k.dongleId, k]));
    const missing = dongleIds.filter((id) => !byId.has(id));
    if (missing.length) {
      const more = missing.length > NAMED_MISSING ? ` and ${missing.length - NAMED_MISSING} more` : '';
      throw new StationFault(
        StationErrorCode.InvalidRequest,
        `not plugged in: ${missing.slice(0, NAMED_MISSING).join(', ')}${more}`,
      );
    }
    return dongleIds.map((id) => identityOf(byId.get(id)!));
  };
