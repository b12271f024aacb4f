import { StationErrorCode } from '../../../shared/ipc/result';

/** The server is unreachable and this station never fetched what was asked for. */
export class NotCachedError extends Error {
  readonly code = StationErrorCode.NotCached;

  constructor(what: string, cause: Error) {
    super(`The server is unreachable and ${what} was never fetched on this station (${cause.message})`, {
      cause,
    });
  }
}
