import { useConnection } from '../station/queries';
import { describeError } from '../station/describe-error';
import { formatAge } from './format';
import { useNow } from './use-now';

const labels = { online: 'Online', offline: 'Offline', unknown: 'Connecting…' } as const;

/** Whether the station reaches the Guardant server, always in the header. */
export function ConnectionBadge({ stationLost }: { stationLost: boolean }) {
  const connection = useConnection();
  const now = useNow();
  if (stationLost) {
    // Nothing main says reaches this page any more, so its last word on the server proves nothing.
    return (
      <span className="badge badge-offline" role="status" aria-label="Connection: station disconnected">
        <span aria-hidden="true">●</span> Station disconnected
      </span>
    );
  }
  if (connection.isError) {
    const { message } = describeError(connection.error);
    return (
      <span className="badge badge-offline" role="status" aria-label={`Connection: unknown (${message})`}>
        ● Connection unknown
      </span>
    );
  }
  const data = connection.data;
  const state = data?.state ?? 'unknown';
  const since = data?.lastOkAt
    ? `last reached ${formatAge(now - data.lastOkAt).replace(' old', ' ago')}`
    : 'never reached';
  const detail = state === 'online' ? data?.serverUrl : [since, data?.lastError].filter(Boolean).join(' · ');
  return (
    <span className={`badge badge-${state}`} role="status" aria-label={`Connection: ${labels[state]}`}>
      <span aria-hidden="true">●</span> {labels[state]}
      {detail && <span className="badge-detail">{detail}</span>}
    </span>
  );
}
