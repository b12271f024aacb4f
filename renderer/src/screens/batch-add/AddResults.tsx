import { ErrorDetails } from '../../components/ErrorNotice';
import { describeStoredError } from '../../station/describe-error';
import { isKeyInOrder, retcodeMeaning } from '../../../../shared/guardant/codes';
import type { OutboxItem } from '../../../../shared/station/models';
import { keyCodeOf } from '../../../../shared/station/outbox-results';
import { outboxStatusText, OutboxItemActions } from '../../components/OutboxItemActions';
import { ProgressBar } from '../../components/ProgressBar';
import { formatDue } from '../../components/format';
import { useNow } from '../../components/use-now';
import { orderRunName } from '../../components/order-text';
import { useOrder } from '../../station/queries';

/** What the server answered for each key of an add-keys batch, as it settles. */
export function AddResults({ item }: { item: OutboxItem }) {
  const now = useNow(5_000);
  // Which order this batch went to, so it is never mistaken for the order armed above it.
  const order = useOrder(item.orderId).data?.order;
  const settled = item.dongleIds.filter((id) => keyCodeOf(item, id) !== null).length;
  const waiting =
    item.status === 'pending' && item.attempts > 0
      ? `${outboxStatusText.pending}; next attempt ${formatDue(item.nextAttemptAt, now)}`
      : outboxStatusText[item.status];

  return (
    <section className="panel" aria-labelledby="add-results-title">
      <h2 id="add-results-title">
        Batch #{item.id}: {outboxStatusText[item.status]}
      </h2>
      <p className="muted">For {order ? orderRunName(order) : `order id ${item.orderId ?? '—'}`}</p>
      <ProgressBar label="Keys added" done={settled} total={item.dongleIds.length} />
      {item.lastError && (
        <div className="notice notice-error" role="alert">
          Last attempt failed: {describeStoredError(item.lastError).summary}{' '}
          {item.status === 'failed'
            ? 'Retry when the cause is fixed, or cancel the batch.'
            : 'The station keeps trying; the work is queued and will be sent when the server is back.'}
          <ErrorDetails code={null} message={item.lastError} />
        </div>
      )}
      <OutboxItemActions item={item} />
      <table className="data-table" aria-label="Results of the batch">
        <thead>
          <tr>
            <th scope="col">Key id</th>
            <th scope="col">Result</th>
          </tr>
        </thead>
        <tbody>
          {item.dongleIds.map((id) => {
            const retcode = keyCodeOf(item, id);
            return (
              <tr key={id}>
                <td className="mono key-id-small">{id}</td>
                <td>
                  {retcode === null ? (
                    <span className="muted">{waiting}</span>
                  ) : (
                    <span className={isKeyInOrder(retcode) ? 'result-ok' : 'result-failed'}>
                      <span aria-hidden="true">{isKeyInOrder(retcode) ? '✓ ' : '✕ '}</span>
                      {retcodeMeaning(retcode)} {retcode !== 0 && <code>{retcode}</code>}
                    </span>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
