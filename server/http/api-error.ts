import { STATUS_CODES } from 'node:http';
import { apiErrors, type ApiErrorCode } from '../../shared/guardant/codes';
import type { ErrorEnvelope } from '../../shared/guardant/responses';

export type Conflict = Pick<
  ErrorEnvelope,
  'conflictedDongleId' | 'conflictedFeatureNumber' | 'conflictedOrderNumber' | 'conflictedProductNumber'
>;

/** An error the API answers with; thrown inside handlers, turned into the envelope at the edge. */
export class ApiError extends Error {
  /** Sent as Retry-After (429 and 503 answers). */
  retryAfterSeconds?: number;

  constructor(
    readonly code: ApiErrorCode,
    readonly detail?: string,
    readonly conflict: Conflict = {},
  ) {
    super(detail ? `${apiErrors[code].description}: ${detail}` : apiErrors[code].description);
  }

  get httpStatus(): number {
    return apiErrors[this.code].httpStatus;
  }

  toEnvelope(): ErrorEnvelope {
    return {
      ...this.conflict,
      status: {
        code: this.code,
        description: this.message,
        message: STATUS_CODES[this.httpStatus] ?? 'Error',
        status: this.httpStatus,
      },
    };
  }
}

export const okEnvelope = {
  status: { code: 0 as const, description: 'OK', message: 'OK', status: 200 },
};
