/**
 * The renderer's only door to the station: `window.keybench`, exactly the PreloadBridge (invoke and
 * onEvent), nothing of Node or Electron. Runs in the sandboxed renderer, where a preload may require
 * 'electron' and little else, so it is bundled to one CommonJS file (dist/electron/preload.cjs) whose
 * only require is 'electron'; from shared/ it takes the two channel names and types.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import {
  ELECTRON_EVENT_CHANNEL,
  ELECTRON_INVOKE_CHANNEL,
  type PreloadBridge,
} from '../shared/ipc/preload-bridge';
import type { IpcResult } from '../shared/ipc/result';

const bridge: PreloadBridge = {
  invoke(channel: string, request: unknown): Promise<IpcResult<unknown>> {
    return ipcRenderer.invoke(ELECTRON_INVOKE_CHANNEL, channel, request) as Promise<IpcResult<unknown>>;
  },
  onEvent(listener: (event: string, payload: unknown) => void): () => void {
    // The IpcRendererEvent stays here: it carries `sender`, which the page must never see.
    const forward = (_event: IpcRendererEvent, name: unknown, payload: unknown) => {
      if (typeof name === 'string') listener(name, payload);
    };
    ipcRenderer.on(ELECTRON_EVENT_CHANNEL, forward);
    return () => {
      ipcRenderer.removeListener(ELECTRON_EVENT_CHANNEL, forward);
    };
  },
};

contextBridge.exposeInMainWorld('keybench', bridge);
