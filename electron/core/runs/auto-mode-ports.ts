import type { KeyIdentity } from '../../../shared/station/models';
import type { KeyInventory } from '../inventory/key-inventory';
import type { PreflightChecker } from '../preflight/preflight';
import type { ShiftLog } from '../shift-log/shift-log';
import type { StationEvents } from '../station-events';
import type { AutoModePorts } from './auto-mode';
import type { Runs } from './runs';

export interface AutoModeParts {
  inventory: KeyInventory;
  preflight: PreflightChecker;
  runs: Runs;
  events: StationEvents;
  shiftLog: ShiftLog;
  /** The key's identity while it is plugged; null when it is not. */
  identity(dongleId: number): KeyIdentity | null;
  log(message: string, error?: unknown): void;
}

/** Auto mode's ports from the station's modules: what the composition root hands it, in one place. */
export function autoModePorts(parts: AutoModeParts): AutoModePorts {
  const { inventory, preflight, runs, events, shiftLog } = parts;
  return {
    // A key unplugged since it arrived has no identity: it is left out of the question, not an error.
    preflight: (orderId, dongleIds) =>
      preflight.check({
        orderId,
        keys: dongleIds.flatMap((id) => parts.identity(id) ?? []),
        purpose: 'write',
        rewriteConfirmed: false,
      }),
    startRun: (orderId, dongleId) => runs.start(orderId, [dongleId]),
    plugged: () => inventory.keys().map((k) => k.dongleId),
    place: (dongleId) => {
      const key = inventory.key(dongleId);
      return key ? { plugOrder: key.plugOrder, usbPath: key.usbPath } : null;
    },
    onBenchChanged: (listener) => {
      const onChanged = (keys: ReadonlyArray<{ dongleId: number }>) => listener(keys.map((k) => k.dongleId));
      inventory.on('changed', onChanged);
      return () => inventory.off('changed', onChanged);
    },
    onProgress: (listener) => events.on('write:progress', listener),
    changed: (state) => events.emit('auto:changed', state),
    leftAlone: (orderId, dongleId, reason) =>
      shiftLog.record({ action: 'auto mode', orderId, dongleId, outcome: 'left alone', detail: reason }),
    now: () => Date.now(),
    log: parts.log,
  };
}
