/**
 * The part of the WebUSB API the station uses. `new WebUSB({ allowAllDevices: true })` from the
 * `usb` package satisfies it (see real-usb.ts, where the compiler checks that), and so does the
 * simulated bench's in-memory VirtualUsb, the way Trezor's node transport takes its `usb` object.
 */
export interface UsbDeviceLike {
  readonly vendorId: number;
  readonly productId: number;
  readonly serialNumber?: string | null | undefined;
  /** node-usb's port path ("1-2.3"). Not part of WebUSB proper, so it may be absent. */
  readonly bus?: string | undefined;
}

export interface UsbConnectionEventLike {
  readonly device: UsbDeviceLike;
}

export type UsbEventType = 'connect' | 'disconnect';
export type UsbConnectionListener = (event: UsbConnectionEventLike) => void;

export interface UsbLike {
  getDevices(): Promise<UsbDeviceLike[]>;
  addEventListener(type: UsbEventType, listener: UsbConnectionListener): void;
  removeEventListener(type: UsbEventType, listener: UsbConnectionListener): void;
}
