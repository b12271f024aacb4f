import { readFile, stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import { APP_HOST, APP_SCHEME, CONTENT_SECURITY_POLICY } from './app-security';

/**
 * The app:// protocol: the built renderer (dist/renderer) and nothing else. Pure Node, so the
 * resolution rules are unit-tested without Electron; main.ts hands serveAppRequest to protocol.handle.
 */

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
};

export type AppRequestResolution =
  | { ok: true; file: string; contentType: string }
  | { ok: false; status: 400 | 403 | 404 | 405; reason: string };

/**
 * Maps an app:// URL onto a file under `root`. Refused: another host, an encoded or literal "..",
 * backslashes, NUL, and anything whose resolved path leaves `root`. "/" is index.html. Only files
 * with a known type are served; the renderer has no reason to load anything else.
 */
export function resolveAppRequest(root: string, requestUrl: string): AppRequestResolution {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return { ok: false, status: 400, reason: 'not a URL' };
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) {
    return { ok: false, status: 403, reason: 'not the app origin' };
  }
  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    return { ok: false, status: 400, reason: 'malformed path' };
  }
  if (pathname.includes('\0') || pathname.includes('\\')) {
    return { ok: false, status: 400, reason: 'malformed path' };
  }
  const segments = pathname.split('/');
  if (segments.some((s) => s === '..' || s === '.')) {
    return { ok: false, status: 403, reason: 'path traversal' };
  }
  const relative = pathname === '/' || pathname === '' ? 'index.html' : pathname.replace(/^\/+/, '');
  const base = resolve(root);
  const file = resolve(base, relative);
  if (!file.startsWith(base + sep)) {
    return { ok: false, status: 403, reason: 'outside the renderer folder' };
  }
  const contentType = contentTypes[extname(file).toLowerCase()];
  if (!contentType) return { ok: false, status: 404, reason: 'not a renderer file type' };
  return { ok: true, file, contentType };
}

/** Headers every app:// response carries, the policy first. */
export function appResponseHeaders(contentType: string): Record<string, string> {
  return {
    'content-type': contentType,
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
    'cache-control': 'no-cache',
  };
}

/** The protocol handler: a Fetch API Request in, a Response out (protocol.handle's shape). */
export async function serveAppRequest(
  root: string,
  request: { url: string; method: string },
): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    return refusal(405, 'method not allowed');
  }
  const resolved = resolveAppRequest(root, request.url);
  if (!resolved.ok) return refusal(resolved.status, resolved.reason);
  try {
    const info = await stat(resolved.file);
    if (!info.isFile()) return refusal(404, 'not found');
    const body = request.method === 'HEAD' ? null : new Uint8Array(await readFile(resolved.file));
    return new Response(body, { status: 200, headers: appResponseHeaders(resolved.contentType) });
  } catch {
    return refusal(404, 'not found');
  }
}

function refusal(status: number, reason: string): Response {
  return new Response(reason, { status, headers: appResponseHeaders('text/plain; charset=utf-8') });
}
