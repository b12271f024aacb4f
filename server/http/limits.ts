import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyBaseLogger } from 'fastify';
import { ApiErrorCode } from '../../shared/guardant/codes';
import { ApiError } from './api-error';

/** What one client may cost the server in time and connections. */
export interface ServerLimits {
  /** The whole request, line, headers and body, must arrive within this; else 408 and the connection closes. */
  requestTimeoutMs: number;
  /** The request line and headers must arrive within this (at most requestTimeoutMs). */
  headersTimeoutMs: number;
  /** A connection with no traffic either way for this long is closed. */
  idleTimeoutMs: number;
  /** An idle keep-alive connection between requests is closed after this. */
  keepAliveTimeoutMs: number;
  /** Connections beyond this many open at once are closed as they arrive. */
  maxConnections: number;
}

export const DEFAULT_LIMITS: ServerLimits = {
  requestTimeoutMs: 30_000,
  headersTimeoutMs: 10_000,
  idleTimeoutMs: 60_000,
  // Above undici's 4 s, so a client never reuses a socket the server is closing at that moment.
  keepAliveTimeoutMs: 10_000,
  maxConnections: 512,
};

/** Node checks the request and headers timeouts on a timer; 30 s by default, too coarse for a short limit. */
export function timeoutCheckInterval(limits: ServerLimits): number {
  return Math.max(
    25,
    Math.min(1000, Math.floor(Math.min(limits.requestTimeoutMs, limits.headersTimeoutMs) / 4)),
  );
}

/** An HTTP response written straight to the socket: for errors Node finds before Fastify sees a request. */
export function rawErrorResponse(error: ApiError): string {
  const body = JSON.stringify(error.toEnvelope());
  return (
    `HTTP/1.1 ${error.httpStatus} ${STATUS_CODES[error.httpStatus] ?? 'Error'}\r\n` +
    'Content-Type: application/json; charset=utf-8\r\n' +
    `Content-Length: ${Buffer.byteLength(body)}\r\n` +
    'Connection: close\r\n\r\n' +
    body
  );
}

/** Node's parser errors (llhttp codes) and its own timeouts, in the API's words. */
export function clientErrorToApiError(error: NodeJS.ErrnoException): ApiError {
  switch (error.code) {
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return new ApiError(ApiErrorCode.RequestTimeout, 'the connection is closed');
    case 'HPE_HEADER_OVERFLOW':
      return new ApiError(ApiErrorCode.HeadersTooLarge, 'the request line and headers may take 16 KiB');
    default:
      return new ApiError(
        ApiErrorCode.MalformedRequest,
        `${error.code ?? 'parse error'}${'reason' in error && typeof error.reason === 'string' ? `: ${error.reason}` : ''}`,
      );
  }
}

/**
 * Node's 'clientError': the request could not be parsed, or did not arrive in time. Answer in the
 * API's envelope when nothing of a response has gone out on this socket yet (as Node itself decides),
 * then close the connection: its parser state is lost.
 */
export function makeClientErrorHandler(log: FastifyBaseLogger) {
  return (error: NodeJS.ErrnoException, socket: Socket): void => {
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    const apiError = clientErrorToApiError(error);
    log.info(`client error ${error.code ?? ''}: answered ${apiError.httpStatus}/${apiError.code}`);
    if (socket.writable && !inFlight?.headersSent) socket.write(rawErrorResponse(apiError));
    socket.destroy();
  };
}
