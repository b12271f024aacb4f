import { ApiErrorCode } from '../../../shared/guardant/codes';
import { envelopes } from '../../../shared/guardant/responses';
import type { ConnectionTest } from '../../../shared/station/models';
import { BadServerResponseError, GuardantApiError, ServerUnreachableError } from '../api/errors';
import { GuardantClient, type Credentials } from '../api/guardant-client';

export interface ConnectionTestRequest {
  serverUrl: string;
  login?: string | undefined;
  password?: string | undefined;
  token?: string | undefined;
}

export interface ConnectionTestOptions {
  /** The saved credentials, used when the operator typed no new password or token. */
  saved: Credentials;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/**
 * The credentials the test uses: what the operator typed (a token, else a login with its password);
 * with nothing typed, the saved ones, with a login typed over the saved one. Secrets are write-only in
 * the form, so "nothing typed" means "keep what is saved".
 */
function credentialsToTry(
  request: ConnectionTestRequest,
  saved: Credentials,
): { credentials: Credentials; tried: string } {
  if (request.token) return { credentials: { token: request.token }, tried: 'the API token you entered' };
  const login = request.login || saved.login;
  if (request.password) {
    return login
      ? {
          credentials: { login, password: request.password },
          tried: `login '${login}' with the password you entered`,
        }
      : { credentials: {}, tried: 'a password without a login' };
  }
  if (saved.token) return { credentials: { token: saved.token }, tried: 'the saved API token' };
  if (login && saved.password) {
    return {
      credentials: { login, password: saved.password },
      tried: `login '${login}' with the saved password`,
    };
  }
  return { credentials: {}, tried: 'no credentials' };
}

/**
 * Tries a server URL and credentials without saving anything: one authenticated read of the orders
 * (logging in first when a password is given), then the vendor's name. Every failure is told in words:
 * the host cannot be reached, it is not a Guardant Station server, the credentials are refused.
 */
export async function testConnection(
  request: ConnectionTestRequest,
  options: ConnectionTestOptions,
): Promise<ConnectionTest> {
  const { credentials, tried } = credentialsToTry(request, options.saved);
  const host = new URL(request.serverUrl).host;
  const result = (
    outcome: ConnectionTest['outcome'],
    message: string,
    detail: string | null = null,
    vendorName: string | null = null,
  ): ConnectionTest => ({
    outcome,
    message,
    tried,
    vendorName,
    detail,
  });
  // Its own client: the station's session (and its reachability light) are not touched by a test.
  const client = new GuardantClient({
    baseUrl: request.serverUrl,
    credentials: () => credentials,
    timeoutMs: options.timeoutMs ?? 8_000,
    fetch: options.fetch,
  });
  try {
    // Not retried: the operator waits for this answer.
    await client.call('GET', '/v1.0/orders', envelopes.orders, { query: { limit: 1 } });
  } catch (error) {
    if (error instanceof ServerUnreachableError) {
      if (/HTTP 429/.test(error.message)) {
        return result(
          'refused',
          `${host} is a Guardant Station server, but it refuses logins for a while after too many failed attempts: wait a minute and try again.`,
          error.message,
        );
      }
      if (/HTTP \d{3}/.test(error.message)) {
        return result(
          'unreachable',
          `${host} answered, but cannot serve requests now (it is busy or down).`,
          error.message,
        );
      }
      return result(
        'unreachable',
        `Cannot reach ${host}: check the address, the port and the network.`,
        error.message,
      );
    }
    if (error instanceof BadServerResponseError) {
      return result(
        'not-guardant',
        `${host} answered, but not as a Guardant Station server: check the URL (scheme, host, port, no extra path).`,
        error.message,
      );
    }
    if (error instanceof GuardantApiError) {
      if (error.apiCode === ApiErrorCode.BadCredentials) {
        return result(
          'bad-credentials',
          `The server refused ${tried}: wrong user or password.`,
          error.message,
        );
      }
      if (error.apiCode === ApiErrorCode.Unauthorized) {
        return Object.keys(credentials).length === 0
          ? result(
              'no-credentials',
              `${host} is a Guardant Station server, but no login or token was given to try.`,
              error.message,
            )
          : result('bad-credentials', `The server refused ${tried}: the token is not valid.`, error.message);
      }
      if (error.apiCode === ApiErrorCode.RouteNotFound) {
        return result(
          'not-guardant',
          `${host} answered, but it has no Guardant orders API: check the URL.`,
          error.message,
        );
      }
      return result('refused', `The server refused the test: ${error.description}.`, error.message);
    }
    throw error;
  }
  let vendorName: string | null = null;
  try {
    vendorName = (await client.vendorBalance())?.name ?? null;
  } catch {
    // The orders answered: the connection works; only the name is missing.
  }
  return result(
    'ok',
    vendorName
      ? `Connected to ${host} with ${tried}: vendor ${vendorName}.`
      : `Connected to ${host} with ${tried}. The server does not say the vendor's name.`,
    null,
    vendorName,
  );
}
