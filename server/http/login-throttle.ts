import { ApiErrorCode } from '../../shared/guardant/codes';
import { ApiError } from './api-error';

export interface LoginThrottleOptions {
  /** Failed logins one account may have within the window before further attempts are refused. */
  accountFailures: number;
  /** Failed logins one client address may have within the window, whatever the accounts. */
  clientFailures: number;
  windowSeconds: number;
}

export const DEFAULT_LOGIN_THROTTLE: LoginThrottleOptions = {
  accountFailures: 5,
  clientFailures: 20,
  windowSeconds: 60,
};

/** Keys remembered per kind; beyond it the oldest entries go first (a flood of made-up names). */
const MAX_TRACKED = 10_000;

/** Failure times (Unix seconds) per key, within the window. */
class FailureLog {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly limit: number,
    private readonly windowSeconds: number,
  ) {}

  /** Seconds until the key may try again, or 0. */
  blockedFor(key: string, now: number): number {
    const times = this.recent(key, now);
    if (times.length < this.limit) return 0;
    return Math.max(1, times[times.length - this.limit]! + this.windowSeconds - now);
  }

  fail(key: string, now: number): void {
    const times = this.recent(key, now);
    times.push(now);
    this.failures.delete(key); // re-inserted last: the Map's order is then oldest activity first
    this.failures.set(key, times.slice(-this.limit));
    if (this.failures.size > MAX_TRACKED) this.prune(now);
  }

  clear(key: string): void {
    this.failures.delete(key);
  }

  private recent(key: string, now: number): number[] {
    return (this.failures.get(key) ?? []).filter((t) => t > now - this.windowSeconds);
  }

  private prune(now: number): void {
    for (const [key, times] of this.failures) {
      if (!times.some((t) => t > now - this.windowSeconds)) this.failures.delete(key);
    }
    for (const key of this.failures.keys()) {
      if (this.failures.size <= MAX_TRACKED) break;
      this.failures.delete(key);
    }
  }
}

/**
 * Throttles failed logins per account and per client address: past the limit, attempts are refused
 * with 429/10003 and Retry-After before any password is hashed, so a flood costs almost nothing and a
 * guesser gets a handful of tries a minute. A successful login clears its account's failures. Logins
 * with a token already issued are not affected: tokens keep working while an account is throttled.
 */
export class LoginThrottle {
  private readonly accounts: FailureLog;
  private readonly clients: FailureLog;

  constructor(
    options: LoginThrottleOptions,
    private readonly now: () => number,
  ) {
    this.accounts = new FailureLog(options.accountFailures, options.windowSeconds);
    this.clients = new FailureLog(options.clientFailures, options.windowSeconds);
  }

  /** Throws 429/10003 (with retryAfterSeconds) while the account or the client is throttled. */
  check(login: string, client: string): void {
    const now = this.now();
    const wait = Math.max(this.accounts.blockedFor(login, now), this.clients.blockedFor(client, now));
    if (wait > 0) {
      const error = new ApiError(ApiErrorCode.TooManyLoginAttempts, `retry in ${wait} s`);
      error.retryAfterSeconds = wait;
      throw error;
    }
  }

  failed(login: string, client: string): void {
    const now = this.now();
    this.accounts.fail(login, now);
    this.clients.fail(client, now);
  }

  succeeded(login: string): void {
    this.accounts.clear(login);
  }
}
