import { StationErrorCode } from '../../../shared/ipc/result';
import type { AttachedKey, UnpluggedKey, UsbStatus } from '../../../shared/station/models';
import type { StationHandlers } from '../ipc/handlers';
import { StationFault } from '../ipc/station-fault';
import type { BenchSimulator } from './simulator-port';

type BenchChannels = 'keys:list' | 'usb:status' | 'bench:simulate' | 'bench:unplugged';

export interface BenchHandlerPorts {
  keys: () => AttachedKey[];
  usbStatus: () => UsbStatus;
  /** The simulated bench to script; null on a real bench. */
  simulator: BenchSimulator | null;
  /** Resolves once the keys a scripted action plugged or pulled have been read. */
  settled: () => Promise<void>;
}

/** The keys the Simulator offers to plug back, most recently made first, at most 1000. */
const UNPLUGGED_SHOWN = 1000;

/** Plugs chosen keys back in; a key the bench never made, or one already in, is refused in words. */
function replug(bench: BenchSimulator, dongleIds: number[]): void {
  try {
    bench.replug(dongleIds);
  } catch (error) {
    if (error instanceof RangeError) throw new StationFault(StationErrorCode.InvalidRequest, error.message);
    throw error;
  }
}

function unplugged(bench: BenchSimulator): UnpluggedKey[] {
  return bench
    .unpluggedKeys()
    .reverse()
    .slice(0, UNPLUGGED_SHOWN)
    .map((k) => ({ dongleId: k.dongleId, model: k.model, netResource: k.netResource }));
}

/** The bench's channels: its keys, its USB, and the Simulator's scripting on a simulated bench. */
export function benchHandlers(ports: BenchHandlerPorts): Pick<StationHandlers, BenchChannels> {
  const { simulator } = ports;
  return {
    'keys:list': async () => ports.keys(),
    'usb:status': async () => ports.usbStatus(),
    'bench:unplugged': async () => (simulator ? unplugged(simulator) : []),
    'bench:simulate': async (request) => {
      if (!simulator) {
        throw new StationFault(
          StationErrorCode.NotSimulated,
          'This station runs a real bench; there is nothing to simulate.',
        );
      }
      switch (request.action) {
        case 'plug':
          simulator.plug(request.count, { model: request.model, netResource: request.netResource });
          break;
        case 'unplug':
          simulator.unplug(request.dongleIds);
          break;
        case 'replug':
          replug(simulator, request.dongleIds);
          break;
        case 'fail-next-write':
          await simulator.failNextWrite(request.dongleId, request.actionResult);
          break;
        case 'spoil-next-write':
          simulator.spoilNextWrite(request.dongleId, request.how);
          break;
        case 'slow':
          simulator.slow(request.delayMs);
          break;
      }
      await ports.settled();
      return ports.keys();
    },
  };
}
