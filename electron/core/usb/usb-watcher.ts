import { EventEmitter } from 'node:events';
import type { GuardantFamily } from '../../../shared/guardant/usb-ids';
import { guardantFamily } from './guardant-devices';
import { portPath, usbLocation } from './port-path';
import type { UsbConnectionEventLike, UsbConnectionListener, UsbDeviceLike, UsbLike } from './usb-like';

/** A Guardant key present on USB, before the license manager has told us who it is. */
export interface GuardantUsbDevice {
  /**
   * Stable while the key stays in its port: the port path ("port:1-4.1"). A key moved to another port
   * is a new attachment; the license manager says it is the same dongle.
   */
  key: string;
  family: GuardantFamily;
  vendorId: number;
  productId: number;
  /** The port path, "1-4.1": what the license manager reports and what the operator reads. */
  usbPath: string | null;
  /** The device's address on its bus: a new one at every plug, so a swap in one port is seen. */
  address: number | null;
  serialNumber: string | null;
  /** Why reading the serial number failed (usb v3 opens the device for it): null when it did not. */
  serialError: string | null;
  /** This user may not open the key's device node (no udev rule): whoever reads it as this user fails. */
  accessDenied: boolean;
  /** When the watcher first saw it (epoch ms). */
  attachedAt: number;
}

/** What the watcher knows about the host's USB: the bench state the operator is shown. */
export interface UsbWatcherStatus {
  /** The last scan; null before the first one ended. */
  scan: { ok: true; at: number } | { ok: false; at: number; error: string } | null;
  /** Listening for connect/disconnect: only once a scan has shown there is a USB subsystem. */
  listening: boolean;
  /** A connect or disconnect event arrived since start: hot-plug demonstrably works here. */
  hotplugSeen: boolean;
  /** Keys present whose serial number could not be read, with the first reason. */
  unreadableSerials: number;
  serialError: string | null;
  /** Keys present whose device node this user may not open. */
  accessDenied: number;
}

export interface UsbWatcherEvents {
  attach: [GuardantUsbDevice];
  detach: [GuardantUsbDevice];
  /** The status changed (a scan failed or recovered, listening began, serials became unreadable…). */
  status: [UsbWatcherStatus];
  /** A scan has been applied (its attach/detach already emitted): what tests and benches wait on. */
  scanned: [];
}

export interface UsbWatcherOptions {
  now?: () => number;
  /**
   * How long after a scan the next one runs: the only way keys are seen where hot-plug events never
   * come (no udev daemon), and the repair for events lost elsewhere. Asked again before every wait,
   * so it can follow the host (udev started or stopped). 0 turns periodic scans off.
   */
  rescanIntervalMs?: number | (() => number);
  /** Whether this user may open a key's device (device-access.ts on a real bench); asked once per plug. */
  deviceAccess?: (where: { busNumber: number; address: number }) => DeviceAccess;
}

export type DeviceAccess = 'ok' | 'denied' | 'unknown';

type Pending = { type: 'connect' | 'disconnect'; device: UsbDeviceLike };

/** A Guardant key as seen in one scan or event, before it is (or is not) announced. */
interface Observed {
  device: UsbDeviceLike;
  family: GuardantFamily;
  key: string;
  usbPath: string | null;
  address: number | null;
  location: { busNumber: number; address: number } | null;
}

export const DEFAULT_RESCAN_INTERVAL_MS = 10_000;

/**
 * Keeps the set of Guardant keys on USB: scans, then connect/disconnect events, with a periodic
 * rescan that reconciles whatever events were missed. Everything that is not a Guardant licence key
 * is dropped here, so nothing downstream sees it. Operating systems repeat and reorder hot-plug
 * events; the watcher reports each change once. Nothing the host's USB does (no subsystem, a serial
 * that cannot be read, no hot-plug) rejects or throws out of it: it becomes the watcher's status.
 */
export class UsbWatcher extends EventEmitter<UsbWatcherEvents> {
  private readonly present = new Map<string, GuardantUsbDevice>();
  /** Events that arrive while a scan runs, replayed on top of its snapshot. */
  private duringScan: Pending[] | null = null;
  private started = false;
  private listening = false;
  private hotplugSeen = false;
  private scanning: Promise<void> | null = null;
  private rescanTimer: NodeJS.Timeout | null = null;
  private lastScan: UsbWatcherStatus['scan'] = null;
  private lastStatusJson = '';
  private readonly madeUpKeys = new WeakMap<object, string>();
  private nextMadeUpKey = 1;
  private readonly now: () => number;

