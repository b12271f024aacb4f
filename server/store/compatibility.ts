import type { Database } from 'better-sqlite3';
import { ApiErrorCode, timeCapableModels } from '../../shared/guardant/codes';
import { ApiError } from '../http/api-error';
import { isTimeLimited, type LicenseColumns } from './rows';

interface FeatureNeed {
  featurenumber: number;
  productnumber: number;
}

/** What an order asks of every key written with it; computed once per batch, not per key. */
export interface OrderNeeds {
  orderNumber: number;
  timeLimited: FeatureNeed | null;
  network: FeatureNeed | null;
  netLicenses: number;
}

export interface KeyTraits {
  dongleid: number;
  model: number;
  netresource: number;
}

export function orderNeeds(db: Database, orderId: number, orderNumber: number): OrderNeeds {
  const rows = db
    .prepare<[number], LicenseColumns & FeatureNeed>(
      `SELECT f.featurenumber, p.productnumber, of.*
         FROM order_features of
         JOIN features f ON f._id = of.feature_id
         JOIN products p ON p._id = of.product_id
        WHERE of.order_id = ? AND of.isexcluded = 0
        ORDER BY p.productnumber, f.featurenumber`,
    )
    .all(orderId);
  const needs: OrderNeeds = { orderNumber, timeLimited: null, network: null, netLicenses: 0 };
  for (const row of rows) {
    const need = { featurenumber: row.featurenumber, productnumber: row.productnumber };
    if (!needs.timeLimited && isTimeLimited(row)) needs.timeLimited = need;
    if (row.netlicensescount > 0) {
      needs.network ??= need;
      needs.netLicenses += row.netlicensescount;
    }
  }
  return needs;
}

/** The vendor's three hardware rules, in the order the reference lists them; null when the key fits. */
export function incompatibility(needs: OrderNeeds, key: KeyTraits): ApiError | null {
  const conflict = (need: FeatureNeed) => ({
    conflictedDongleId: key.dongleid,
    conflictedFeatureNumber: need.featurenumber,
    conflictedOrderNumber: needs.orderNumber,
    conflictedProductNumber: need.productnumber,
  });
  if (needs.timeLimited && !timeCapableModels.includes(key.model)) {
    return new ApiError(ApiErrorCode.DongleNoTimeSupport, undefined, conflict(needs.timeLimited));
  }
  if (needs.network && key.netresource <= 0) {
    return new ApiError(ApiErrorCode.DongleNoNetworkSupport, undefined, conflict(needs.network));
  }
  if (needs.netLicenses > key.netresource) {
    return new ApiError(ApiErrorCode.DongleNetResourceExceeded, `${needs.netLicenses} > ${key.netresource}`, {
      conflictedDongleId: key.dongleid,
    });
  }
  return null;
}
