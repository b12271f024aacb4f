import type { WebUSB } from 'usb';
import type { UsbDeviceLike, UsbLike } from './usb-like';

/**
 * The compiler's proof that usb v3's device has every field the station reads, with those types (a
 * `bus` string, `ports`, `address`, a nullable `serialNumber`): an upgrade that changes the shape
 * fails the type check here instead of emptying a real bench. (The package types its connect events'
 * device as plain WebUSB `USBDevice`, but hands out this same class; the watcher checks the fields
 * it reads at run time anyway, see port-path.ts.)
 */
type RealUsbDevice = Awaited<ReturnType<WebUSB['getDevices']>>[number];
type Satisfies<T extends U, U> = T;
export type RealUsbDeviceIsUsbDeviceLike = Satisfies<RealUsbDevice, UsbDeviceLike>;
export type RealUsbIsUsbLike = Satisfies<WebUSB, UsbLike>;

/**
 * The host's USB, for a real bench only. Imported lazily so the simulated bench, the browser-mode
 * host and the tests never load the native addon.
 */
export async function createRealUsb(): Promise<UsbLike> {
  const { WebUSB } = await import('usb');
  // allowAllDevices: the station filters Guardant keys itself (guardant-devices.ts) instead of
  // asking the operator to pick a device, which WebUSB would otherwise require.
  const usb: UsbLike = new WebUSB({ allowAllDevices: true });
  return usb;
}
