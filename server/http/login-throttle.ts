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

  /** Takes back the latest failure of the key (an attempt counted in advance that did not fail). */
  forgetOne(key: string): void {
    const times = this.failures.get(key);
    if (!times) return;
    times.pop();
    if (times.length === 0) this.failures.delete(key);
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

  /**
   * Throws 429/10003 (with retryAfterSeconds) while the account or the client is throttled; else counts
   * the attempt as a failure right away, before the password is hashed, so attempts in flight at the
   * same moment cannot all slip under the limit. succeeded() or withdrawn() takes it back.
   */
  attempt(login: string, client: string): void {
    const now = this.now();
    const wait = Math.max(this.accounts.blockedFor(login, now), this.clients.blockedFor(client, now));
    if (wait > 0) {
      const error = new ApiError(ApiErrorCode.TooManyLoginAttempts, `retry in ${wait} s`);
      error.retryAfterSeconds = wait;
      throw error;
    }
    this.accounts.fail(login, now);
    this.clients.fail(client, now);
  }

  /** The password was right: the account starts afresh, and the client's attempt is not a failure. */
  succeeded(login: string, client: string): void {
    this.accounts.clear(login);
    this.clients.forgetOne(client);
  }

  /** The attempt was not judged (e.g. the server was too busy to hash it): it counts for nothing. */
  withdrawn(login: string, client: string): void {
    this.accounts.forgetOne(login);
    this.clients.forgetOne(client);
  }
}
