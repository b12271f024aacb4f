import type { HistoryItem } from '../../../../shared/guardant/responses';
import { customerName } from '../../components/order-text';
import { formatUnixDateTime } from '../../components/format';
import { actionResultText } from '../../components/KeyStateBadge';

/** Every licence write recorded for a key. */
export function HistoryTable({ dongleId, history }: { dongleId: number; history: HistoryItem[] }) {
  if (!history.length) return <p className="empty-state">No writes recorded for these filters.</p>;
  return (
    <table className="data-table" aria-label={`Write history of key ${dongleId}`}>
      <thead>
        <tr>
          <th scope="col">Date</th>
          <th scope="col">Order</th>
          <th scope="col">Customer</th>
          <th scope="col">Result</th>
          <th scope="col">Activations consumed</th>
          <th scope="col">Activations left</th>
          <th scope="col">Network licences left</th>
        </tr>
      </thead>
      <tbody>
        {history.map((h) => (
          <tr key={h._id} className={h.actionresult === 0 ? undefined : 'row-failed'}>
            <td className="mono">{formatUnixDateTime(h.actiondate)}</td>
            <td className="mono">{h.order.number}</td>
            <td>{customerName(h.customer ?? h.order.customer)}</td>
            <td className={h.actionresult === 0 ? 'result-ok' : 'result-failed'}>
              <span aria-hidden="true">{h.actionresult === 0 ? '✓ ' : '✕ '}</span>
              {h.actionresult !== 0 && <code>{h.actionresult}</code>} {actionResultText(h.actionresult)}
            </td>
            <td className="mono">{h.activationsconsumed}</td>
            <td className="mono">{h.activationscountcurrent}</td>
            <td className="mono">{h.netlicensesremains ?? '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
