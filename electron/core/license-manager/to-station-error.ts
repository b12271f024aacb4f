import { StationErrorCode, type StationError } from '../../../shared/ipc/result';
import { LicenseManagerError } from './license-manager-error';

/**
 * The license manager's errors in the station's words (as api/errors.ts `toStationError` is the
 * Guardant server's); null when the error is not the license manager's.
 */
export function licenseManagerStationError(error: unknown): StationError | null {
  if (!(error instanceof LicenseManagerError)) return null;
  return {
    code: StationErrorCode.LicenseManagerUnavailable,
    message: `License manager: ${error.message}`,
    ...(error.details.apiCode !== undefined && { apiCode: error.details.apiCode }),
  };
}
