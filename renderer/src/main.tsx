import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { FullScreenMessage } from './components/FullScreenMessage';
import { connectToStation, StationConnectError, type StationConnection } from './station/connect';
import { StationProvider } from './station/station-context';
import './styles/base.css';
import './styles/layout.css';
import './styles/components.css';

const queryClient = new QueryClient({
  defaultOptions: {
    // The station answers from its cache when the server is away; a retry would only hide its error.
    queries: { retry: false, refetchOnWindowFocus: false, staleTime: 30_000 },
    mutations: { retry: false },
  },
});

function Connected({ connection }: { connection: StationConnection }) {
  const [lost, setLost] = useState(false);
  useEffect(() => connection.onLost(() => setLost(true)), [connection]);
  return (
    <StationProvider api={connection.api}>
      <QueryClientProvider client={queryClient}>
        <App connectionLost={lost} />
      </QueryClientProvider>
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
  return (
    <FullScreenMessage title="Cannot reach the station">
      <p>The station refused the connection or is not running.</p>
      <p>
        Open the link the station printed; it carries the session token. A link from an earlier run no longer
        works.
      </p>
      <button type="button" onClick={() => window.location.reload()}>
        Try again
      </button>
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
connectToStation().then(
  (connection) =>
    root.render(
      <StrictMode>
        <Connected connection={connection} />
      </StrictMode>,
    ),
  (error: unknown) => root.render(<NotConnected error={error} />),
);
