import {
  useAnnounceAddResults,
  useAnnounceConnection,
  useAnnounceWriteResults,
} from '../station/announcements';
import { useAnnouncer } from '../state/announcer-store';

/**
 * The app's one polite live region (WCAG 4.1.3): it is in the page from the start, empty, so screen
 * readers watch it; what it says comes from the announcer store. Off screen, not hidden: a region
 * with display:none is never read.
 */
export function Announcer() {
  useAnnounceWriteResults();
  useAnnounceAddResults();
  useAnnounceConnection();
  const message = useAnnouncer((s) => s.message);
  return (
    <div id="announcer" className="visually-hidden" role="status" aria-live="polite" aria-atomic="true">
      {message}
    </div>
  );
}
