import type { ChildProcess } from 'node:child_process';
import WebSocket from 'ws';
import {
  createWsStationApi,
  type SocketLike,
  type WsStationApi,
} from '../../renderer/src/station/ws-station-client';
import { launchTsx, stopProcess } from './processes';

export interface HostProcess {
  child: ChildProcess;
  api: WsStationApi;
}

/**
 * The browser-mode station host as its own process (as in production), connected over its WebSocket
 * and past its first bench scan. `args` are start:web's own (--server, --token, --bench, --data…).
 */
export async function spawnStationHost(args: string[]): Promise<HostProcess> {
  const {
    child,
    match: [, url],
  } = await launchTsx(['electron/web-host/main.ts', '--port', '0', ...args], /open (http:\/\/\S+)/, {
    KEYBENCH_LOG_LEVEL: 'warn',
  });
  const { origin, hash } = new URL(url!);
  const socket = new WebSocket(`${origin.replace('http', 'ws')}/ipc?token=${hash.slice('#token='.length)}`, {
    headers: { origin },
  });
  const api = createWsStationApi(socket as unknown as SocketLike);
  await api.ready;
  // Await the app's own event, never a fixed sleep: subscribe first, then ask whether it already fired.
  const ready = new Promise<void>((resolve) => api.on('bench:ready', () => resolve()));
  if (!(await api.invoke('station:info', {})).benchReady) await ready;
  return { child, api };
}

export function killHost(host: HostProcess, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  return stopProcess(host.child, signal);
}
