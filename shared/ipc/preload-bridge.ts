import type { IpcResult } from './result';

/**
 * What electron/preload.ts exposes on `window.keybench` through contextBridge: two functions, nothing
 * of Node or Electron. The renderer wraps it into a StationApi (renderer/src/station/).
 */
export interface PreloadBridge {
  invoke(channel: string, request: unknown): Promise<IpcResult<unknown>>;
  /** Subscribes to every main → renderer event; returns the unsubscribe function. */
  onEvent(listener: (event: string, payload: unknown) => void): () => void;
}

/** ipcMain / ipcRenderer channel names of the Electron transport. */
export const ELECTRON_INVOKE_CHANNEL = 'keybench:invoke';
export const ELECTRON_EVENT_CHANNEL = 'keybench:event';
