import { parsePortPath } from '../core/usb/port-path';
import type { UsbConnectionListener, UsbDeviceLike, UsbEventType, UsbLike } from '../core/usb/usb-like';

/** What a test or the simulated bench plugs: a device and the port it goes into. */
export interface VirtualPlug {
  vendorId: number;
  productId: number;
  /** The port path, "1-4.1" (bus 1, root port 4, hub port 1); hubs of any depth up to USB's seven. */
  port: string;
  /**
   * null: the device has none. An Error: reading it throws, as usb v3's getter does when sysfs has no
   * serial and the device cannot be opened (no permission without the udev rule).
   */
  serialNumber: string | null | Error;
}

/**
 * A device as `usb` v3 hands it out: `bus` is the bus NUMBER ("001"), the port path is `bus` plus
 * `ports`, `address` is new at every plug, and `serialNumber` is a getter that may throw.
 */
export class VirtualUsbDevice implements UsbDeviceLike {
  readonly bus: string;
  readonly ports: readonly number[];

  constructor(
    readonly vendorId: number,
    readonly productId: number,
    busNumber: number,
    ports: readonly number[],
    readonly address: number,
    private readonly serial: string | null | Error,
  ) {
    this.bus = String(busNumber).padStart(3, '0');
    this.ports = Object.freeze([...ports]);
  }

  get serialNumber(): string | null {
    if (this.serial instanceof Error) throw this.serial;
    return this.serial;
  }

  /** The port path this device is in. */
  get port(): string {
    return `${Number(this.bus)}-${this.ports.join('.')}`;
  }
}

/**
 * An in-memory USB bus that behaves like `usb` v3's WebUSB: a device plugged or unplugged is announced
 * synchronously to every listener, getDevices() answers a snapshot, and the same device object is
 * handed to 'connect' and to 'disconnect'.
 */
export class VirtualUsb implements UsbLike {
  private readonly devices = new Map<string, VirtualUsbDevice>();
  private readonly nextAddress = new Map<number, number>();
  private readonly listeners: Record<UsbEventType, Set<UsbConnectionListener>> = {
    connect: new Set(),
    disconnect: new Set(),
  };

  /**
   * scanDelayMs lets tests hold a scan open, to plug and unplug while it runs; `failScan` makes
   * getDevices() reject as usb v3 does on a host without a USB subsystem.
   */
  constructor(private readonly options: { scanDelayMs?: number; failScan?: () => Error | null } = {}) {}

  async getDevices(): Promise<VirtualUsbDevice[]> {
    const failure = this.options.failScan?.();
    if (failure) throw failure;
    // The snapshot is taken when the scan starts; anything after arrives as events.
    const snapshot = [...this.devices.values()];
    if (this.options.scanDelayMs) await new Promise((r) => setTimeout(r, this.options.scanDelayMs));
    return snapshot;
  }

  addEventListener(type: UsbEventType, listener: UsbConnectionListener): void {
    this.listeners[type].add(listener);
  }

  removeEventListener(type: UsbEventType, listener: UsbConnectionListener): void {
    this.listeners[type].delete(listener);
  }

  listenerCount(): number {
    return this.listeners.connect.size + this.listeners.disconnect.size;
  }

  /** Plugs a device into its port; a port holds one device. Returns the device as USB shows it. */
  connect(plug: VirtualPlug): VirtualUsbDevice {
    const device = this.make(plug);
    if (this.devices.has(device.port)) throw new Error(`USB port ${device.port} is already taken`);
    this.devices.set(device.port, device);
    this.dispatch('connect', device);
    return device;
  }

  /** Plugs without announcing it: a host where hot-plug events never come (no udev daemon). */
  connectQuietly(plug: VirtualPlug): VirtualUsbDevice {
    const device = this.make(plug);
    if (this.devices.has(device.port)) throw new Error(`USB port ${device.port} is already taken`);
    this.devices.set(device.port, device);
    return device;
  }

  /** Unplugs whatever is in the port; returns it, or null when the port was empty. */
  disconnect(port: string, options: { quietly?: boolean } = {}): VirtualUsbDevice | null {
    const device = this.devices.get(port);
    if (!device) return null;
    this.devices.delete(port);
    if (!options.quietly) this.dispatch('disconnect', device);
    return device;
  }

  /** The devices on the bus now. */
  plugged(): VirtualUsbDevice[] {
    return [...this.devices.values()];
  }

  isPlugged(port: string): boolean {
    return this.devices.has(port);
  }

  /** Announces an event without changing the bus: how tests mimic an OS that repeats itself. */
  dispatch(type: UsbEventType, device: UsbDeviceLike): void {
    for (const listener of [...this.listeners[type]]) listener({ device });
  }

  private make(plug: VirtualPlug): VirtualUsbDevice {
    const where = parsePortPath(plug.port);
    if (!where) throw new RangeError(`${plug.port} is not a USB port path like "1-4.1"`);
    // The kernel numbers devices per bus, 1 being the root hub, and never reuses the number at once.
    const address = this.nextAddress.get(where.busNumber) ?? 2;
    this.nextAddress.set(where.busNumber, address >= 127 ? 2 : address + 1);
    return new VirtualUsbDevice(
      plug.vendorId,
      plug.productId,
      where.busNumber,
      where.ports,
      address,
      plug.serialNumber,
    );
  }
}
