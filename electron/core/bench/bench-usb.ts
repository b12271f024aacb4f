import type { UsbStatus } from '../../../shared/station/models';
import type { UsbLike } from '../usb/usb-like';
import { describeUsbStatus } from '../usb/usb-notices';
import { DEFAULT_RESCAN_INTERVAL_MS, UsbWatcher, type UsbWatcherOptions } from '../usb/usb-watcher';

/** Where none come, the rescan is how keys are seen: a key shows up within this long. */
export const RESCAN_WITHOUT_HOTPLUG_MS = 2_000;

export interface BenchUsbOptions {
  /** Whether hot-plug events can come (null: cannot tell, e.g. a simulated bench); asked before each rescan. */
  udevRunning: () => boolean | null;
  /** This installation's udev rule file, named in the command the operator is told to run. */
  udevRulesPath: string | null;
  deviceAccess?: UsbWatcherOptions['deviceAccess'];
  rescanMs?: number;
  rescanWithoutHotplugMs?: number;
  /** The bench's USB status when it changes in anything but its last scan's time. */
  onStatus: (status: UsbStatus) => void;
}

/**
 * The bench's USB bus as the station watches it: how often it is rescanned, and the status (with its
 * notices for the operator) pushed when it changes.
 */
export class BenchUsb {
  readonly watcher: UsbWatcher;
  private lastPushed = '';

  constructor(
    usb: UsbLike,
    private readonly options: BenchUsbOptions,
  ) {
    this.watcher = new UsbWatcher(usb, {
      rescanIntervalMs: () => this.rescanIntervalMs(),
      deviceAccess: options.deviceAccess,
    });
    this.watcher.on('status', this.push);
    // The udev daemon may start or stop under a running station: its notice follows at the next scan.
    this.watcher.on('scanned', this.push);
  }

  status(): UsbStatus {
    return describeUsbStatus(this.watcher.status(), {
      udevRunning: this.options.udevRunning(),
      udevRulesPath: this.options.udevRulesPath,
      rescanIntervalMs: this.rescanIntervalMs(),
    });
  }

  /**
   * A rescan reconciles events that were lost: where hot-plug events come it only repairs the odd
   * lost one, at the watcher's own pace (DEFAULT_RESCAN_INTERVAL_MS); where none can come (no udev
   * daemon) it is the only way keys are seen, so it runs often (README, "USB rescan" has what it
   * costs). Not listening (no USB subsystem yet) means no events either: look as often as without udev.
   */
  private rescanIntervalMs(): number {
    return this.options.udevRunning() === false || !this.watcher.status().listening
      ? (this.options.rescanWithoutHotplugMs ?? RESCAN_WITHOUT_HOTPLUG_MS)
      : (this.options.rescanMs ?? DEFAULT_RESCAN_INTERVAL_MS);
  }

  private readonly push = (): void => {
    const status = this.status();
    const text = JSON.stringify({ ...status, lastScanAt: null });
    if (text === this.lastPushed) return;
    this.lastPushed = text;
    this.options.onStatus(status);
  };
}
