import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { FullScreenMessage } from './components/FullScreenMessage';
import { connectToStation, StationConnectError, type StationConnection } from './station/connect';
import { StationLinkProvider } from './station/link-state';
import { StationProvider } from './station/station-context';
import './styles/base.css';
import './styles/layout.css';
import './styles/components.css';
import './styles/narrow.css';

const queryClient = new QueryClient({
  defaultOptions: {
    // The station answers from its cache when the server is away; a retry would only hide its error.
    queries: { retry: false, refetchOnWindowFocus: false, staleTime: 30_000 },
    mutations: { retry: false },
  },
});

function Connected({ connection }: { connection: StationConnection }) {
  const [lost, setLost] = useState(connection.state().kind !== 'connected');
  useEffect(
    () =>
      connection.onState((state) => {
        setLost(state.kind !== 'connected');
        // Back on the same link: what the page shows is refetched (what is on screen first); the
        // screen, the selection and the event subscriptions are all still here.
        if (state.kind === 'connected') void queryClient.invalidateQueries();
      }),
    [connection],
  );
  return (
    <StationProvider api={connection.api}>
      <StationLinkProvider connection={connection}>
        <QueryClientProvider client={queryClient}>
          <App connectionLost={lost} />
        </QueryClientProvider>
      </StationLinkProvider>
    </StationProvider>
  );
}

function NotConnected({ error }: { error: unknown }) {
  if (error instanceof StationConnectError && error.reason === 'missing-token') {
    return (
      <FullScreenMessage title="No session token">
        <p>Open the link the station printed; it carries the session token.</p>
        <p className="muted">It looks like http://127.0.0.1:PORT/#token=…</p>
      </FullScreenMessage>
    );
  }
  if (error instanceof StationConnectError && error.reason === 'link-changed') {
    return (
      <FullScreenMessage title="This station's link has changed">
        <p>Open the new link printed by the station.</p>
        <p className="muted">
          The station is running but was given a new link (a new session token), so this one no longer works.
        </p>
      </FullScreenMessage>
    );
  }
  return (
    <FullScreenMessage title="Something went wrong while connecting to the station">
      <p>Reload this page; if it happens again, restart the station and open the link it prints.</p>
      <button type="button" onClick={() => window.location.reload()}>
        Reload
      </button>
    </FullScreenMessage>
  );
}

/** The station is not up yet (or restarting): the page keeps trying by itself. */
function Waiting({ attempt }: { attempt: number }) {
  return (
    <FullScreenMessage title="Cannot reach the station yet">
      <p>
        Trying again by itself{attempt > 1 ? ` (attempt ${attempt})` : ''}: this page opens as soon as it is
        up.
      </p>
      <p className="muted">If this lasts, check that the station is running (npm run start:web).</p>
    </FullScreenMessage>
  );
}

// A new link pasted into this tab (another token) changes only the fragment: start over with it.
const startHash = window.location.hash;
window.addEventListener('hashchange', () => {
  if (window.location.hash !== startHash) window.location.reload();
});

const root = createRoot(document.getElementById('root')!);
root.render(
  <FullScreenMessage title="Connecting to the station…">
    <p className="muted">One moment.</p>
  </FullScreenMessage>,
);
connectToStation(window, (attempt) => root.render(<Waiting attempt={attempt} />)).then(
  (connection) =>
    root.render(
      <StrictMode>
        <Connected connection={connection} />
      </StrictMode>,
    ),
  (error: unknown) => root.render(<NotConnected error={error} />),
);
