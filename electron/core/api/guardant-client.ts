import pRetry from 'p-retry';
import type { z } from 'zod';
import { ApiErrorCode } from '../../../shared/guardant/codes';
import type { DongleIdentityBody } from '../../../shared/guardant/requests';
import { envelopes, errorEnvelopeSchema, type LastBurn } from '../../../shared/guardant/responses';
import type { KeyIdentity } from '../../../shared/station/models';
import { BadServerResponseError, GuardantApiError, ServerUnreachableError } from './errors';

export interface Credentials {
  /** A Bearer token used as is; or login + password exchanged for one through POST /v1.0/login. */
  token?: string;
  login?: string;
  password?: string;
}

/** The one place a station key identity becomes the wire's: the wire calls the model `dongleModel`. */
const identityBody = (key: KeyIdentity): DongleIdentityBody => ({
  dongleId: key.dongleId,
  dongleModel: key.model,
  publicCode: key.publicCode,
  typeFlags: key.typeFlags,
  netResource: key.netResource,
});

export interface GuardantClientOptions {
  /** A function when the operator may repoint the station at another server while it runs. */
  baseUrl: string | (() => string);
  credentials: () => Credentials;
  timeoutMs?: number;
  /** Told of every exchange, so the station can show whether the server is reachable. */
  onReachability?: (reachable: boolean, error?: Error) => void;
  fetch?: typeof fetch;
}

type Query = Record<string, string | number | undefined>;

interface CallOptions {
  body?: unknown;
  query?: Query;
  /** Only reads (and canadddongle, which changes nothing) are retried in place; writes go through the outbox. */
  idempotent?: boolean;
  timeoutMs?: number;
  /** POST /v1.0/login itself goes without a token. */
  anonymous?: boolean;
}

function retryAfterMs(header: string | null): number | null {
  if (!header) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? null : Math.max(0, date - Date.now());
}

/**
 * A typed client of the Guardant Station API. Every answer is parsed against the shared wire schema,
 * so a server that answers something else is a typed error, never a crash further in.
 */
export class GuardantClient {
  private loginToken: string | null = null;
  /** Retrying a read against a server that is known to be down only delays the cached answer. */
  private lastReachable = true;
  private readonly fetchImpl: typeof fetch;

  constructor(private readonly options: GuardantClientOptions) {
    this.fetchImpl = options.fetch ?? fetch;
  }

  get baseUrl(): string {
    const { baseUrl } = this.options;
    return typeof baseUrl === 'function' ? baseUrl() : baseUrl;
  }

  listOrders(query: Query) {
    return this.call('GET', '/v1.0/orders', envelopes.orders, { query, idempotent: true }).then(
      (r) => r.orders,
    );
  }

  getOrder(orderId: number) {
    return this.call('GET', `/v1.0/orders/${orderId}`, envelopes.order, { idempotent: true }).then(
      (r) => r.order,
    );
  }

  listProducts() {
    return this.call('GET', '/v1.0/products', envelopes.products, { idempotent: true }).then(
      (r) => r.products,
    );
  }

  /** Resolves when the key could be added (or is already in the order); rejects with the API's reason. */
  async canAddDongle(orderId: number, key: KeyIdentity): Promise<void> {
    await this.call('POST', `/v1.0/canadddongle/orders/${orderId}`, envelopes.ok, {
      body: identityBody(key),
      idempotent: true,
    });
  }

  addDongles(orderId: number, keys: KeyIdentity[]) {
    return this.call('POST', `/v1.0/orders/${orderId}/multipledongles`, envelopes.multipleDongles, {
      body: { dongles: keys.map(identityBody) },
      timeoutMs: 60_000,
    }).then((r) => r.dongles);
  }

  async removeDongle(orderId: number, dongleId: number): Promise<void> {
    await this.call('DELETE', `/v1.0/orders/${orderId}/dongles/${dongleId}`, envelopes.ok);
  }

  setDriverType(dongleId: number, driverType: number) {
    return this.call('PUT', `/v1.0/dongles/${dongleId}`, envelopes.dongle, { body: { driverType } }).then(
      (r) => r.dongle,
    );
  }

  /** The latest write of this order into this key, or null when none is recorded yet. */
  async lastBurnInfo(orderId: number, dongleId: number): Promise<LastBurn | null> {
    try {
      const r = await this.call(
        'GET',
        `/v1.0/orders/${orderId}/dongles/${dongleId}/getlastburninfo`,
        envelopes.lastBurnInfo,
        { idempotent: true },
      );
      return r.lastburninfo;
    } catch (error) {
      if (error instanceof GuardantApiError && error.apiCode === ApiErrorCode.NoWriteRecorded) return null;
      throw error;
    }
  }

  dongleHistory(dongleId: number, query: Query) {
    return this.call('GET', `/v1.0/getdonglehistory/${dongleId}`, envelopes.history, {
      query,
      idempotent: true,
    }).then((r) => r.history);
  }

  dongleOrders(dongleId: number, query: Query = {}) {
    return this.call('GET', `/v1.0/dongles/${dongleId}/orders`, envelopes.orders, {
      query,
      idempotent: true,
    }).then((r) => r.orders);
  }

