export interface BackoffPolicy {
  /** The ceiling of the first retry's delay; each further attempt doubles it. */
  baseMs: number;
  /** The ceiling never grows past this. */
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 1_000, maxMs: 5 * 60_000 };

/**
 * Exponential backoff with full jitter: a delay drawn uniformly from [0, min(max, base·2^(n-1))], so
 * stations that lost the server together do not come back in step. A Retry-After from the server is
 * the floor: it said when it can take us again.
 */
export function retryDelay(
  attempt: number,
  policy: BackoffPolicy,
  retryAfterMs: number | null = null,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.max(Math.round(random() * ceiling), retryAfterMs ?? 0);
}
