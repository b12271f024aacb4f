import { GUARDANT_VENDOR_ID, guardantProducts, type GuardantFamily } from '../../../shared/guardant/usb-ids';
import type { UsbDeviceLike } from './usb-like';

/** Which Guardant key family a USB device is (shared/guardant/usb-ids.ts), or null when it is none. */
export function guardantFamily(device: Pick<UsbDeviceLike, 'vendorId' | 'productId'>): GuardantFamily | null {
  if (device.vendorId !== GUARDANT_VENDOR_ID) return null;
  return guardantProducts.get(device.productId) ?? null;
}

export function isGuardantKey(device: Pick<UsbDeviceLike, 'vendorId' | 'productId'>): boolean {
  return guardantFamily(device) !== null;
}