  /**
   * Keybench extension: the vendor's writing balance (activations, network licences, subscription end),
   * or null from a server that does not report it (10020, as a real Guardant Station answers).
   */
  async vendorBalance() {
    try {
      const r = await this.call('GET', '/v1.0/vendor', envelopes.vendor, { idempotent: true });
      return r.vendor;
    } catch (error) {
      if (error instanceof GuardantApiError && error.apiCode === ApiErrorCode.RouteNotFound) return null;
      throw error;
    }
  }

  /** Keybench extension: the license manager records one write attempt (see docs/api-decisions.md). */
  recordWrite(orderId: number, dongleId: number, dongleResult: number, idempotencyKey?: string) {
    return this.call('POST', `/v1.0/orders/${orderId}/dongles/${dongleId}/write`, envelopes.write, {
      body: { dongleResult, ...(idempotencyKey !== undefined && { idempotencyKey }) },
    }).then((r) => r.write);
  }

  /**
   * Keybench extension: the write attempts recorded with this idempotency key, oldest first, or null
   * from a server that cannot answer by key (10020, as a real Guardant Station answers).
   */
  async writesByIdempotencyKey(idempotencyKey: string) {
    try {
      const r = await this.call('GET', '/v1.0/writes', envelopes.writesByKey, {
        query: { idempotencyKey },
        idempotent: true,
      });
      return r.writes;
    } catch (error) {
      if (error instanceof GuardantApiError && error.apiCode === ApiErrorCode.RouteNotFound) return null;
      throw error;
    }
  }

  async call<S extends z.ZodType>(
    method: string,
    path: string,
    schema: S,
    options: CallOptions = {},
  ): Promise<z.output<S>> {
    const attempt = () => this.exchange(method, path, schema, options);
    if (!options.idempotent || !this.lastReachable) return attempt();
    return pRetry(attempt, {
      retries: 2,
      minTimeout: 200,
      maxTimeout: 1000,
      randomize: true,
      shouldRetry: ({ error }) => error instanceof ServerUnreachableError,
    });
  }

  private async exchange<S extends z.ZodType>(
    method: string,
    path: string,
    schema: S,
    options: CallOptions,
    reauthenticated = false,
  ): Promise<z.output<S>> {
    const url = new URL(this.baseUrl.replace(/\/$/, '') + path);
    for (const [k, v] of Object.entries(options.query ?? {}))
      if (v !== undefined) url.searchParams.set(k, String(v));
    const headers: Record<string, string> = { accept: 'application/json' };
    const token = options.anonymous ? undefined : await this.token();
    if (token) headers.authorization = `Bearer ${token}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';

    let response: Response;
    try {
      response = await this.fetchImpl(url, {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: AbortSignal.timeout(options.timeoutMs ?? this.options.timeoutMs ?? 10_000),
      });
    } catch (error) {
      const reason =
        error instanceof Error
          ? error.cause instanceof Error
            ? error.cause.message
            : error.message
          : String(error);
      const failure = new ServerUnreachableError(reason);
      this.lastReachable = false;
      this.options.onReachability?.(false, failure);
      throw failure;
    }

    if (response.status >= 500 || response.status === 429) {
      const failure = new ServerUnreachableError(
        `HTTP ${response.status} from ${url.host}`,
        retryAfterMs(response.headers.get('retry-after')),
      );
      await response.body?.cancel();
      this.lastReachable = false;
      this.options.onReachability?.(false, failure);
      throw failure;
    }
    // A connection cut while the body streams in is an unreachable server too: try again later.
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      const failure = new ServerUnreachableError(
        `${method} ${path}: the answer was cut off (${error instanceof Error ? error.message : String(error)})`,
      );
      this.lastReachable = false;
      this.options.onReachability?.(false, failure);
      throw failure;
    }
    this.lastReachable = true;
    this.options.onReachability?.(true);

    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new BadServerResponseError(
        `${method} ${path}: HTTP ${response.status} with a body that is not JSON`,
      );
    }
    if (!response.ok) {
      const envelope = errorEnvelopeSchema.safeParse(json);
      if (!envelope.success) {
        throw new BadServerResponseError(
          `${method} ${path}: HTTP ${response.status} without the Guardant error envelope`,
        );
      }
      const error = GuardantApiError.fromEnvelope(response.status, envelope.data);
      // A login token may have expired; log in once more before giving up.
      if (response.status === 401 && this.loginToken && !reauthenticated) {
        this.loginToken = null;
        return this.exchange(method, path, schema, options, true);
      }
      throw error;
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      throw new BadServerResponseError(
        `${method} ${path}: unexpected answer (${first ? `${first.path.join('.')}: ${first.message}` : 'shape'})`,
      );
    }
    return parsed.data;
  }

  private async token(): Promise<string | undefined> {
    const credentials = this.options.credentials();
    if (credentials.token) return credentials.token;
    if (!credentials.login || !credentials.password) return undefined;
    if (this.loginToken) return this.loginToken;
    const response = await this.exchange('POST', '/v1.0/login', envelopes.token, {
      body: { login: credentials.login, password: credentials.password },
      anonymous: true,
    });
    this.loginToken = response.token;
    return this.loginToken;
  }

  /** Forget a login token, e.g. when the operator changes credentials. */
  resetSession(): void {
    this.loginToken = null;
  }
}
