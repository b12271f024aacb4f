/** The browser-mode socket closed: nothing the page shows is live any more. */
export function ConnectionLostBanner() {
  return (
    <div className="notice notice-error banner" role="alert">
      The connection to the station closed: what you see is no longer live. Check that the station still runs,
      then{' '}
      <button type="button" onClick={() => window.location.reload()}>
        Reload
      </button>
    </div>
  );
}
