/**
 * How Guardant licence keys show on USB: the station's watcher, the simulated bench's virtual keys and the
 * Linux udev rules (resources/linux/70-guardant.rules, checked against this list by a test) all read it.
 */

/** Guardant's USB vendor id. The same vendor also ships devices that are not licence keys. */
export const GUARDANT_VENDOR_ID = 0x0a89;

export type GuardantFamily = 'sign-time' | 'code' | 'code-pro';

/**
 * Product ids of Guardant licence keys. Each family enumerates under either of two ids depending on
 * its firmware mode (the first listed is the usual one); anything else of the vendor (Rutoken 0x0020,
 * 0x0030…) is not ours to write.
 */
export const guardantProducts: ReadonlyMap<number, GuardantFamily> = new Map([
  [0x0008, 'sign-time'],
  [0x000c, 'sign-time'],
  [0x0009, 'code'],
  [0x000d, 'code'],
  [0x00c0, 'code-pro'],
  [0x00c1, 'code-pro'],
]);

/** The product id a key of the family usually enumerates under. */
export function usualProductId(family: GuardantFamily): number {
  for (const [productId, of] of guardantProducts) if (of === family) return productId;
  throw new Error(`no product id for ${family}`);
}
