import { useMutation } from '@tanstack/react-query';
import type { InvokeRequest } from '../../../../shared/ipc/contract';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useStation } from '../../station/station-context';

/**
 * "Test connection": tries the URL and credentials as typed, without saving them, and says what failed
 * in words (cannot reach the host, not a Guardant server, wrong user or password) or the vendor's name.
 * Empty password and token fields mean the saved ones, as saving would.
 */
export function ConnectionTester({ request }: { request: InvokeRequest<'settings:test-connection'> }) {
  const api = useStation();
  const test = useMutation({
    mutationFn: (r: InvokeRequest<'settings:test-connection'>) => api.invoke('settings:test-connection', r),
  });
  const run = () => {
    const r: InvokeRequest<'settings:test-connection'> = { serverUrl: request.serverUrl };
    if (request.login) r.login = request.login;
    if (request.password) r.password = request.password;
    if (request.token) r.token = request.token;
    test.mutate(r);
  };
  const result = test.data;
  return (
    <div className="connection-test">
      <div className="toolbar">
        <button type="button" onClick={run} disabled={test.isPending || !request.serverUrl}>
          Test connection
        </button>
        <span className="muted">Tries what is typed above; saves nothing.</span>
      </div>
      <div aria-live="polite">
        {test.isPending && <p className="muted">Testing the connection…</p>}
        {result && !test.isPending && (
          <div
            role="status"
            className={`notice ${result.outcome === 'ok' ? 'notice-ok' : 'notice-warning'}`}
            aria-label="Connection test result"
          >
            <p>
              <span aria-hidden="true">{result.outcome === 'ok' ? '✓ ' : '✕ '}</span>
              {result.message}
            </p>
            {result.detail && (
              <details>
                <summary>Details</summary>
                <p className="mono">{result.detail}</p>
              </details>
            )}
          </div>
        )}
      </div>
      {test.isError && <ErrorNotice title="Could not test the connection" error={test.error} />}
    </div>
  );
}
