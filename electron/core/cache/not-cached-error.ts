import { StationErrorCode } from '../../../shared/ipc/result';
import { StationFault } from '../ipc/station-fault';

/** The server is unreachable and this station never fetched what was asked for. */
export class NotCachedError extends StationFault {
  declare readonly code: typeof StationErrorCode.NotCached;

  constructor(what: string, cause: Error) {
    super(
      StationErrorCode.NotCached,
      `The server is unreachable and ${what} was never fetched on this station (${cause.message})`,
      { cause },
    );
  }
}
