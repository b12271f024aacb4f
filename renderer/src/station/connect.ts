import type { EventChannel, EventPayload, InvokeChannel, InvokeRequest } from '../../../shared/ipc/contract';
import { StationLinkError, type StationApi } from '../../../shared/ipc/station-api';
import { createWsStationApi, type WsStationApi } from './ws-station-client';
import { createPreloadStationApi } from './preload-station-api';

/**
 * Where the page stands with its station. Browser mode only moves between these; Electron's preload
 * bridge is always `connected`.
 */
export type LinkState =
  /** Requests and events flow. */
  | { kind: 'connected' }
  /** The station stopped or restarts: the page tries again by itself (`attempt` 1, 2, …). */
  | { kind: 'reconnecting'; attempt: number }
  /** The station runs but refuses this page's token: it was rotated. Only a new link helps. */
  | { kind: 'link-changed' };

export interface StationConnection {
  api: StationApi;
  host: 'electron' | 'browser';
  state(): LinkState;
  /** Called on every change of the link's state; returns the unsubscribe. */
  onState(listener: (state: LinkState) => void): () => void;
  /** Browser mode: stop reconnecting and close the socket (tests, page unload). */
  close(): void;
}

export type ConnectFailure = 'missing-token' | 'link-changed';

export class StationConnectError extends Error {
  constructor(
    readonly reason: ConnectFailure,
    message: string,
  ) {
    super(message);
  }
}

/** The session token the browser-mode host printed in its link: `http://127.0.0.1:PORT/#token=…`. */
export function readTokenFromHash(hash: string): string | null {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const token = params.get('token');
  return token && token.trim() ? token.trim() : null;
}

/** Waits before reconnect attempt `n` (1-based): 0.25 s, 0.5 s, 1 s, 2 s, then every 3 s, ±20 %. */
export function backoffMs(attempt: number): number {
  const base = Math.min(3_000, 250 * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (0.8 + Math.random() * 0.4));
}

/** Electron's link never drops; one object, since useSyncExternalStore compares snapshots by identity. */
const ELECTRON_LINK: LinkState = { kind: 'connected' };

/**
 * Picks the transport: Electron's preload bridge when it is there, otherwise the browser-mode
 * WebSocket authenticated with the token from the link. Resolves once the station can be asked.
 *
 * In browser mode the connection outlives the socket: when the station stops or restarts the page
 * reconnects by itself (backoff), keeps every event subscription (they are re-attached to each new
 * socket) and reports `reconnecting` meanwhile; requests made while it is away fail at once with a
 * StationLinkError instead of waiting. A station that answers HTTP but refuses the socket has a new
 * token (`--rotate-token`): the state becomes `link-changed` and the page stops trying.
 * `onWaiting` hears each attempt while the very first connection is not up yet.
 */
export async function connectToStation(
  win: Window = window,
  onWaiting?: (attempt: number) => void,
): Promise<StationConnection> {
  if (win.keybench) {
    return {
      api: createPreloadStationApi(win.keybench),
      host: 'electron',
      state: () => ELECTRON_LINK,
      onState: () => () => {},
      close: () => {},
    };
  }

  const token = readTokenFromHash(win.location.hash);
  if (!token) {
    throw new StationConnectError('missing-token', 'This page was opened without its session token.');
  }
  const scheme = win.location.protocol === 'https:' ? 'wss' : 'ws';
  const socketUrl = `${scheme}://${win.location.host}/ipc?token=${encodeURIComponent(token)}`;

  let current: WsStationApi | null = null;
  let state: LinkState = { kind: 'reconnecting', attempt: 0 };
  let closed = false;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const stateListeners = new Set<(state: LinkState) => void>();
  /** Every subscription the UI made, by event: re-attached to each new socket. */
  const subscribers = new Map<string, Set<(payload: unknown) => void>>();

  const setState = (next: LinkState) => {
    state = next;
    for (const listener of [...stateListeners]) listener(next);
  };

  const forward = (inner: WsStationApi, event: string) =>
    inner.on(event as EventChannel, (payload) => {
      for (const listener of [...(subscribers.get(event) ?? [])]) listener(payload);
    });

  /** Whether the host answers HTTP at all: then a refused socket means a token it no longer accepts. */
  const hostAnswers = async () => {
    try {
      await fetch(`${win.location.origin}/`, { method: 'HEAD', cache: 'no-store' });
      return true;
    } catch {
      return false;
    }
  };

  /** One attempt; resolves true once the socket is open. */
  const attempt = async (): Promise<'open' | 'down' | 'refused'> => {
    const socket = new WebSocket(socketUrl);
    const inner = createWsStationApi(socket);
    try {
      await inner.ready;
    } catch {
      inner.close();
      return (await hostAnswers()) ? 'refused' : 'down';
    }
    if (closed) {
      inner.close();
      return 'down';
    }
    current = inner;
    for (const event of subscribers.keys()) forward(inner, event);
    socket.addEventListener('close', () => {
      if (current !== inner) return;
      current = null;
      if (!closed) scheduleReconnect(1);
    });
    return 'open';
  };

  let refusals = 0;
  let firstOpen: ((value: void) => void) | null = null;
  let firstFailed: ((error: Error) => void) | null = null;
  const first = new Promise<void>((resolve, reject) => {
    firstOpen = resolve;
    firstFailed = reject;
  });

  const run = async (n: number) => {
    timer = null;
    if (closed) return;
    const outcome = await attempt();
    if (outcome === 'open') {
      refusals = 0;
      setState({ kind: 'connected' });
      firstOpen?.();
      firstOpen = firstFailed = null;
      return;
    }
    // Twice in a row, so a host caught between answering HTTP and accepting sockets is not misread.
    refusals = outcome === 'refused' ? refusals + 1 : 0;
    if (refusals >= 2) {
      setState({ kind: 'link-changed' });
      firstFailed?.(
        new StationConnectError(
          'link-changed',
          "The station is running but no longer accepts this page's link.",
        ),
      );
      firstOpen = firstFailed = null;
      return;
    }
    scheduleReconnect(n + 1);
  };

  const scheduleReconnect = (n: number) => {
    if (closed || timer) return;
    setState({ kind: 'reconnecting', attempt: n });
    if (firstOpen) onWaiting?.(n);
    timer = setTimeout(() => void run(n), n === 1 ? 0 : backoffMs(n - 1));
  };

  void run(0);
  await first;

  const api: StationApi = {
    invoke<C extends InvokeChannel>(channel: C, request: InvokeRequest<C>) {
      if (!current || state.kind !== 'connected') return Promise.reject(new StationLinkError());
      return current.invoke(channel, request);
    },
    on<E extends EventChannel>(event: E, listener: (payload: EventPayload<E>) => void) {
      let set = subscribers.get(event);
      if (!set) {
        set = new Set();
        subscribers.set(event, set);
        if (current) forward(current, event);
      }
      const entry = listener as (payload: unknown) => void;
      set.add(entry);
      return () => {
        set.delete(entry);
      };
    },
  };

  return {
    api,
    host: 'browser',
    state: () => state,
    onState: (listener) => {
      stateListeners.add(listener);
      return () => {
        stateListeners.delete(listener);
      };
    },
    close: () => {
      closed = true;
      if (timer) clearTimeout(timer);
      current?.close();
      current = null;
    },
  };
}
