import { ActionResult, ApiErrorCode } from '../../../../../shared/guardant/codes';
import type { PreflightLeftOut, RunTask } from '../../../../../shared/station/models';

export type RetryVerdict = { retry: true } | { retry: false; why: string };

export interface RetryContext {
  /** Keys plugged in now: a key that is not can only be retried once it is. */
  plugged: ReadonlySet<number>;
  /** Why the order takes no write now (revoked, archived…); null when it does. */
  orderRefusal: string | null;
  /** Why the run stopped short (the vendor's balance or subscription); null when it did not. */
  stopReason: string | null;
}

const LEFT_OUT_WHY: Record<PreflightLeftOut, string> = {
  incompatible: 'The server refuses this key for this order.',
  model: "The key's model cannot carry this order.",
  'written-elsewhere':
    "It holds another customer's licence: confirm re-writing it, then start a run with it.",
  'order-full': 'The order has no place left for it.',
  'not-this-key': 'The Update order is for another key.',
};

/** Server refusals of the key or the order that writing again cannot change. */
const FINAL_API_CODES: ReadonlyMap<number, string> = new Map([
  [ApiErrorCode.DongleNoTimeSupport, "The key's model cannot carry this order."],
  [ApiErrorCode.DongleNoNetworkSupport, "The key's model cannot carry this order."],
  [ApiErrorCode.DongleNetResourceExceeded, "The key's model cannot carry this order."],
  [ApiErrorCode.OrderQuantityReached, 'The order has no place left for it.'],
  [ApiErrorCode.WrongOrderStatus, 'The order is no longer Submitted (revoked or archived).'],
  [ApiErrorCode.WrongOrderKind, 'The order does not take keys.'],
  [ApiErrorCode.OrderNotFound, 'The order is gone from the server.'],
]);

/** Write results that the same key and order will give again. */
const FINAL_ACTION_RESULTS: ReadonlyMap<number, string> = new Map([
  [ActionResult.NotEnoughMemoryInLicense, 'The licence does not fit into this key model.'],
  [ActionResult.NoFeatureFound, 'A feature of the order has no balance on the server.'],
  [
    ActionResult.VendorHasNoActivationTransactionsAvailable,
    "The vendor's licence-writing balance is used up.",
  ],
  [ActionResult.VendorHasNoServiceSubscription, "The vendor's service subscription has expired."],
]);

/**
 * Whether "Retry failed" takes this key: only a key whose retry can succeed. Null for a key that did
 * not fail (written, under way, cancelled by the operator). Otherwise the reason it is not retried, in
 * words, so the operator knows what to fix instead.
 */
export function retryVerdict(task: RunTask, ctx: RetryContext): RetryVerdict | null {
  if (task.state !== 'failed' && task.state !== 'skipped') return null;
  if (task.leftOut) return { retry: false, why: LEFT_OUT_WHY[task.leftOut] };
  const byApi = task.apiCode !== null ? FINAL_API_CODES.get(task.apiCode) : undefined;
  if (byApi) return { retry: false, why: byApi };
  const byResult = task.actionResult !== null ? FINAL_ACTION_RESULTS.get(task.actionResult) : undefined;
  if (byResult) return { retry: false, why: byResult };
  if (ctx.orderRefusal) return { retry: false, why: ctx.orderRefusal };
  if (ctx.stopReason) return { retry: false, why: ctx.stopReason };
  if (!ctx.plugged.has(task.dongleId))
    return { retry: false, why: 'Not plugged in: plug it in to retry it.' };
  return { retry: true };
}

export interface RetryPlan {
  retry: number[];
  notRetried: Array<{ dongleId: number; why: string }>;
}

/** The keys "Retry failed" writes again, and those it leaves with the reason. */
export function retryPlan(tasks: readonly RunTask[], ctx: RetryContext): RetryPlan {
  const plan: RetryPlan = { retry: [], notRetried: [] };
  for (const task of tasks) {
    const verdict = retryVerdict(task, ctx);
    if (!verdict) continue;
    if (verdict.retry) plan.retry.push(task.dongleId);
    else plan.notRetried.push({ dongleId: task.dongleId, why: verdict.why });
  }
  return plan;
}
