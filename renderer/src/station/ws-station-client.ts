import { StationErrorCode } from '../../../shared/ipc/result';
import type {
  EventChannel,
  EventPayload,
  InvokeChannel,
  InvokeRequest,
  InvokeResponse,
} from '../../../shared/ipc/contract';
import { StationLinkError, StationRequestError, type StationApi } from '../../../shared/ipc/station-api';
import { serverMessageSchema } from '../../../shared/ipc/wire-messages';

/** The slice of the WebSocket API this client needs: the browser's, or the `ws` package's in tests. */
export interface SocketLike {
  readyState: number;
  send(data: string): void;
  close(): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  addEventListener(type: 'open' | 'close' | 'error', listener: (event: unknown) => void): void;
}

export interface WsStationApi extends StationApi {
  ready: Promise<void>;
  close(): void;
}

/** The renderer's StationApi over the browser-mode host's WebSocket. */
export function createWsStationApi(socket: SocketLike, timeoutMs = 120_000): WsStationApi {
  let nextId = 1;
  const pending = new Map<
    number,
    { resolve(v: unknown): void; reject(e: Error): void; timer: ReturnType<typeof setTimeout> }
  >();
  const listeners = new Map<string, Set<(payload: unknown) => void>>();

  const ready = new Promise<void>((resolve, reject) => {
    if (socket.readyState === 1) resolve();
    socket.addEventListener('open', () => resolve());
    socket.addEventListener('error', () => reject(new Error('could not connect to the station')));
  });

  socket.addEventListener('close', () => {
    for (const [, p] of pending) {
      clearTimeout(p.timer);
      p.reject(new StationLinkError('the connection to the station closed before it answered'));
    }
    pending.clear();
  });

  socket.addEventListener('message', (event) => {
    let message;
    try {
      message = serverMessageSchema.parse(JSON.parse(String(event.data)));
    } catch {
      return; // a frame that is not ours is dropped, not trusted
    }
    if (message.type === 'event') {
      for (const listener of listeners.get(message.event) ?? []) listener(message.payload);
      return;
    }
    const waiter = pending.get(message.id);
    if (!waiter) return;
    pending.delete(message.id);
    clearTimeout(waiter.timer);
    if (message.result.ok) waiter.resolve(message.result.value);
    else
      waiter.reject(
        new StationRequestError(message.result.error as ConstructorParameters<typeof StationRequestError>[0]),
      );
  });

  return {
    ready,
    close: () => socket.close(),
    async invoke<C extends InvokeChannel>(channel: C, request: InvokeRequest<C>): Promise<InvokeResponse<C>> {
      try {
        await ready;
      } catch {
        throw new StationLinkError('could not connect to the station');
      }
      if (socket.readyState !== 1) throw new StationLinkError();
      const id = nextId++;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(
            new StationRequestError({
              code: StationErrorCode.Internal,
              message: `${channel}: no answer from the station`,
            }),
          );
        }, timeoutMs);
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
        socket.send(JSON.stringify({ type: 'invoke', id, channel, request }));
      });
    },
    on<E extends EventChannel>(event: E, listener: (payload: EventPayload<E>) => void) {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(listener as (payload: unknown) => void);
      return () => set.delete(listener as (payload: unknown) => void);
    },
  };
}
