import { MAX_BATCH_DONGLES } from '../../../shared/guardant/codes';

/**
 * Splits keys into batches the contract accepts (at most MAX_BATCH_DONGLES, the server's own limit
 * on one multipledongles or write call), so selecting more keys is one operator action, never a
 * "Too big" error.
 */
export function inBatches<T>(items: readonly T[], size: number = MAX_BATCH_DONGLES): T[][] {
  const batches: T[][] = [];
  for (let i = 0; i < items.length; i += size) batches.push(items.slice(i, i + size));
  return batches;
}
