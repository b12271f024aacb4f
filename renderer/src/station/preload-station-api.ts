import type {
  EventChannel,
  EventPayload,
  InvokeChannel,
  InvokeRequest,
  InvokeResponse,
} from '../../../shared/ipc/contract';
import type { PreloadBridge } from '../../../shared/ipc/preload-bridge';
import { StationRequestError, type StationApi } from '../../../shared/ipc/station-api';

declare global {
  interface Window {
    /** Set by electron/preload.ts through contextBridge; absent in browser mode. */
    keybench?: PreloadBridge;
  }
}

/** The renderer's StationApi over Electron's preload bridge: one invoke, one event stream. */
export function createPreloadStationApi(bridge: PreloadBridge): StationApi {
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  bridge.onEvent((event, payload) => {
    for (const listener of listeners.get(event) ?? []) listener(payload);
  });

  return {
    async invoke<C extends InvokeChannel>(channel: C, request: InvokeRequest<C>): Promise<InvokeResponse<C>> {
      const result = await bridge.invoke(channel, request);
      if (result.ok) return result.value as InvokeResponse<C>;
      throw new StationRequestError(result.error);
    },
    on<E extends EventChannel>(event: E, listener: (payload: EventPayload<E>) => void) {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(listener as (payload: unknown) => void);
      return () => {
        set.delete(listener as (payload: unknown) => void);
      };
    },
  };
}
