import { useEffect, useRef } from 'react';
import { driverTypeText, modelText } from '../../../../shared/guardant/codes';
import type { AttachedKey } from '../../../../shared/station/models';
import { formatHex, formatTime } from '../../components/format';
import { KeyStateBadge } from '../../components/KeyStateBadge';
import { KeyQueryStatus } from '../../components/KeyQueryStatus';
import { StaleBadge } from '../../components/StaleBadge';
import { useKeyHistory, useKeyOrders } from '../../station/queries';
import { useUi } from '../../state/ui-store';
import { HistoryTable } from '../history/HistoryTable';
import { KeyOrdersSection } from '../history/KeyOrdersSection';

const RECENT = 20;

/**
 * One key, opened from its bench row: identity, where it is plugged, its recent writes and the orders
 * holding it. A modal dialog: Escape or Close returns to the row.
 */
export function KeyDetail({ keyInfo: key, onClose }: { keyInfo: AttachedKey; onClose(): void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const history = useKeyHistory({ dongleId: key.dongleId, offset: 0, limit: RECENT });
  const orders = useKeyOrders(key.dongleId);
  const showHistoryOf = useUi((s) => s.showHistoryOf);
  const go = useUi((s) => s.go);

  useEffect(() => {
    const element = dialog.current;
    // Unmounting removes the dialog, which ends its modal state; closing here would report a close.
    if (element && !element.open) element.showModal();
  }, []);

  const titleId = 'key-detail-title';
  return (
    <dialog ref={dialog} className="key-detail" aria-labelledby={titleId} onClose={onClose}>
      <div className="key-detail-head">
        <h2 id={titleId}>
          Key <span className="mono">{key.dongleId}</span>{' '}
          <span className="mono muted">0x{formatHex(key.dongleId)}</span>
        </h2>
        <button type="button" onClick={() => dialog.current?.close()} autoFocus>
          Close
        </button>
      </div>
      <dl className="key-facts">
        <dt>State</dt>
        <dd>
          <KeyStateBadge keyInfo={key} />
        </dd>
        <dt>Model</dt>
        <dd>{modelText(key.model)}</dd>
        <dt>Public code</dt>
        <dd className="mono">{key.publicCode}</dd>
        <dt>Net resource</dt>
        <dd className="mono">{key.netResource}</dd>
        <dt>Driver</dt>
        <dd>{driverTypeText(key.driverType)}</dd>
        <dt>USB port</dt>
        <dd className="mono">{key.usbPath ?? 'not known on this platform'}</dd>
        <dt>Plugged</dt>
        <dd>
          <span className="mono">#{key.plugOrder}</span> at{' '}
          <span className="mono">{formatTime(key.pluggedAt)}</span>
        </dd>
      </dl>

      <div className="section-head">
        <h3>Recent writes</h3>
        <StaleBadge view={history.data} />
        <button
          type="button"
          onClick={() => {
            showHistoryOf(key.dongleId);
            go('history');
          }}
        >
          Full history…
        </button>
      </div>
      <KeyQueryStatus
        query={history}
        loading="Loading the history…"
        unknown="The server has no record of this key: it has never been added to an order."
        failed="Could not load the history"
      />
      {history.data && <HistoryTable dongleId={key.dongleId} history={history.data.history} />}

      <KeyOrdersSection dongleId={key.dongleId} orders={orders} heading="h3" />
    </dialog>
  );
}
