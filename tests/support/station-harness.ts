import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import type { EventChannel, EventPayload } from '../../shared/ipc/contract';
import {
  createWsStationApi,
  type SocketLike,
  type WsStationApi,
} from '../../renderer/src/station/ws-station-client';
import { startEmbeddedDefault, type EmbeddedDefault } from '../../electron/startup/embedded-default';
import type { Station } from '../../electron/core/station';
import { startWebHost, type WebHost } from '../../electron/web-host/web-server';
import { startStationOn } from './station-runs';

export interface StationUnderTest {
  embedded: EmbeddedDefault;
  station: Station;
  host: WebHost;
  api: WsStationApi;
  dataDir: string;
  /** Resolves with the first event of that kind (after now) that satisfies the predicate. */
  next<E extends EventChannel>(
    event: E,
    predicate?: (payload: EventPayload<E>) => boolean,
  ): Promise<EventPayload<E>>;
  connect(options?: { token?: string; origin?: string }): Promise<WsStationApi>;
  close(): Promise<void>;
}

/**
 * The station as a renderer sees it: the embedded default (reference server + simulated bench), the
 * station core, and the browser-mode host, reached over a real WebSocket.
 */
/**
 * options.dataDir: a data folder to open again (a restart); it is then the caller's to remove.
 */
export async function startStationUnderTest(
  options: { keys?: number; dataDir?: string; stationName?: string } = {},
): Promise<StationUnderTest> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'kb-station-'));
  const embedded = await startEmbeddedDefault({ dataDir, initialKeys: options.keys ?? 0 });
  const station = await startStationOn(embedded, dataDir, {
    ...(options.stationName !== undefined && { stationName: options.stationName }),
  });
  const host = await startWebHost({ dispatch: station.dispatch, events: station.events });
  const sockets: WsStationApi[] = [];

  const connect = async ({ token = host.token, origin = host.origin } = {}) => {
    const socket = new WebSocket(
      `${host.origin.replace('http', 'ws')}/ipc?token=${encodeURIComponent(token)}`,
      {
        headers: { origin },
      },
    );
    const api = createWsStationApi(socket as unknown as SocketLike);
    sockets.push(api);
    await api.ready;
    return api;
  };
  const api = await connect();

  return {
    embedded,
    station,
    host,
    api,
    dataDir,
    connect,
    next: (event, predicate) =>
      new Promise((resolve) => {
        const off = api.on(event, (payload) => {
          if (predicate && !predicate(payload)) return;
          off();
          resolve(payload);
        });
      }),
    async close() {
      for (const s of sockets) s.close();
      await host.close();
      await station.close();
      await embedded.close();
      if (options.dataDir === undefined) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