  constructor(
    private readonly usb: UsbLike,
    private readonly options: UsbWatcherOptions = {},
  ) {
    super();
    this.now = options.now ?? Date.now;
  }

  /**
   * Resolves once the first scan has been applied (its keys emitted as 'attach') or has failed (see
   * status()); never rejects, so a host without USB still runs the rest of the station.
   */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    await this.rescan();
  }

  stop(): void {
    if (!this.started) return;
    this.started = false;
    if (this.rescanTimer) clearTimeout(this.rescanTimer);
    this.rescanTimer = null;
    if (this.listening) {
      this.usb.removeEventListener('connect', this.onConnect);
      this.usb.removeEventListener('disconnect', this.onDisconnect);
      this.listening = false;
    }
    this.present.clear();
  }

  devices(): GuardantUsbDevice[] {
    return [...this.present.values()];
  }

  status(): UsbWatcherStatus {
    let unreadableSerials = 0;
    let serialError: string | null = null;
    let accessDenied = 0;
    for (const entry of this.present.values()) {
      if (entry.accessDenied) accessDenied++;
      if (entry.serialError === null) continue;
      unreadableSerials++;
      serialError ??= entry.serialError;
    }
    return {
      scan: this.lastScan,
      listening: this.listening,
      hotplugSeen: this.hotplugSeen,
      unreadableSerials,
      serialError,
      accessDenied,
    };
  }

  /** Scans now (a scan already running is awaited, not doubled) and reconciles with what is known. */
  rescan(): Promise<void> {
    if (!this.started) return Promise.resolve();
    this.scanning ??= this.scanOnce().finally(() => {
      this.scanning = null;
      this.scheduleRescan();
    });
    return this.scanning;
  }

  private scheduleRescan(): void {
    if (!this.started) return;
    if (this.rescanTimer) clearTimeout(this.rescanTimer);
    this.rescanTimer = null;
    const option = this.options.rescanIntervalMs ?? DEFAULT_RESCAN_INTERVAL_MS;
    const interval = typeof option === 'function' ? option() : option;
    if (!(interval > 0)) return;
    this.rescanTimer = setTimeout(() => {
      this.rescanTimer = null;
      void this.rescan();
    }, interval);
    // A bench with nothing else to do must not keep the process alive.
    this.rescanTimer.unref?.();
  }

  private async scanOnce(): Promise<void> {
    if (!this.listening) {
      // Listen only once a scan has shown there is a USB subsystem: with `usb` v3 the first listener
      // starts a lookup whose rejection nobody catches, which kills a host without one. This first
      // scan only proves that; the one below, taken while listening, is the one applied.
      try {
        await this.usb.getDevices();
      } catch (error) {
        this.scanFailed(error);
        return;
      }
      if (!this.started) return;
      this.usb.addEventListener('connect', this.onConnect);
      this.usb.addEventListener('disconnect', this.onDisconnect);
      this.listening = true;
    }

    const buffered: Pending[] = [];
    this.duringScan = buffered;
    let scanned: UsbDeviceLike[];
    try {
      scanned = await this.usb.getDevices();
    } catch (error) {
      this.duringScan = null;
      for (const event of buffered) this.apply(event);
      this.scanFailed(error);
      return;
    } finally {
      this.duringScan = null;
    }
    if (!this.started) return; // stopped while scanning

    // The snapshot, then what happened while it was being taken: whichever order the OS produced
    // them in, the net result is right, and only the net change is announced.
    const target = new Map<string, Observed>();
    for (const device of scanned) {
      const seen = this.observe(device);
      if (seen) target.set(seen.key, seen);
    }
    for (const event of buffered) {
      const seen = this.observe(event.device);
      if (!seen) continue;
      if (event.type === 'connect') target.set(seen.key, seen);
      else if (sameAttachment(target.get(seen.key), seen)) target.delete(seen.key);
    }
    for (const [key, entry] of [...this.present]) {
      const now = target.get(key);
      if (!now || !sameAttachment(entry, now)) {
        this.present.delete(key);
        this.emit('detach', entry);
      }
    }
    for (const seen of target.values()) {
      if (this.present.has(seen.key)) continue;
      this.emit('attach', this.admit(seen));
    }

    this.lastScan = { ok: true, at: this.now() };
    this.emitStatus();
    this.emit('scanned');
  }

  /** No USB subsystem (a container, a locked-down PC) or a failing addon: a bench state, not a crash. */
  private scanFailed(error: unknown): void {
    if (!this.started) return;
    this.lastScan = {
      ok: false,
      at: this.now(),
      error: error instanceof Error ? error.message : String(error),
    };
    this.emitStatus();
    this.emit('scanned');
  }

  private readonly onConnect: UsbConnectionListener = (event: UsbConnectionEventLike) => {
    this.onEvent({ type: 'connect', device: event.device });
  };

  private readonly onDisconnect: UsbConnectionListener = (event: UsbConnectionEventLike) => {
    this.onEvent({ type: 'disconnect', device: event.device });
  };

  private onEvent(event: Pending): void {
    if (!this.started) return;
    const firstEvent = !this.hotplugSeen;
    this.hotplugSeen = true;
    if (this.duringScan) this.duringScan.push(event);
    else this.apply(event);
    if (firstEvent) this.emitStatus();
  }

  private apply(event: Pending): void {
    const seen = this.observe(event.device);
    if (!seen) return;
    const known = this.present.get(seen.key);
    if (event.type === 'connect') {
      if (known && sameAttachment(known, seen)) return; // a repeat
      if (known) {
        // Another plug in the same port whose unplug never came: the old key is gone.
        this.present.delete(seen.key);
        this.emit('detach', known);
      }
      this.emit('attach', this.admit(seen));
    } else {
      // An unplug of an earlier plug in this port (a late event) is not about the key there now.
      if (!known || !sameAttachment(known, seen)) return;
      this.present.delete(seen.key);
      this.emit('detach', known);
    }
    this.emitStatus();
  }

  /** A Guardant key's location and key; null for anything else. Reads no serial number. */
  private observe(device: UsbDeviceLike): Observed | null {
    const family = guardantFamily(device);
    if (!family) return null;
    const location = usbLocation(device);
    const usbPath = location ? portPath(location) : null;
    if (location && usbPath)
      return { device, family, key: `port:${usbPath}`, usbPath, address: location.address, location };
    // No usable location (not what usb v3 gives, but a platform might): the device object itself
    // identifies it. usb v3 hands the object it announced at connect to 'disconnect'.
    let key = this.madeUpKeys.get(device);
    if (!key) {
      key = `device:${this.nextMadeUpKey++}`;
      this.madeUpKeys.set(device, key);
    }
    return { device, family, key, usbPath: null, address: location?.address ?? null, location };
  }

  /** Records a new attachment: its serial number is read here, once, and may not be readable. */
  private admit(seen: Observed): GuardantUsbDevice {
    const { serialNumber, serialError } = readSerial(seen.device);
    const { deviceAccess } = this.options;
    const location = seen.location;
    const access = deviceAccess && location ? safely(() => deviceAccess(location), 'unknown') : 'unknown';
    const entry: GuardantUsbDevice = {
      key: seen.key,
      family: seen.family,
      vendorId: seen.device.vendorId,
      productId: seen.device.productId,
      usbPath: seen.usbPath,
      address: seen.address,
      serialNumber,
      serialError,
      accessDenied: access === 'denied',
      attachedAt: this.now(),
    };
    this.present.set(seen.key, entry);
    return entry;
  }

  private emitStatus(): void {
    const status = this.status();
    const json = JSON.stringify({
      ...status,
      scan: status.scan && { ok: status.scan.ok, error: 'error' in status.scan ? status.scan.error : null },
    });
    if (json === this.lastStatusJson) return;
    this.lastStatusJson = json;
    this.emit('status', status);
  }
}

/** Same port and same address: the same plug. A swap in one port changes the address. */
function sameAttachment(a: { address: number | null } | undefined, b: { address: number | null }): boolean {
  return a !== undefined && (a.address === null || b.address === null || a.address === b.address);
}

/**
 * usb v3's serialNumber getter opens the device when sysfs has no serial, and throws when it cannot
 * (no permission without the udev rule): that must cost the key its serial, not the bench its scan.
 */
function readSerial(device: UsbDeviceLike): { serialNumber: string | null; serialError: string | null } {
  try {
    const serial = device.serialNumber;
    return { serialNumber: typeof serial === 'string' && serial ? serial : null, serialError: null };
  } catch (error) {
    return { serialNumber: null, serialError: error instanceof Error ? error.message : String(error) };
  }
}

/** A host probe that throws tells nothing: it must not cost the key its place on the bench. */
function safely<T>(probe: () => T, fallback: T): T {
  try {
    return probe();
  } catch {
    return fallback;
  }
}
