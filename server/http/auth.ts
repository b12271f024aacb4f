import { createHash, randomBytes, scrypt, scryptSync, timingSafeEqual } from 'node:crypto';
import { availableParallelism } from 'node:os';
import type { Database } from 'better-sqlite3';
import { ApiErrorCode } from '../../shared/guardant/codes';
import { ApiError } from './api-error';
import { Limiter } from './limiter';
import { DEFAULT_LOGIN_THROTTLE, LoginThrottle, type LoginThrottleOptions } from './login-throttle';

const SCRYPT_KEYLEN = 32;

function sha256(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/** scrypt on libuv's thread pool, with the same parameters (Node's defaults) as scryptSync. */
function scryptAsync(password: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password, salt, SCRYPT_KEYLEN, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

export interface LoginOptions {
  /** How long a token from POST /v1.0/login is accepted; 12 h (a shift) by default. */
  tokenLifetimeSeconds: number;
  /** Failed-login throttling; false turns it off (benchmarks). */
  throttle: LoginThrottleOptions | false;
  /** Password hashes computed at once; one core is left to the event loop. */
  hashConcurrency: number;
  /** Logins waiting for a hash slot before further ones are refused with 503. */
  hashQueue: number;
}

export const DEFAULT_LOGIN_OPTIONS: LoginOptions = {
  tokenLifetimeSeconds: 12 * 60 * 60,
  throttle: DEFAULT_LOGIN_THROTTLE,
  hashConcurrency: Math.max(1, availableParallelism() - 1),
  hashQueue: 64,
};

/**
 * Bearer-token checks. The env token is compared through fixed-length digests so the comparison time
 * does not depend on where the strings differ; login tokens are stored only as digests, and expire.
 */
export class Authenticator {
  private readonly envTokenDigest: Buffer | null;
  private readonly options: LoginOptions;
  private readonly throttle: LoginThrottle | null;
  private readonly hashing: Limiter;
  private readonly findToken;
  private readonly insertToken;
  private readonly pruneTokens;
  private readonly findUser;
  private readonly upsertUser;

  constructor(
    db: Database,
    envToken: string | undefined,
    options: Partial<LoginOptions> = {},
    /** Unix seconds; the server's clock, so tests can move it. */
    private readonly now: () => number = () => Math.floor(Date.now() / 1000),
  ) {
    this.envTokenDigest = envToken ? sha256(envToken) : null;
    this.options = { ...DEFAULT_LOGIN_OPTIONS, ...options };
    this.throttle = this.options.throttle ? new LoginThrottle(this.options.throttle, now) : null;
    this.hashing = new Limiter(this.options.hashConcurrency, this.options.hashQueue);
    this.findToken = db.prepare<[Buffer, number], { login: string }>(
      'SELECT login FROM tokens WHERE token_hash = ? AND created_at > ?',
    );
    this.insertToken = db.prepare('INSERT INTO tokens (token_hash, login, created_at) VALUES (?, ?, ?)');
    this.pruneTokens = db.prepare('DELETE FROM tokens WHERE created_at <= ?');
    this.findUser = db.prepare<[string], { salt: Buffer; hash: Buffer }>(
      'SELECT salt, hash FROM users WHERE login = ?',
    );
    this.upsertUser = db.prepare(
      'INSERT INTO users (login, salt, hash) VALUES (?, ?, ?) ON CONFLICT(login) DO UPDATE SET salt = excluded.salt, hash = excluded.hash',
    );
  }

  /** Tokens created at or before this second have expired. */
  private expiredUpTo(): number {
    return this.now() - this.options.tokenLifetimeSeconds;
  }

  /** Throws 10001 unless the header carries a token this server accepts (and, for a login token, in time). */
  check(header: string | undefined): void {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
    if (!match) throw new ApiError(ApiErrorCode.Unauthorized);
    const digest = sha256(match[1]!);
    if (this.envTokenDigest && timingSafeEqual(digest, this.envTokenDigest)) return;
    if (this.findToken.get(digest, this.expiredUpTo())) return;
    throw new ApiError(ApiErrorCode.Unauthorized);
  }

  /** For the command line (add-user): synchronous, nothing else is waiting. */
  addUser(login: string, password: string): void {
    const salt = randomBytes(16);
    this.upsertUser.run(login, salt, scryptSync(password, salt, SCRYPT_KEYLEN));
  }

  /**
   * Returns a fresh token, or throws 10002 for an unknown login or a wrong password; 10003 (429) while
   * the account or the client address has failed too often, 10503 when too many logins wait for a hash.
   * The hash runs off the event loop, so logins never stall other requests.
   */
  async login(login: string, password: string, client: string): Promise<string> {
    this.throttle?.attempt(login, client); // counted as a failure until the password proves right
    const user = this.findUser.get(login);
    // Hash even for unknown users so a wrong login costs the same time as a wrong password.
    const salt = user?.salt ?? randomBytes(16);
    let hash: Buffer;
    try {
      hash = await this.hashing.run(() => scryptAsync(password, salt));
    } catch (error) {
      this.throttle?.withdrawn(login, client);
      throw error;
    }
    if (!user || !timingSafeEqual(hash, user.hash)) throw new ApiError(ApiErrorCode.BadCredentials);
    this.throttle?.succeeded(login, client);
    const token = randomBytes(32).toString('base64url');
    this.pruneTokens.run(this.expiredUpTo());
    this.insertToken.run(sha256(token), login, this.now());
    return token;
  }
}
