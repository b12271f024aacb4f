import { createHash, randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { ApiErrorCode } from '../../shared/guardant/codes';
import { ApiError } from './api-error';

const SCRYPT_KEYLEN = 32;

function sha256(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/**
 * Bearer-token checks. The env token is compared through fixed-length digests so the comparison time
 * does not depend on where the strings differ; login tokens are stored only as digests.
 */
export class Authenticator {
  private readonly envTokenDigest: Buffer | null;
  private readonly findToken;
  private readonly insertToken;
  private readonly findUser;
  private readonly upsertUser;

  constructor(db: Database, envToken: string | undefined) {
    this.envTokenDigest = envToken ? sha256(envToken) : null;
    this.findToken = db.prepare<[Buffer], { login: string }>('SELECT login FROM tokens WHERE token_hash = ?');
    this.insertToken = db.prepare('INSERT INTO tokens (token_hash, login, created_at) VALUES (?, ?, ?)');
    this.findUser = db.prepare<[string], { salt: Buffer; hash: Buffer }>(
      'SELECT salt, hash FROM users WHERE login = ?',
    );
    this.upsertUser = db.prepare(
      'INSERT INTO users (login, salt, hash) VALUES (?, ?, ?) ON CONFLICT(login) DO UPDATE SET salt = excluded.salt, hash = excluded.hash',
    );
  }

  /** Throws 10001 unless the header carries a token this server accepts. */
  check(header: string | undefined): void {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
    if (!match) throw new ApiError(ApiErrorCode.Unauthorized);
    const digest = sha256(match[1]!);
    if (this.envTokenDigest && timingSafeEqual(digest, this.envTokenDigest)) return;
    if (this.findToken.get(digest)) return;
    throw new ApiError(ApiErrorCode.Unauthorized);
  }

  addUser(login: string, password: string): void {
    const salt = randomBytes(16);
    this.upsertUser.run(login, salt, scryptSync(password, salt, SCRYPT_KEYLEN));
  }

  /** Returns a fresh token, or throws 10002 for an unknown login or a wrong password. */
  login(login: string, password: string): string {
    const user = this.findUser.get(login);
    // Hash even for unknown users so a wrong login costs the same time as a wrong password.
    const salt = user?.salt ?? randomBytes(16);
    const hash = scryptSync(password, salt, SCRYPT_KEYLEN);
    if (!user || !timingSafeEqual(hash, user.hash)) throw new ApiError(ApiErrorCode.BadCredentials);
    const token = randomBytes(32).toString('base64url');
    this.insertToken.run(sha256(token), login, Math.floor(Date.now() / 1000));
    return token;
  }
}
