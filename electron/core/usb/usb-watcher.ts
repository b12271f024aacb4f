import { EventEmitter } from 'node:events';
import { guardantFamily, type GuardantFamily } from './guardant-devices';
import type { UsbConnectionEventLike, UsbConnectionListener, UsbDeviceLike, UsbLike } from './usb-like';

/** A Guardant key present on USB, before the license manager has told us who it is. */
export interface GuardantUsbDevice {
  /** Stable while the key stays plugged: its port path, else its serial number, else a made-up id. */
  key: string;
  family: GuardantFamily;
  vendorId: number;
  productId: number;
  usbPath: string | null;
  serialNumber: string | null;
  /** When the watcher first saw it (epoch ms). */
  attachedAt: number;
}

export interface UsbWatcherEvents {
  attach: [GuardantUsbDevice];
  detach: [GuardantUsbDevice];
}

type Pending = { type: 'connect' | 'disconnect'; device: UsbDeviceLike };

/**
 * Keeps the set of Guardant keys on USB: a full scan at start, then connect/disconnect events.
 * Everything that is not a Guardant licence key is dropped here, so nothing downstream sees it.
 * Operating systems repeat and reorder hot-plug events; the watcher reports each change once.
 */
export class UsbWatcher extends EventEmitter<UsbWatcherEvents> {
  private readonly present = new Map<string, GuardantUsbDevice>();
  /** Events that arrive while the initial scan runs, replayed on top of its snapshot. */
  private duringScan: Pending[] | null = null;
  private started = false;
  private readonly madeUpKeys = new WeakMap<object, string>();
  private nextMadeUpKey = 1;

  constructor(
    private readonly usb: UsbLike,
    private readonly now: () => number = Date.now,
  ) {
    super();
  }

  /** Resolves once the initial scan has been applied; its keys are emitted as 'attach'. */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    const buffered: Pending[] = [];
    this.duringScan = buffered;
    // Listen before scanning, so a key plugged while the scan runs is not missed.
    this.usb.addEventListener('connect', this.onConnect);
    this.usb.addEventListener('disconnect', this.onDisconnect);
    let scanned: UsbDeviceLike[];
    try {
      scanned = await this.usb.getDevices();
    } catch (error) {
      this.stop();
      throw error;
    } finally {
      this.duringScan = null;
    }
    if (!this.started) return; // stopped while scanning

    // Apply the snapshot, then what happened while it was being taken; whichever order the OS
    // produced them in, the net result is right. Only the net result is announced.
    for (const device of scanned) this.add(device);
    for (const event of buffered) {
      if (event.type === 'connect') this.add(event.device);
      else this.remove(event.device);
    }
    for (const entry of this.present.values()) this.emit('attach', entry);
  }

  stop(): void {
    if (!this.started) return;
    this.started = false;
    this.usb.removeEventListener('connect', this.onConnect);
    this.usb.removeEventListener('disconnect', this.onDisconnect);
    this.present.clear();
  }

  devices(): GuardantUsbDevice[] {
    return [...this.present.values()];
  }

  private readonly onConnect: UsbConnectionListener = (event: UsbConnectionEventLike) => {
    if (this.duringScan) this.duringScan.push({ type: 'connect', device: event.device });
    else {
      const added = this.add(event.device);
      if (added) this.emit('attach', added);
    }
  };

  private readonly onDisconnect: UsbConnectionListener = (event: UsbConnectionEventLike) => {
    if (this.duringScan) this.duringScan.push({ type: 'disconnect', device: event.device });
    else {
      const removed = this.remove(event.device);
      if (removed) this.emit('detach', removed);
    }
  };

  /** Returns the new entry, or null when the device is not a key or is already known (a repeat). */
  private add(device: UsbDeviceLike): GuardantUsbDevice | null {
    const family = guardantFamily(device);
    if (!family) return null;
    const key = this.keyOf(device);
    if (this.present.has(key)) return null;
    const entry: GuardantUsbDevice = {
      key,
      family,
      vendorId: device.vendorId,
      productId: device.productId,
      usbPath: device.bus || null,
      serialNumber: device.serialNumber || null,
      attachedAt: this.now(),
    };
    this.present.set(key, entry);
    return entry;
  }

  private remove(device: UsbDeviceLike): GuardantUsbDevice | null {
    if (!guardantFamily(device)) return null;
    const key = this.keyOf(device);
    const entry = this.present.get(key);
    if (!entry) return null;
    this.present.delete(key);
    return entry;
  }

  private keyOf(device: UsbDeviceLike): string {
    if (device.bus) return `path:${device.bus}`;
    if (device.serialNumber) return `serial:${device.serialNumber}`;
    // Neither a path nor a serial: only the object itself identifies the device. node-usb hands the
    // same object to 'connect' and 'disconnect', so this still pairs them up.
    let key = this.madeUpKeys.get(device);
    if (!key) {
      key = `device:${this.nextMadeUpKey++}`;
      this.madeUpKeys.set(device, key);
    }
    return key;
  }
}
