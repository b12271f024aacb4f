import { timeCapableModels } from './codes';
import type { License, Product } from './responses';

/**
 * What an order asks of every key written with it, from the order's own products: the vendor's three
 * hardware rules (10172, 10173, 10174) read before any key is tried. The reference server judges keys
 * by the same rules (server/store/compatibility.ts).
 */
export interface KeyNeeds {
  /** A licence with rent dates or rent days needs a key with a clock. */
  timeLimited: boolean;
  /** Sum of the network licences of the included features: the key's network resource must reach it. */
  netLicenses: number;
  /** Key models that can hold the order (every model when nothing is time-limited). */
  models: readonly number[] | 'any';
}

export const isTimeLimitedLicence = (l: Pick<License, 'rentbegindate' | 'rentenddate' | 'rentdayscount'>) =>
  l.rentbegindate > 0 || l.rentenddate > 0 || l.rentdayscount > 0;

/** Only features the order includes count: a feature without an order licence is excluded. */
export function orderKeyNeeds(products: readonly Product[]): KeyNeeds {
  let timeLimited = false;
  let netLicenses = 0;
  for (const product of products) {
    for (const feature of product.featuresWithLicenses ?? []) {
      const license = feature.license;
      if (!license || license.isExcluded === 1) continue;
      if (isTimeLimitedLicence(license)) timeLimited = true;
      netLicenses += license.netlicensescount;
    }
  }
  return { timeLimited, netLicenses, models: timeLimited ? timeCapableModels : 'any' };
}
