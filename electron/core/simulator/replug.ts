import { StationErrorCode } from '../../../shared/ipc/result';
import type { UnpluggedKey } from '../../../shared/station/models';
import type { SimulatedBench } from '../../simulated-bench/simulated-bench';
import { StationFault } from '../ipc/dispatch';

/** Plugs chosen keys back in; a key the bench never made, or one already in, is refused in words. */
export function replugSimulated(bench: SimulatedBench, dongleIds: number[]): void {
  try {
    bench.replug(dongleIds);
  } catch (error) {
    if (error instanceof RangeError) throw new StationFault(StationErrorCode.InvalidRequest, error.message);
    throw error;
  }
}

/** The keys the Simulator offers to plug back, most recently made first, at most 1000. */
export function unpluggedSimulated(bench: SimulatedBench): UnpluggedKey[] {
  return bench
    .unpluggedKeys()
    .reverse()
    .slice(0, 1000)
    .map((k) => ({ dongleId: k.dongleId, model: k.model, netResource: k.netResource }));
}
