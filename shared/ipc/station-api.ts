import type { EventChannel, EventPayload, InvokeChannel, InvokeRequest, InvokeResponse } from './contract';
import type { StationError } from './result';

/** What the renderer holds, whichever host carries it (Electron preload or the browser-mode socket). */
export interface StationApi {
  invoke<C extends InvokeChannel>(channel: C, request: InvokeRequest<C>): Promise<InvokeResponse<C>>;
  on<E extends EventChannel>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}

/** Thrown by StationApi.invoke when main answers {ok:false}. */
export class StationRequestError extends Error implements StationError {
  readonly code: StationError['code'];
  readonly apiCode?: number;
  constructor(error: StationError) {
    super(error.message);
    this.code = error.code;
    this.apiCode = error.apiCode;
  }
}

/**
 * The request never reached the station, or its answer never came back: the browser-mode connection
 * closed (the station stopped or restarted). Not the station's refusal; trying again once the page
 * has reconnected is safe for reads, and the outbox makes writes exactly-once in effect.
 */
export class StationLinkError extends Error {
  constructor(message = 'the connection to the station is closed') {
    super(message);
    this.name = 'StationLinkError';
  }
}
