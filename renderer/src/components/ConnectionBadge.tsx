import { useConnection } from '../station/queries';
import { describeError } from '../station/describe-error';
import { useStationLink } from '../station/link-state';
import { formatAge } from './format';
import { useNow } from './use-now';

const labels = { online: 'Online', offline: 'Offline', unknown: 'Connecting…' } as const;

/**
 * Whether the station reaches the Guardant server, always in the header. A status by role, but silent
 * (aria-live off): its "last reached 12 s ago" ticks, and the Announcer says the changes once.
 */
export function ConnectionBadge({ stationLost }: { stationLost: boolean }) {
  const connection = useConnection();
  const now = useNow();
  const link = useStationLink();
  if (stationLost) {
    // Nothing main says reaches this page any more, so its last word on the server proves nothing.
    const words = link.kind === 'link-changed' ? 'Station link changed' : 'Reconnecting to the station…';
    return (
      <span className="badge badge-offline" role="status" aria-live="off" aria-label={`Connection: ${words}`}>
        <span aria-hidden="true">●</span> {words}
      </span>
    );
  }
  if (connection.isError) {
    const { summary } = describeError(connection.error);
    return (
      <span
        className="badge badge-offline"
        role="status"
        aria-live="off"
        aria-label={`Connection: unknown (${summary})`}
      >
        ● Connection unknown
      </span>
    );
  }
  const data = connection.data;
  const state = data?.state ?? 'unknown';
  const since = data?.lastOkAt
    ? `last reached ${formatAge(now - data.lastOkAt).replace(' old', ' ago')}`
    : 'never reached';
  // The server's last error is a developer's line (ECONNREFUSED…): the badge says it in words, the raw
  // text stays in the tooltip for support.
  const detail = state === 'online' ? data?.serverUrl : since;
  const title =
    state === 'online' ? undefined : data?.lastError ? `Last error: ${data.lastError}` : undefined;
  return (
    <span
      className={`badge badge-${state}`}
      role="status"
      aria-live="off"
      aria-label={`Connection: ${labels[state]}${state === 'offline' ? ', the Guardant server cannot be reached' : ''}`}
      title={title}
    >
      <span aria-hidden="true">●</span> {labels[state]}
      {detail && <span className="badge-detail">{detail}</span>}
    </span>
  );
}
