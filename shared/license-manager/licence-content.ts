import type { Feature, OrderDetail } from '../guardant/responses';
import type { LmLicenceProduct, LmLicenceTerms } from './schemas';

/**
 * What an order's licence puts into a key, and the canonical text its digest is taken over
 * (docs/license-manager-api.md, "Read back what a key holds"). Pure: the simulated license manager
 * uses it when it burns, the station's verifier when it checks; the SHA-256 itself is taken in
 * electron/core/verification/licence-digest.ts (shared code imports no Node).
 */

/** A feature's terms in the order; a feature the server sends without them has its default licence. */
function termsOf(feature: Feature): LmLicenceTerms {
  const l = feature.license ?? feature.defaultLicense;
  return {
    licensingModel: l.licensingmodel,
    consumptionMode: l.consumptionmode,
    flags: l.flags,
    isRemote: l.isremote,
    netLicensesCount: l.netlicensescount,
    rentBeginDate: l.rentbegindate,
    rentEndDate: l.rentenddate,
    rentDaysCount: l.rentdayscount,
    runCounter: l.runcounter,
  };
}

/** A feature the order leaves out of the key (`license.isExcluded` non-zero) is not burnt. */
const isExcluded = (feature: Feature) => (feature.license?.isExcluded ?? 0) !== 0;

/**
 * The products and features the order's licence burns into a key: every product of the order by
 * product number, ascending; in each, its features that are not excluded, by feature number,
 * ascending, with the order's terms. Null when the order was read without its products (an offline
 * summary), because then nothing can be said about its licence.
 */
export function licenceContentOfOrder(order: Pick<OrderDetail, 'products'>): LmLicenceProduct[] | null {
  if (!order.products) return null;
  return [...order.products]
    .sort((a, b) => a.productnumber - b.productnumber)
    .map((product) => ({
      productNumber: product.productnumber,
      features: (product.featuresWithLicenses ?? [])
        .filter((f) => !isExcluded(f))
        .sort((a, b) => a.featurenumber - b.featurenumber)
        .map((f) => ({ featureNumber: f.featurenumber, terms: termsOf(f) })),
    }));
}

/**
 * The canonical JSON the digest is taken over: `{"products":[…]}` with products and features sorted
 * as above, every object's keys in code-point order, no whitespace, numbers as JSON writes integers.
 * Only the fields of the wire schema are written, so extra fields of a license manager's answer do
 * not change it.
 */
export function canonicalLicenceJson(products: readonly LmLicenceProduct[]): string {
  const sorted = [...products]
    .sort((a, b) => a.productNumber - b.productNumber)
    .map((p) => ({
      features: [...p.features]
        .sort((a, b) => a.featureNumber - b.featureNumber)
        .map((f) => ({
          featureNumber: f.featureNumber,
          terms: {
            consumptionMode: f.terms.consumptionMode,
            flags: f.terms.flags,
            isRemote: f.terms.isRemote,
            licensingModel: f.terms.licensingModel,
            netLicensesCount: f.terms.netLicensesCount,
            rentBeginDate: f.terms.rentBeginDate,
            rentDaysCount: f.terms.rentDaysCount,
            rentEndDate: f.terms.rentEndDate,
            runCounter: f.terms.runCounter,
          },
        })),
      productNumber: p.productNumber,
    }));
  // Objects above are built with their keys already in code-point order; JSON.stringify keeps it.
  return JSON.stringify({ products: sorted });
}
