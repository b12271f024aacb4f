import { createContext, useCallback, useContext, useSyncExternalStore, type ReactNode } from 'react';
import type { LinkState, StationConnection } from './connect';

const LinkContext = createContext<LinkState>({ kind: 'connected' });

/** The page's link to its station (connected, reconnecting, link changed), for whoever shows it. */
export function StationLinkProvider({
  connection,
  children,
}: {
  connection: Pick<StationConnection, 'state' | 'onState'>;
  children: ReactNode;
}) {
  // The connection is an external store: React reads it on each render and re-reads it on each change.
  const subscribe = useCallback((onChange: () => void) => connection.onState(onChange), [connection]);
  const state = useSyncExternalStore(subscribe, connection.state);
  return <LinkContext.Provider value={state}>{children}</LinkContext.Provider>;
}

export function useStationLink(): LinkState {
  return useContext(LinkContext);
}
