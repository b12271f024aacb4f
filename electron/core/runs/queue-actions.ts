import type { Outbox } from '../outbox/outbox';
import type { ItemOutcomes } from './item-outcomes';

/**
 * The Queue's bulk actions. A cancelled item never reaches the worker, so what it means for the runs
 * waiting on it (their tasks end as cancelled) is applied here, item by item, as for a single cancel.
 */
export function queueActions(outbox: Outbox, outcomes: Pick<ItemOutcomes, 'apply'>) {
  return {
    retryAll: (upToId: number) => ({ count: outbox.retryFailed(upToId) }),
    cancelAll: (upToId: number) => {
      const cancelled = outbox.cancelPending(upToId);
      for (const item of cancelled) outcomes.apply(item);
      return { count: cancelled.length };
    },
  };
}
