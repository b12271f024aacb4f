import type { StationErrorCode } from '../../../shared/ipc/result';

/**
 * An error a core module raises on purpose, naming the IPC code the renderer can act on. Every such
 * error extends this class (NotCachedError, OutboxError…), so the dispatcher recognises them by class,
 * not by the shape of a `code` field.
 */
export class StationFault extends Error {
  constructor(
    readonly code: StationErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
