import { ActionResult } from '../../../shared/guardant/codes';
import { GuardantApiError, ServerUnreachableError } from '../api/errors';
import type { LicenseManagerClient } from './license-manager-client';
import { LicenseManagerError } from './license-manager-error';

/** The Guardant server refused a write the license manager relayed: nothing was written or billed. */
export interface WriteRefusal {
  apiCode: number;
  httpStatus: number;
  /** The license manager's words for the refusal. */
  message: string;
}

/** HTTP status assumed for a relayed refusal the license manager sent without one. */
const REFUSED_STATUS = 409;

/**
 * What a failed license-manager write means to the outbox. Retryable (nothing written, a later attempt
 * may succeed): throws ServerUnreachableError, so the outbox keeps the item. The server refused through
 * the manager: returns the refusal. Anything else is not ours to judge and is thrown again.
 */
export function refusalOf(error: unknown): WriteRefusal {
  if (error instanceof LicenseManagerError && error.retryable)
    throw new ServerUnreachableError(error.message);
  if (error instanceof LicenseManagerError && error.details.apiCode !== undefined) {
    return {
      apiCode: error.details.apiCode,
      httpStatus: error.details.httpStatus ?? REFUSED_STATUS,
      message: error.message,
    };
  }
  throw error;
}

export interface WriteThroughPorts {
  licenseManager: Pick<LicenseManagerClient, 'writeLicense'>;
  /** Whether the bench lists the key now. */
  present: (dongleId: number) => boolean;
}

/**
 * The outbox worker's performWrite over the license manager. Its contract: a thrown GuardantApiError
 * is the server's decision (nothing written), a ServerUnreachableError means "try later", anything
 * else leaves the write's outcome unknown.
 */
export function writeThroughManager({ licenseManager, present }: WriteThroughPorts) {
  return async (
    orderId: number,
    dongleId: number,
    idempotencyKey: string,
  ): Promise<{ actionResult: number }> => {
    // A key the bench no longer lists is not sent to: the answer is the manager's own for it (202,
    // nothing started), which holds the write until the key is back (runs/key-waits.ts).
    if (!present(dongleId)) return { actionResult: ActionResult.DongleNotFound };
    try {
      const { actionResult } = await licenseManager.writeLicense(dongleId, orderId, idempotencyKey);
      return { actionResult };
    } catch (error) {
      const refusal = refusalOf(error);
      throw new GuardantApiError(refusal.apiCode, refusal.httpStatus, refusal.message);
    }
  };
}
