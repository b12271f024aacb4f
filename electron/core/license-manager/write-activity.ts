import type { LmWriteUnderWay } from '../../../shared/license-manager/schemas';
import { ServerUnreachableError } from '../api/errors';
import type { LicenseManagerClient } from './license-manager-client';
import { LicenseManagerError } from './license-manager-error';

/**
 * The outbox's question "is a write into this key still running?", asked of the license manager.
 * A license manager without the activity read (NOT_FOUND: older than it) cannot tell: null. One that
 * cannot answer now (down, busy, a garbled answer) is asked again later, as an unreachable server is:
 * a write with an unknown outcome must wait rather than be decided on a guess.
 */
export function writeActivityOf(
  licenseManager: Pick<LicenseManagerClient, 'writeActivity'>,
): (dongleId: number) => Promise<LmWriteUnderWay[] | null> {
  return async (dongleId) => {
    try {
      return await licenseManager.writeActivity(dongleId);
    } catch (error) {
      if (!(error instanceof LicenseManagerError)) throw error;
      if (error.details.lmCode === 'NOT_FOUND') return null;
      throw new ServerUnreachableError(error.message);
    }
  };
}
