import type { StationErrorCode } from '../../../shared/ipc/result';
import { StationFault } from '../ipc/station-fault';

type OutboxErrorCode =
  | typeof StationErrorCode.NotFound
  | typeof StationErrorCode.Conflict
  | typeof StationErrorCode.InvalidRequest;

/** An outbox request that cannot be honoured; `code` is what the IPC layer answers with. */
export class OutboxError extends StationFault {
  declare readonly code: OutboxErrorCode;

  constructor(code: OutboxErrorCode, message: string) {
    super(code, message);
  }
}
