import { createHash } from 'node:crypto';
import { canonicalLicenceJson } from '../../../shared/license-manager/licence-content';
import type { LmLicenceProduct } from '../../../shared/license-manager/schemas';

/**
 * The licence digest of docs/license-manager-api.md: "sha256:" and the lower-case hex SHA-256 of the
 * UTF-8 canonical JSON of the licence's products and features (canonicalLicenceJson).
 */
export function licenceDigest(products: readonly LmLicenceProduct[]): string {
  return 'sha256:' + createHash('sha256').update(canonicalLicenceJson(products), 'utf8').digest('hex');
}
