import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
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
  const [state, setState] = useState<LinkState>(() => connection.state());
  useEffect(() => {
    setState(connection.state());
    return connection.onState(setState);
  }, [connection]);
  return <LinkContext.Provider value={state}>{children}</LinkContext.Provider>;
}

export function useStationLink(): LinkState {
  return useContext(LinkContext);
}
