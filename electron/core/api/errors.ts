import type { ErrorEnvelope } from '../../../shared/guardant/responses';
import { StationErrorCode, type StationError } from '../../../shared/ipc/result';

/**
 * The server refused: a decision, not a fault; retrying will not help. `description` is the refusal in
 * the server's words (its envelope's status.description, or the license manager's relay of it).
 */
export class GuardantApiError extends Error {
  constructor(
    readonly apiCode: number,
    readonly httpStatus: number,
    readonly description: string,
  ) {
    super(`${description} (code ${apiCode})`);
  }

  /** The server's own error envelope, as the GuardantClient receives it. */
  static fromEnvelope(httpStatus: number, envelope: ErrorEnvelope): GuardantApiError {
    return new GuardantApiError(envelope.status.code, httpStatus, envelope.status.description);
  }
}

/**
 * The API code a GuardantApiError's message ends with, read back from where only its words were kept
 * (an outbox item's lastError); null when the text is not such a message.
 */
export function apiCodeInMessage(text: string | null | undefined): number | null {
  const match = text ? /\(code (\d{1,6})\)$/.exec(text) : null;
  return match ? Number(match[1]) : null;
}

/** The server could not be reached or was temporarily unable to answer; worth trying again later. */
export class ServerUnreachableError extends Error {
  constructor(
    message: string,
    /** From a Retry-After header, when the server named one. */
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
  }
}

/** The server answered something that is not the Guardant API: a misconfigured URL, a proxy page… */
export class BadServerResponseError extends Error {}

export function toStationError(error: unknown): StationError {
  if (error instanceof GuardantApiError) {
    return { code: StationErrorCode.ServerRejected, message: error.message, apiCode: error.apiCode };
  }
  if (error instanceof ServerUnreachableError) {
    return { code: StationErrorCode.ServerUnreachable, message: `Server unreachable: ${error.message}` };
  }
  if (error instanceof BadServerResponseError) {
    return { code: StationErrorCode.BadServerResponse, message: error.message };
  }
  return { code: StationErrorCode.Internal, message: error instanceof Error ? error.message : String(error) };
}
