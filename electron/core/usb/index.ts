/** The station's view of USB: which Guardant keys are plugged, whatever the host's USB is. */
export type {
  UsbConnectionEventLike,
  UsbConnectionListener,
  UsbDeviceLike,
  UsbEventType,
  UsbLike,
} from './usb-like';
export { guardantFamily, isGuardantKey } from './guardant-devices';
export { UsbWatcher, type GuardantUsbDevice, type UsbWatcherEvents } from './usb-watcher';
export { createRealUsb } from './real-usb';
