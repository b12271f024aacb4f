import type { StationApi } from '../../../shared/ipc/station-api';
import { createWsStationApi } from '../../../shared/ipc/ws-station-client';
import { createPreloadStationApi } from './preload-station-api';

export interface StationConnection {
  api: StationApi;
  host: 'electron' | 'browser';
  /** Called once when the transport is lost for good (browser mode: the socket closed). */
  onLost(listener: () => void): void;
}

export type ConnectFailure = 'missing-token' | 'refused';

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

/**
 * Picks the transport: Electron's preload bridge when it is there, otherwise the browser-mode
 * WebSocket authenticated with the token from the link. Resolves once the station can be asked.
 */
export async function connectToStation(win: Window = window): Promise<StationConnection> {
  if (win.keybench) {
    return { api: createPreloadStationApi(win.keybench), host: 'electron', onLost: () => {} };
  }

  const token = readTokenFromHash(win.location.hash);
  if (!token) {
    throw new StationConnectError('missing-token', 'This page was opened without its session token.');
  }
  const scheme = win.location.protocol === 'https:' ? 'wss' : 'ws';
  const socket = new WebSocket(`${scheme}://${win.location.host}/ipc?token=${encodeURIComponent(token)}`);
  const api = createWsStationApi(socket);
  try {
    await api.ready;
  } catch {
    throw new StationConnectError('refused', 'The station refused the connection or is not running.');
  }
  const lostListeners = new Set<() => void>();
  socket.addEventListener('close', () => {
    for (const listener of lostListeners) listener();
  });
  return {
    api,
    host: 'browser',
    onLost: (listener) => {
      lostListeners.add(listener);
      if (socket.readyState === WebSocket.CLOSED || socket.readyState === WebSocket.CLOSING) listener();
    },
  };
}
