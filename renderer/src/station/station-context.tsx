import { createContext, useContext, type ReactNode } from 'react';
import type { StationApi } from '../../../shared/ipc/station-api';

const StationContext = createContext<StationApi | null>(null);

export function StationProvider({ api, children }: { api: StationApi; children: ReactNode }) {
  return <StationContext.Provider value={api}>{children}</StationContext.Provider>;
}

/** The typed contract to main; the only way the UI talks to the station. */
export function useStation(): StationApi {
  const api = useContext(StationContext);
  if (!api) throw new Error('useStation outside <StationProvider>');
  return api;
}
