import type { UsbDeviceLike } from './usb-like';

/** Guardant's USB vendor id. The same vendor also ships devices that are not licence keys. */
export const GUARDANT_VENDOR_ID = 0x0a89;

export type GuardantFamily = 'sign-time' | 'code' | 'code-pro';

/**
 * Product ids of Guardant licence keys. Each family enumerates under either of two ids depending on
 * its firmware mode; anything else of the vendor (Rutoken 0x0020, 0x0030…) is not ours to write.
 */
export const guardantProducts: ReadonlyMap<number, GuardantFamily> = new Map([
  [0x0008, 'sign-time'],
  [0x000c, 'sign-time'],
  [0x0009, 'code'],
  [0x000d, 'code'],
  [0x00c0, 'code-pro'],
  [0x00c1, 'code-pro'],
]);

export function guardantFamily(device: Pick<UsbDeviceLike, 'vendorId' | 'productId'>): GuardantFamily | null {
  if (device.vendorId !== GUARDANT_VENDOR_ID) return null;
  return guardantProducts.get(device.productId) ?? null;
}

export function isGuardantKey(device: Pick<UsbDeviceLike, 'vendorId' | 'productId'>): boolean {
  return guardantFamily(device) !== null;
}
