import type { OutboxEntry, OutboxSummary } from '../../../../shared/station/models';
import { OUTBOX_WAITING_PREFIX } from '../../../../shared/station/outbox-waiting';
import { ErrorDetails, ErrorNotice } from '../../components/ErrorNotice';
import { describeStoredError } from '../../station/describe-error';
import { formatDue, formatTime } from '../../components/format';
import { OrderRef } from '../../components/OrderRef';
import { OutboxItemActions, outboxStatusText } from '../../components/OutboxItemActions';
import { useNow } from '../../components/use-now';
import { useOutbox } from '../../station/queries';

const kindText: Record<OutboxEntry['kind'], string> = {
  'add-keys': 'Add keys',
  'remove-key': 'Remove key',
  'set-driver-type': 'Set driver type',
  'write-license': 'Write licence',
};

/** Pending work says when it is tried next; settled work says when it settled. */
function when(item: OutboxEntry, now: number): string {
  if (item.status === 'pending' || item.status === 'needs-reconcile')
    return `next ${formatDue(item.nextAttemptAt, now)}`;
  if (item.status === 'in-flight') return 'now';
  return `${outboxStatusText[item.status].toLowerCase()} ${formatTime(item.updatedAt)}`;
}

function Counts({ summary }: { summary: OutboxSummary }) {
  const counts = [
    ['Pending', summary.pending, 'pending'],
    ['In flight', summary.inFlight, 'in-flight'],
    ['Failed', summary.failed, 'failed'],
    ['Needs reconcile', summary.needsReconcile, 'needs-reconcile'],
  ] as const;
  return (
    <dl className="counts" aria-label="Queue depth">
      {counts.map(([label, n, status]) => (
        <div key={status} className={`count count-${status}${n ? ' count-nonzero' : ''}`}>
          <dt>{label}</dt>
          <dd className="mono">{n}</dd>
        </div>
      ))}
    </dl>
  );
}

/** The outbox: the work the station owes the server, what failed and why, and what to do with it. */
export function QueueScreen() {
  const outbox = useOutbox();
  const now = useNow(5_000);

  return (
    <section className="screen" aria-labelledby="queue-title">
      <div className="screen-head">
        <h1 id="queue-title">Queue</h1>
      </div>
      {outbox.isError && (
        <ErrorNotice
          title="Could not read the queue"
          error={outbox.error}
          onRetry={() => void outbox.refetch()}
        />
      )}
      {outbox.data && (
        <>
          <Counts summary={outbox.data} />
          {outbox.data.items.length === 0 ? (
            <p className="empty-state">Nothing queued: everything has reached the server.</p>
          ) : (
            <table className="data-table" aria-label="Queued work">
              <thead>
                <tr>
                  <th scope="col">Item</th>
                  <th scope="col">Kind</th>
                  <th scope="col">Order</th>
                  <th scope="col">Keys</th>
                  <th scope="col">Status</th>
                  <th scope="col">Attempts</th>
                  <th scope="col">When</th>
                  <th scope="col">Last error</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {outbox.data.items.map((item) => (
                  <tr key={item.id} className={`outbox-${item.status}`}>
                    <td className="mono">#{item.id}</td>
                    <td className="nowrap">{kindText[item.kind]}</td>
                    <td className="nowrap">
                      <OrderRef orderId={item.orderId} />
                    </td>
                    <td className="mono">
                      {item.keyCount}
                      {item.failedKeys > 0 && <span className="error-text"> ({item.failedKeys} failed)</span>}
                    </td>
                    <td className={`outbox-status outbox-status-${item.status}`}>
                      {outboxStatusText[item.status]}
                    </td>
                    <td className="mono">{item.attempts}</td>
                    <td className="mono">{when(item, now)}</td>
                    <td
                      className={item.lastError?.startsWith(OUTBOX_WAITING_PREFIX) ? undefined : 'error-text'}
                    >
                      {item.lastError && (
                        <>
                          {describeStoredError(item.lastError).summary}
                          <ErrorDetails code={null} message={item.lastError} />
                        </>
                      )}
                    </td>
                    <td>
                      <OutboxItemActions item={item} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </section>
  );
}
