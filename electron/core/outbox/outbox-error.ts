import type { StationErrorCode } from '../../../shared/ipc/result';

/** An outbox request that cannot be honoured; `code` is what the IPC layer answers with. */
export class OutboxError extends Error {
  constructor(
    readonly code:
      | typeof StationErrorCode.NotFound
      | typeof StationErrorCode.Conflict
      | typeof StationErrorCode.InvalidRequest,
    message: string,
  ) {
    super(message);
  }
}
