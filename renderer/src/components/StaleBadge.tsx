import { formatAgo } from './format';
import { useNow } from './use-now';

/** "cached 5 min ago" on any view whose data came from the station's cache, not the server. */
export function StaleBadge({ view }: { view: { stale: boolean; fetchedAt: number | null } | undefined }) {
  const now = useNow();
  if (!view?.stale) return null;
  const text = view.fetchedAt === null ? 'cached, age unknown' : `cached ${formatAgo(now - view.fetchedAt)}`;
  return (
    <span className="badge badge-stale" role="status">
      {text}
    </span>
  );
}
