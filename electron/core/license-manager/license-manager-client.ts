import type { z } from 'zod';
import {
  lmActivitySchema,
  lmDongleListSchema,
  lmErrorBodySchema,
  lmReadBackSchema,
  lmWriteResultSchema,
  type LmDongle,
  type LmLicence,
  type LmWriteResult,
  type LmWriteUnderWay,
} from '../../../shared/license-manager/schemas';
import { toUint32 } from '../../../shared/guardant/numbers';
import { LicenseManagerError } from './license-manager-error';

export interface LicenseManagerClientOptions {
  /** e.g. http://127.0.0.1:3189 */
  baseUrl: string;
  /** For reads; the license manager answers from what it has already read from the keys. */
  timeoutMs?: number;
  /** For writes, which burn a key and wait for the Guardant server: seconds, not milliseconds. */
  writeTimeoutMs?: number;
  fetch?: typeof fetch;
}

/**
 * A client of the local Guardant license manager (docs/license-manager-api.md). Every answer is
 * checked against the shared wire schema; whatever goes wrong comes out as a LicenseManagerError.
 */
export class LicenseManagerClient {
  private readonly fetchImpl: typeof fetch;

  constructor(private readonly options: LicenseManagerClientOptions) {
    this.fetchImpl = options.fetch ?? fetch;
  }

  get baseUrl(): string {
    return this.options.baseUrl;
  }

  /** The keys the license manager has opened and identified, ids unsigned. */
  async listDongles(): Promise<LmDongle[]> {
    const body = await this.exchange('GET', '/v1.0/lm/dongles', lmDongleListSchema, {
      timeoutMs: this.options.timeoutMs ?? 5_000,
    });
    return body.dongles;
  }

  /**
   * Writes the order's licence into the key. A failed write is not an exception: its ActionResultCode
   * is in the answer (201, 202…). Exceptions mean the attempt could not be made or its outcome is unknown.
   */
  writeLicense(dongleId: number, orderId: number, idempotencyKey?: string): Promise<LmWriteResult> {
    return this.exchange('POST', `/v1.0/lm/dongles/${toUint32(dongleId)}/write`, lmWriteResultSchema, {
      body: { orderId, ...(idempotencyKey !== undefined && { idempotencyKey }) },
      timeoutMs: this.options.writeTimeoutMs ?? 60_000,
    });
  }

  /**
   * The writes into the key the license manager has accepted and not answered yet (empty: none), so
   * a station that lost a write's answer can tell whether that write is still running. An answer
   * about another key is BAD_RESPONSE.
   */
  async writeActivity(dongleId: number): Promise<LmWriteUnderWay[]> {
    const id = toUint32(dongleId);
    const path = `/v1.0/lm/dongles/${id}/activity`;
    const body = await this.exchange('GET', path, lmActivitySchema, {
      timeoutMs: this.options.timeoutMs ?? 5_000,
    });
    expectSameKey(path, id, body.dongleId);
    return body.writes;
  }

  /**
   * Reads back the licence the key holds now (null: none), as docs/license-manager-api.md defines it.
   * A key that is not plugged, or is being written, is a REFUSED error (DONGLE_NOT_FOUND, DONGLE_BUSY);
   * an answer about another key, or outside the schema, is BAD_RESPONSE.
   */
  async readLicence(dongleId: number): Promise<LmLicence | null> {
    const id = toUint32(dongleId);
    const path = `/v1.0/lm/dongles/${id}/licence`;
    const body = await this.exchange('GET', path, lmReadBackSchema, {
      timeoutMs: this.options.timeoutMs ?? 5_000,
    });
    expectSameKey(path, id, body.dongleId);
    return body.licence;
  }

  private async exchange<S extends z.ZodType>(
    method: string,
    path: string,
    schema: S,
    options: { body?: unknown; timeoutMs: number },
  ): Promise<z.output<S>> {
    const what = `${method} ${path}`;
    let response: Response;
    let text: string;
    try {
      response = await this.fetchImpl(this.options.baseUrl.replace(/\/$/, '') + path, {
        method,
        headers: {
          accept: 'application/json',
          ...(options.body !== undefined && { 'content-type': 'application/json' }),
        },
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      // Read the body under the same deadline: a server that stalls mid-body is unreachable too.
      text = await response.text();
    } catch (error) {
      throw new LicenseManagerError(
        'UNREACHABLE',
        `License manager did not answer ${what}: ${reason(error)}`,
      );
    }

    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new LicenseManagerError(
        'BAD_RESPONSE',
        `${what}: HTTP ${response.status} with a body that is not JSON`,
        {
          httpStatus: response.status,
        },
      );
    }

    if (!response.ok) {
      const refusal = lmErrorBodySchema.safeParse(json);
      if (!refusal.success) {
        throw new LicenseManagerError(
          'BAD_RESPONSE',
          `${what}: HTTP ${response.status} without an error body`,
          {
            httpStatus: response.status,
          },
        );
      }
      const { code, message, apiCode } = refusal.data.error;
      throw new LicenseManagerError('REFUSED', `License manager refused ${what}: ${message}`, {
        httpStatus: response.status,
        lmCode: code,
        ...(apiCode !== undefined && { apiCode }),
      });
    }

    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      const where = first ? `${first.path.join('.') || 'body'}: ${first.message}` : 'unexpected shape';
      throw new LicenseManagerError('BAD_RESPONSE', `${what}: unexpected answer (${where})`, {
        httpStatus: response.status,
      });
    }
    return parsed.data;
  }
}

function reason(error: unknown): string {
  if (error instanceof Error) {
    if (error.name === 'TimeoutError') return 'timed out';
    return error.cause instanceof Error ? error.cause.message : error.message;
  }
  return String(error);
}

/** An answer about another key than the one asked for is not the license manager's API: BAD_RESPONSE. */
function expectSameKey(path: string, asked: number, answered: number): void {
  if (answered !== asked) {
    throw new LicenseManagerError(
      'BAD_RESPONSE',
      `GET ${path}: the answer is about key ${answered}, not key ${asked}`,
      { httpStatus: 200 },
    );
  }
}
