/** Errors cross the IPC boundary as values with a code the renderer can act on. */
export const StationErrorCode = {
  UnknownChannel: 'UNKNOWN_CHANNEL',
  /** The caller is not the station's own window (a sub-frame, DevTools, a navigated page). */
  Forbidden: 'FORBIDDEN',
  InvalidRequest: 'INVALID_REQUEST',
  ServerUnreachable: 'SERVER_UNREACHABLE',
  ServerRejected: 'SERVER_REJECTED',
  BadServerResponse: 'BAD_SERVER_RESPONSE',
  NotCached: 'NOT_CACHED',
  LicenseManagerUnavailable: 'LICENSE_MANAGER_UNAVAILABLE',
  NotSimulated: 'NOT_SIMULATED',
  NotFound: 'NOT_FOUND',
  Conflict: 'CONFLICT',
  Internal: 'INTERNAL',
} as const;
export type StationErrorCode = (typeof StationErrorCode)[keyof typeof StationErrorCode];

export interface StationError {
  code: StationErrorCode;
  message: string;
  /** The Guardant API code when the server refused (10168, 10030…). */
  apiCode?: number;
}

export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: StationError };
