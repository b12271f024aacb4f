import { useStationLink } from '../station/link-state';

/**
 * The browser-mode link to the station is down: while the page reconnects by itself it says so in
 * plain words (what you see may be out of date, nothing to do); when the station's link was rotated
 * only a new link helps, and it says where to find it.
 */
export function ConnectionLostBanner() {
  const link = useStationLink();
  if (link.kind === 'connected') return null;
  if (link.kind === 'link-changed') {
    return (
      <div className="notice notice-error banner" role="alert">
        <p className="notice-title">
          This station&apos;s link has changed: open the new link printed by the station.
        </p>
        <p className="notice-advice">
          The station was restarted with a new link, so this page can no longer reach it. What you see here is
          no longer live.
        </p>
      </div>
    );
  }
  return (
    // Silent: the Announcer says the station was lost, once (an alert stays for the changed link).
    <div className="notice notice-warning banner" role="status" aria-live="off">
      <p className="notice-title">Reconnecting… The connection to the station was lost.</p>
      <p className="notice-advice">
        This page connects again by itself as soon as the station is back; you do not need to reload. What you
        see may be out of date meanwhile. If this lasts, check that the station is still running.
      </p>
    </div>
  );
}
