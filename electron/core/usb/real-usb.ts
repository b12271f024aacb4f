import type { UsbLike } from './usb-like';

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
