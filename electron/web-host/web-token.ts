import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  statSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';

/** The file in the station's data folder that keeps the browser link's session token between runs. */
export const WEB_TOKEN_FILE = 'web-token';

/** What we write: 24 random bytes as base64url, 32 characters. A token we read back must look like one. */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{32,128}$/;

export type WebTokenSource =
  /** KEYBENCH_WEB_TOKEN: the operator chose it; nothing is written. */
  | 'environment'
  /** The token saved by an earlier run: the printed link is the same as last time. */
  | 'saved'
  /** No file yet (first start): a new token was made and saved. */
  | 'created'
  /** --rotate-token: a new token replaced the saved one; old links stop working. */
  | 'rotated'
  /** The saved file was damaged or readable by others: a new token replaced it (see `reason`). */
  | 'replaced';

export interface WebToken {
  token: string;
  source: WebTokenSource;
  /** Where the token lives (null when it came from the environment). */
  path: string | null;
  /** Why a saved token was replaced, in one line for the log. */
  reason?: string;
}

/**
 * The browser link's session token, stable across restarts: kept in `<dataDir>/web-token` (mode 0600,
 * in a folder only the operator can enter), made on first start, replaced on request (`rotate`).
 *
 * A damaged file (not one line of 32+ base64url characters) or one other users can read is replaced
 * rather than refused: the file holds nothing the operator can repair by hand, a new token costs only
 * a new link (which the station prints anyway), and a token others could read may have leaked, so
 * keeping it would keep the door open. The caller logs `reason` so the operator knows why the link
 * changed.
 */
export function loadWebToken(
  dataDir: string,
  options: { rotate?: boolean; override?: string } = {},
): WebToken {
  if (options.override !== undefined) return { token: options.override, source: 'environment', path: null };
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const path = join(dataDir, WEB_TOKEN_FILE);
  if (options.rotate) return { token: writeNewToken(path), source: 'rotated', path };

  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return { token: writeNewToken(path), source: 'created', path };
    }
    throw new Error(
      `cannot read the link's token file ${path}: ${(error as Error).message}; fix its permissions or delete it`,
    );
  }
  const saved = text.trim();
  let reason: string | null = null;
  if (!TOKEN_PATTERN.test(saved)) reason = `${path} was damaged (not a token)`;
  else if ((statSync(path).mode & 0o077) !== 0) reason = `${path} was readable by other users`;
  if (reason === null) return { token: saved, source: 'saved', path };
  return { token: writeNewToken(path), source: 'replaced', path, reason };
}

/** Writes a fresh token atomically (temporary file, then rename) with mode 0600; returns it. */
function writeNewToken(path: string): string {
  const token = randomBytes(24).toString('base64url');
  const temporary = `${path}.${process.pid}.tmp`;
  const fd = openSync(temporary, 'w', 0o600);
  try {
    writeSync(fd, `${token}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  // The mode given to open is masked by the umask; 0600 is what we promise, whatever the umask.
  chmodSync(temporary, 0o600);
  renameSync(temporary, path);
  return token;
}
