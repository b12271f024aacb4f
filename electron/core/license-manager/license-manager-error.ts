import type { LmErrorCode } from '../../../shared/license-manager/schemas';

export type LicenseManagerErrorCode =
  /** The license manager did not answer at all: not running, wrong port, or too slow. */
  | 'UNREACHABLE'
  /** It answered, but not in its API: not JSON, wrong shape, an HTTP error without its error body. */
  | 'BAD_RESPONSE'
  /** It answered with its own error body; `lmCode` says which (SERVER_UNREACHABLE, SERVER_REJECTED…). */
  | 'REFUSED';

export class LicenseManagerError extends Error {
  constructor(
    readonly code: LicenseManagerErrorCode,
    message: string,
    readonly details: {
      httpStatus?: number;
      lmCode?: LmErrorCode;
      /** The Guardant API code when the server behind the license manager refused. */
      apiCode?: number;
    } = {},
  ) {
    super(message);
    this.name = 'LicenseManagerError';
  }

  /**
   * Nothing was written (or, for a read-back, nothing was read) and trying again later may succeed: the
   * outbox should keep the item. DONGLE_BUSY answers only read-backs: a write into the key was running.
   */
  get retryable(): boolean {
    return (
      this.code === 'UNREACHABLE' ||
      this.details.lmCode === 'SERVER_UNREACHABLE' ||
      this.details.lmCode === 'DONGLE_BUSY'
    );
  }
}
