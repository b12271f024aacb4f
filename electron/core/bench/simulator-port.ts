import type { SpoiledWrite } from '../../../shared/license-manager/schemas';
import type { UnpluggedKey } from '../../../shared/station/models';
import type { UsbLike } from '../usb/usb-like';

/**
 * What the station needs from a simulated bench, and all it may know of one: the host builds the bench
 * (electron/simulated-bench, which satisfies this structurally) and hands it in, so core never imports it.
 */
export interface BenchSimulator {
  /** The bench's virtual USB bus, watched like a real one. */
  readonly usb: UsbLike;
  /** Where the bench's own license manager answers. */
  readonly licenseManagerUrl: string;
  /** Plugs `count` new keys at once. */
  plug(count: number, request?: { model?: number; netResource?: number }): unknown;
  /** Pulls the keys out (all of them when none are named). */
  unplug(dongleIds?: number[]): unknown;
  /** Plugs keys it made back in; a RangeError names a key it never made, or one already in. */
  replug(dongleIds: number[]): unknown;
  failNextWrite(dongleId: number, actionResult: number): Promise<void>;
  spoilNextWrite(dongleId: number, how: SpoiledWrite): void;
  slow(delayMs: number): void;
  /** Keys made on this bench that are not plugged in now, oldest first. */
  unpluggedKeys(): UnpluggedKey[];
}
