import type { OrderDetail } from '../../../shared/guardant/responses';
import { licenceContentOfOrder } from '../../../shared/license-manager/licence-content';
import type { LmLicence, LmLicenceProduct, LmLicenceTerms } from '../../../shared/license-manager/schemas';
import type { VerifyMismatch, WriteVerdict } from '../../../shared/station/models';
import type { ReadCache } from '../cache/read-cache';
import type { LicenseManagerClient } from '../license-manager/license-manager-client';
import { LicenseManagerError } from '../license-manager/license-manager-error';
import { licenceDigest } from './licence-digest';

/** The order as the Guardant server describes it: its number and its products with their features. */
export type VerifiableOrder = Pick<OrderDetail, 'number' | 'products'>;

export interface VerifyWriteDeps {
  /** Only reads: verifying never writes (a failed verification is retried, never re-written). */
  licenseManager: Pick<LicenseManagerClient, 'readLicence'>;
  /**
   * The order, e.g. `(id) => readCache.getOrder(id).then((v) => v.order)` (served from the cache when
   * the server is down) or `(id) => guardant.getOrder(id)`. A Submitted order's terms do not change.
   */
  order: (orderId: number) => Promise<VerifiableOrder>;
}

/**
 * The order source the station should use: the read cache, so a verification during an outage still
 * has the order's products when this station fetched them before (a summary-only entry gives
 * 'unknown', cause 'order-unavailable').
 */
export function orderFromReadCache(cache: Pick<ReadCache, 'getOrder'>): VerifyWriteDeps['order'] {
  return async (orderId) => (await cache.getOrder(orderId)).order;
}

export interface VerifyWriteRequest {
  dongleId: number;
  orderId: number;
}

/**
 * Verify after write: reads back what the key holds through the license manager and compares it with
 * the order the write was for. Never throws for what the license manager or the server do: a check
 * that cannot be made is an 'unknown' verdict with its cause.
 */
export async function verifyWrite(deps: VerifyWriteDeps, request: VerifyWriteRequest): Promise<WriteVerdict> {
  const { dongleId, orderId } = request;
  const [held, order] = await Promise.allSettled([
    deps.licenseManager.readLicence(dongleId),
    deps.order(orderId),
  ]);
  const base = { orderId, dongleId };

  if (held.status === 'rejected') return { ...base, ...unknownFromReadBack(held.reason, dongleId) };
  const expected = order.status === 'fulfilled' ? licenceContentOfOrder(order.value) : null;
  if (order.status === 'rejected' || !expected) {
    const why =
      order.status === 'rejected'
        ? errorText(order.reason)
        : 'only its summary is known here, without its products';
    return {
      ...base,
      outcome: 'unknown',
      cause: 'order-unavailable',
      reason: `Order ${orderId}'s products could not be read, so the key could not be checked (${why}).`,
    };
  }
  const orderNumber = order.value.number;
  const names = productNames(order.value);
  const licence = held.value;

  const mismatch = (kind: VerifyMismatch, reason: string): WriteVerdict => ({
    ...base,
    outcome: 'mismatch',
    mismatch: kind,
    reason,
    held: licence && { orderId: licence.orderId, digest: licence.digest },
  });

  if (!licence) return mismatch('no-licence', 'The key holds no licence after the write.');
  if (licence.orderId !== orderId) {
    return mismatch(
      'other-order',
      `The key holds order ${licence.orderNumber}'s licence, not order ${orderNumber}'s.`,
    );
  }
  const differences = compare(expected, licence, names, orderNumber);
  if (differences.length > 0) {
    const [first] = differences;
    const more = differences.length - 1;
    return mismatch(
      first!.kind,
      more > 0 ? `${first!.text} (and ${more} more difference${more === 1 ? '' : 's'}).` : `${first!.text}.`,
    );
  }
  const digest = licenceDigest(expected);
  if (licence.digest !== digest) {
    return mismatch(
      'digest-differs',
      `The key's licence digest differs from order ${orderNumber}'s although its products and features match.`,
    );
  }
  return { ...base, outcome: 'ok', digest };
}

