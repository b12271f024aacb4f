import { ErrorNotice } from '../../components/ErrorNotice';
import { useUsbStatus } from '../../station/queries';

/**
 * What stands between the host's USB and the bench, in plain words with what to do (no USB, no
 * permission to the keys, no hot-plug). The rest of the station works meanwhile, so these inform;
 * they do not block.
 */
export function UsbNotices() {
  const status = useUsbStatus();
  if (status.isError) {
    return (
      <ErrorNotice
        title="Could not ask the station about USB"
        error={status.error}
        onRetry={() => void status.refetch()}
      />
    );
  }
  const notices = status.data?.notices ?? [];
  if (!notices.length) return null;
  return (
    <div className="usb-notices" aria-label="USB">
      {notices.map((notice) => (
        <div
          key={notice.code}
          className={`notice ${notice.severity === 'error' ? 'notice-error' : 'notice-warning'}`}
          role={notice.severity === 'error' ? 'alert' : 'status'}
          data-code={notice.code}
        >
          <p className="notice-title">{notice.title}</p>
          <p className="notice-advice">{notice.detail}</p>
          {notice.command && (
            <pre className="notice-command">
              <code>{notice.command}</code>
            </pre>
          )}
        </div>
      ))}
    </div>
  );
}
