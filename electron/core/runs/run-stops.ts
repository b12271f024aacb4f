import { ActionResult, actionResultMeaning, ApiErrorCode, OrderStatus } from '../../../shared/guardant/codes';

/**
 * Why a run pauses: causes no key of the run can escape, so trying the rest would only turn every key
 * into its own failed item. The run stops sending, its untouched keys stay "not attempted", and it is
 * resumed (runs:resume) once the cause is fixed. Stored in runs.stop_cause.
 */
export type StopCause = 'balance' | 'subscription' | 'order-revoked' | 'order-full';

const ORDER_CLOSED_WORDS =
  'The order is no longer open on the server (revoked or archived): no key can be added to it or written. Resume the run once it is open again.';
const ORDER_FULL_WORDS =
  'The order is full: it holds as many keys as its quantity. Free places in it on the server, then resume the run.';

/** The cause a failed write stands for (its ActionResult, or the server's refusal code); null: only this key. */
export function stopOfWrite(actionResult: number | null, apiCode: number | null): StopCause | null {
  if (actionResult === ActionResult.VendorHasNoActivationTransactionsAvailable) return 'balance';
  if (actionResult === ActionResult.VendorHasNoServiceSubscription) return 'subscription';
  if (apiCode === ApiErrorCode.WrongOrderStatus) return 'order-revoked';
  return null;
}

/** The cause an add refused as a whole (the order's status) or for one key (its retcode) stands for. */
export function stopOfAdd(code: number | null): StopCause | null {
  if (code === ApiErrorCode.WrongOrderStatus) return 'order-revoked';
  if (code === ApiErrorCode.OrderQuantityReached) return 'order-full';
  return null;
}

/** The words of a cause: the run's banner and each untouched key's "Not attempted: …". */
export function stopWords(cause: StopCause): string {
  switch (cause) {
    case 'balance':
      return actionResultMeaning[ActionResult.VendorHasNoActivationTransactionsAvailable];
    case 'subscription':
      return actionResultMeaning[ActionResult.VendorHasNoServiceSubscription];
    case 'order-revoked':
      return ORDER_CLOSED_WORDS;
    case 'order-full':
      return ORDER_FULL_WORDS;
  }
}

/**
 * Whether a cause only concerns adding keys: writes of keys already in the order go on (a full order
 * has their places), while the other causes refuse every write, so unsent writes are held too.
 */
export const stopsWrites = (cause: StopCause): boolean => cause !== 'order-full';

/** What resuming asks the server before it sends anything again. */
export interface StopCheckPorts {
  order(orderId: number): Promise<{ status: number; quantity: number; keysInOrder: number }>;
  /** The vendor's balance, or null where the server does not report it (then the writes tell). */
  balance(): Promise<{ activations: number; subscriptionUntilMs: number } | null>;
  now(): number;
}

/**
 * The cause in words while it still holds, null once it is fixed. `keysToAdd`: how many keys of the
 * run still need a place in the order (a full order is fixed once it has that many, or at least one).
 */
export async function stillHolds(
  cause: StopCause,
  orderId: number,
  keysToAdd: number,
  ports: StopCheckPorts,
): Promise<string | null> {
  switch (cause) {
    case 'balance': {
      const balance = await ports.balance();
      return balance && balance.activations < 1
        ? "The vendor's licence-writing balance is still used up. Ask the vendor to top it up, then resume."
        : null;
    }
    case 'subscription': {
      const balance = await ports.balance();
      return balance && balance.subscriptionUntilMs < ports.now()
        ? "The vendor's service subscription is still over. Ask the vendor to renew it, then resume."
        : null;
    }
    case 'order-revoked': {
      const order = await ports.order(orderId);
      return order.status !== OrderStatus.Submitted
        ? 'The order is still not open on the server (revoked or archived): nothing can be written for it.'
        : null;
    }
    case 'order-full': {
      const order = await ports.order(orderId);
      const placesLeft = Math.max(0, order.quantity - order.keysInOrder);
      return keysToAdd > 0 && placesLeft === 0
        ? 'The order is still full: it has no place left for the keys of this run. Free places in it, then resume.'
        : null;
    }
  }
}
