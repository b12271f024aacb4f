import type { UsbConnectionListener, UsbDeviceLike, UsbEventType, UsbLike } from '../core/usb/usb-like';

export interface VirtualUsbDevice extends UsbDeviceLike {
  readonly bus: string;
  readonly serialNumber: string | null;
}

/**
 * An in-memory USB bus that behaves like node-usb's WebUSB: a device plugged or unplugged is announced
 * synchronously to every listener, and getDevices() answers a snapshot. The same device object is
 * handed to 'connect' and to 'disconnect', as node-usb does.
 */
export class VirtualUsb implements UsbLike {
  private readonly devices = new Map<string, VirtualUsbDevice>();
  private readonly listeners: Record<UsbEventType, Set<UsbConnectionListener>> = {
    connect: new Set(),
    disconnect: new Set(),
  };

  /** Lets tests hold the initial scan open, to plug and unplug while it runs. */
  constructor(private readonly options: { scanDelayMs?: number } = {}) {}

  async getDevices(): Promise<VirtualUsbDevice[]> {
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

  /** Plugs a device into its port (`bus`); a port holds one device. */
  connect(device: VirtualUsbDevice): void {
    if (this.devices.has(device.bus)) throw new Error(`USB port ${device.bus} is already taken`);
    this.devices.set(device.bus, device);
    this.dispatch('connect', device);
  }

  /** Unplugs whatever is in the port; returns it, or null when the port was empty. */
  disconnect(bus: string): VirtualUsbDevice | null {
    const device = this.devices.get(bus);
    if (!device) return null;
    this.devices.delete(bus);
    this.dispatch('disconnect', device);
    return device;
  }

  isPlugged(bus: string): boolean {
    return this.devices.has(bus);
  }

  /** Announces an event without changing the bus: how tests mimic an OS that repeats itself. */
  dispatch(type: UsbEventType, device: UsbDeviceLike): void {
    for (const listener of [...this.listeners[type]]) listener({ device });
  }
}
