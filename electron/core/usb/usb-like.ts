/**
 * The part of the `usb` package (v3, WebUSB API) the station uses, in the shape v3 really gives it.
 * `new WebUSB({ allowAllDevices: true })` satisfies it (real-usb.ts has the compiler check that
 * against the package's own types), and so does the simulated bench's VirtualUsb, so the simulated
 * bench runs the same code paths as real hardware.
 */
export interface UsbDeviceLike {
  readonly vendorId: number;
  readonly productId: number;
  /**
   * The BUS NUMBER as sysfs writes it ("001"), not a port path: every device on one controller has
   * the same `bus`. The port path is `bus` plus `ports` (see port-path.ts).
   */
  readonly bus: string;
  /** Port numbers from the root hub down: [4, 1] is port 1 of the hub in root port 4, "1-4.1". */
  readonly ports: readonly number[];
  /** The device's address on its bus; the kernel gives a new one at every plug. */
  readonly address: number;
  /**
   * MAY THROW. When sysfs has no serial, `usb` v3 opens the device to read it, and that fails
   * without permission (no udev rule). Read it once, inside a try.
   */
  readonly serialNumber: string | null | undefined;
}

export interface UsbConnectionEventLike {
  readonly device: UsbDeviceLike;
}

export type UsbEventType = 'connect' | 'disconnect';
export type UsbConnectionListener = (event: UsbConnectionEventLike) => void;

export interface UsbLike {
  /** Rejects where the host has no USB subsystem (no /sys/bus/usb). */
  getDevices(): Promise<UsbDeviceLike[]>;
  /**
   * With `usb` v3, the first listener starts a device lookup whose rejection nobody catches: call it
   * only once getDevices() has resolved (UsbWatcher does), or a host without USB kills the process.
   */
  addEventListener(type: UsbEventType, listener: UsbConnectionListener): void;
  removeEventListener(type: UsbEventType, listener: UsbConnectionListener): void;
}
