/**
 * Which Guardant Station server and bench the desktop station starts with. Pure: main.ts passes
 * process.env, the tests pass what they like.
 *
 * - Nothing set: the embedded default, the reference server with demo data and the simulated bench,
 *   so a fresh install shows a working bench with no setup.
 * - KEYBENCH_SERVER_URL (+ KEYBENCH_API_TOKEN, or a login saved in Settings): a real server and the
 *   real USB bench, read through the local license manager at KEYBENCH_LICENSE_MANAGER_URL.
 */
export type ServerChoice =
  { kind: 'embedded' } | { kind: 'remote'; serverUrl: string; token?: string; licenseManagerUrl: string };

/** The Guardant license manager's usual local address (docs/license-manager-api.md). */
export const DEFAULT_LICENSE_MANAGER_URL = 'http://127.0.0.1:3189';

export class ServerChoiceError extends Error {}

function httpUrl(name: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ServerChoiceError(`${name} is not a URL: ${value}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ServerChoiceError(`${name} must be an http:// or https:// URL: ${value}`);
  }
  return value.replace(/\/+$/, '');
}

export function chooseServer(env: Record<string, string | undefined>): ServerChoice {
  const serverUrl = env.KEYBENCH_SERVER_URL?.trim();
  if (!serverUrl) return { kind: 'embedded' };
  const token = env.KEYBENCH_API_TOKEN?.trim();
  return {
    kind: 'remote',
    serverUrl: httpUrl('KEYBENCH_SERVER_URL', serverUrl),
    ...(token ? { token } : {}),
    licenseManagerUrl: httpUrl(
      'KEYBENCH_LICENSE_MANAGER_URL',
      env.KEYBENCH_LICENSE_MANAGER_URL?.trim() || DEFAULT_LICENSE_MANAGER_URL,
    ),
  };
}
