import { apiErrors, isApiErrorCode } from '../../../shared/guardant/codes';
import type { StationErrorCode } from '../../../shared/ipc/result';
import { StationRequestError } from '../../../shared/ipc/station-api';

export interface ErrorDescription {
  /** What the station said. */
  message: string;
  /** The station's error code, and the server's API code when it refused. */
  code: string | null;
  /** What the operator can do about it. */
  advice: string;
}

const advice: Record<StationErrorCode, string> = {
  UNKNOWN_CHANNEL:
    'This screen and the station are different versions. Reload the page; if it repeats, call support.',
  FORBIDDEN: 'The station only answers its own window. Close this page and open the station again.',
  INVALID_REQUEST: 'The station refused the request as malformed. Check what you entered and try again.',
  SERVER_UNREACHABLE:
    'The server is unreachable; the work is queued and will be sent when it is back. Watch the Queue.',
  SERVER_REJECTED: 'The server refused it. Check the order and the keys, then try again.',
  BAD_SERVER_RESPONSE:
    'The server answered something the station does not understand. Retry; if it repeats, call support.',
  NOT_CACHED:
    'Not available offline yet: the station has not fetched this while the server was reachable. Try again once the badge shows online.',
  LICENSE_MANAGER_UNAVAILABLE:
    'The Guardant license manager is not answering. Check that it runs on this machine and the hub is connected, then retry.',
  NOT_SIMULATED: 'The simulator works on a simulated bench only. Switch the bench in Settings.',
  NOT_FOUND: 'It is not there any more. Refresh the list and pick again.',
  CONFLICT: 'It changed meanwhile. Look at its current state and try again.',
  INTERNAL: 'The station failed unexpectedly. Retry; if it repeats, note the time and call support.',
};

/** Every failed request, in the operator's words: what happened and what to do next. */
export function describeError(error: unknown): ErrorDescription {
  if (error instanceof StationRequestError) {
    const apiCode = error.apiCode;
    // The station's message usually says it already; the server's words are added only when it does not.
    const apiText =
      apiCode !== undefined &&
      isApiErrorCode(apiCode) &&
      !error.message.includes(apiErrors[apiCode].description)
        ? ` (${apiErrors[apiCode].description})`
        : '';
    return {
      message: error.message + apiText,
      code: apiCode !== undefined ? `${error.code} ${apiCode}` : error.code,
      advice: advice[error.code] ?? advice.INTERNAL,
    };
  }
  return {
    message: error instanceof Error ? error.message : String(error),
    code: null,
    advice: 'Retry; if it repeats, reload the page and call support.',
  };
}