function unknownFromReadBack(
  error: unknown,
  dongleId: number,
): Pick<Extract<WriteVerdict, { outcome: 'unknown' }>, 'outcome' | 'cause' | 'reason'> {
  if (error instanceof LicenseManagerError) {
    if (error.code === 'UNREACHABLE') {
      return {
        outcome: 'unknown',
        cause: 'license-manager-unreachable',
        reason: `The license manager did not answer, so the key could not be checked yet (${error.message}).`,
      };
    }
    if (error.details.lmCode === 'DONGLE_NOT_FOUND') {
      return {
        outcome: 'unknown',
        cause: 'key-not-present',
        reason: `Key ${dongleId} was not on the bench when its licence was to be read back; plug it in again to check it.`,
      };
    }
    if (error.details.lmCode === 'DONGLE_BUSY') {
      return {
        outcome: 'unknown',
        cause: 'key-busy',
        reason: `A write into key ${dongleId} was still under way; its licence is read back once it ends.`,
      };
    }
  }
  return {
    outcome: 'unknown',
    cause: 'license-manager-failed',
    reason: `The license manager's read-back of key ${dongleId} could not be used (${errorText(error)}).`,
  };
}

function productNames(order: VerifiableOrder): Map<number, string> {
  return new Map((order.products ?? []).map((p) => [p.productnumber, p.name]));
}

const TERM_LABELS: Record<keyof LmLicenceTerms, string> = {
  licensingModel: 'licence type',
  consumptionMode: 'consumption mode',
  flags: 'flags',
  isRemote: 'network use',
  netLicensesCount: 'network licences',
  rentBeginDate: 'rent start',
  rentEndDate: 'rent end',
  rentDaysCount: 'rent days',
  runCounter: 'run counter',
};

function termText(term: keyof LmLicenceTerms, value: number | boolean): string {
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if ((term === 'rentBeginDate' || term === 'rentEndDate') && value > 0) {
    return new Date(value * 1000).toISOString().slice(0, 10);
  }
  return String(value);
}

interface Difference {
  kind: VerifyMismatch;
  text: string;
}

/** Every difference between the order's licence and the key's, the order's products first. */
function compare(
  expected: LmLicenceProduct[],
  licence: LmLicence,
  names: Map<number, string>,
  orderNumber: number,
): Difference[] {
  const productName = (n: number) => (names.has(n) ? `product '${names.get(n)}'` : `product ${n}`);
  const onKey = new Map(licence.products.map((p) => [p.productNumber, p]));
  const differences: Difference[] = [];
  for (const want of expected) {
    const got = onKey.get(want.productNumber);
    onKey.delete(want.productNumber);
    if (!got) {
      differences.push({
        kind: 'missing-product',
        text: `${capitalise(productName(want.productNumber))} is missing on the key`,
      });
      continue;
    }
    const gotFeatures = new Map(got.features.map((f) => [f.featureNumber, f]));
    for (const feature of want.features) {
      const other = gotFeatures.get(feature.featureNumber);
      gotFeatures.delete(feature.featureNumber);
      const what = `Feature ${feature.featureNumber} of ${productName(want.productNumber)}`;
      if (!other) {
        differences.push({ kind: 'missing-feature', text: `${what} is missing on the key` });
        continue;
      }
      const changed = (Object.keys(TERM_LABELS) as (keyof LmLicenceTerms)[]).filter(
        (term) => other.terms[term] !== feature.terms[term],
      );
      if (changed.length > 0) {
        const detail = changed
          .map(
            (term) =>
              `${TERM_LABELS[term]} ${termText(term, other.terms[term])} where the order says ${termText(term, feature.terms[term])}`,
          )
          .join(', ');
        differences.push({ kind: 'terms-differ', text: `${what} differs on the key: ${detail}` });
      }
    }
    for (const extra of gotFeatures.keys()) {
      differences.push({
        kind: 'extra-feature',
        text: `The key holds feature ${extra} of ${productName(want.productNumber)}, which order ${orderNumber} does not include`,
      });
    }
  }
  for (const extra of onKey.keys()) {
    differences.push({
      kind: 'extra-product',
      text: `The key holds ${productName(extra)}, which order ${orderNumber} does not include`,
    });
  }
  return differences;
}

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
