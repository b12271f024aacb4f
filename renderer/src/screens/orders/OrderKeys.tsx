import { modelText } from '../../../../shared/guardant/codes';
import type { OrderDongle } from '../../../../shared/guardant/responses';
import { formatUnixDateTime } from '../../components/format';
import { actionResultText } from '../../components/KeyStateBadge';

/** The keys the order holds, each with its last write; the server lists the first 1000 of a larger order. */
export function OrderKeys({
  orderNumber,
  dongles,
  total = dongles.length,
}: {
  orderNumber: number;
  dongles: OrderDongle[];
  total?: number;
}) {
  if (!dongles.length) return <p className="muted">No keys in this order yet.</p>;
  return (
    <>
      {total > dongles.length && (
        <p className="muted">
          Showing the first {dongles.length} of {total} keys.
        </p>
      )}
      <table className="data-table compact" aria-label={`Keys in order ${orderNumber}`}>
        <thead>
          <tr>
            <th scope="col">Key id</th>
            <th scope="col">Model</th>
            <th scope="col">Public code</th>
            <th scope="col">Last write</th>
            <th scope="col">Result</th>
            <th scope="col">Activations used / left</th>
          </tr>
        </thead>
        <tbody>
          {dongles.map((dongle) => {
            const burn = dongle.lastburn;
            return (
              <tr key={dongle.dongleid}>
                <td className="mono key-id-small">{dongle.dongleid}</td>
                <td>{modelText(dongle.model)}</td>
                <td className="mono">{dongle.publiccode}</td>
                <td className="mono">{burn ? formatUnixDateTime(burn.actiondate) : 'never written'}</td>
                <td>
                  {burn ? (
                    <span className={burn.actionresult === 0 ? 'result-ok' : 'result-failed'}>
                      <span aria-hidden="true">{burn.actionresult === 0 ? '✓ ' : '✕ '}</span>
                      {burn.actionresult !== 0 && <span className="mono">{burn.actionresult}: </span>}
                      {actionResultText(burn.actionresult)}
                    </span>
                  ) : (
                    '—'
                  )}
                </td>
                <td className="mono">
                  {burn ? `${burn.activationsconsumed} / ${burn.activationscountcurrent}` : '—'}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </>
  );
}
