import { Fragment, useState } from 'react';
import type { OutboxEntry, OutboxView } from '../../../../shared/station/models';
import { isDue } from '../../../../shared/station/outbox-statuses';
import { OUTBOX_WAITING_PREFIX } from '../../../../shared/station/outbox-waiting';
import { ErrorDetails } from '../../components/ErrorNotice';
import { formatDue, formatTime } from '../../components/format';
import { OrderRef } from '../../components/OrderRef';
import { OutboxItemActions } from '../../components/OutboxItemActions';
import { describeStoredError } from '../../station/describe-error';
import { entryOutcome } from './entry-outcome';
import { AllKeys, KeysCell } from './ItemKeys';

const kindText: Record<OutboxEntry['kind'], string> = {
  'add-keys': 'Add keys',
  'remove-key': 'Remove key',
  'set-driver-type': 'Set driver type',
  'write-license': 'Write licence',
};

/** Pending work says when it is tried next; settled work says when it settled. */
function when(item: OutboxEntry, now: number): string {
  if (isDue(item.status)) return `next ${formatDue(item.nextAttemptAt, now)}`;
  if (item.status === 'in-flight') return 'now';
  return formatTime(item.updatedAt);
}

/** What the last error column says: a superseded write's error is history, told as what followed. */
function Note({ item }: { item: OutboxEntry }) {
  if (item.supersededBy !== null)
    return <span className="muted">First try failed; item #{item.supersededBy} wrote the licence.</span>;
  if (!item.lastError) return null;
  // A write waiting on purpose (the license manager may still be burning it) is not an error.
  const waiting = item.lastError.startsWith(OUTBOX_WAITING_PREFIX);
  return (
    <span className={waiting ? undefined : 'error-text'}>
      {describeStoredError(item.lastError).summary}
      <ErrorDetails code={null} message={item.lastError} />
    </span>
  );
}

const COLUMNS = 9;

/** One page of queue items; a row's full key list opens under it. */
export function QueueTable({ view, items, now }: { view: OutboxView; items: OutboxEntry[]; now: number }) {
  const [openKeys, setOpenKeys] = useState<number | null>(null);
  return (
    <table className="data-table queue-table" aria-label={view === 'work' ? 'Pending work' : 'History'}>
      <thead>
        <tr>
          <th scope="col">Item</th>
          <th scope="col">Kind</th>
          <th scope="col">Order</th>
          <th scope="col">Keys</th>
          <th scope="col">Status</th>
          <th scope="col">Attempts</th>
          <th scope="col">{view === 'work' ? 'When' : 'Settled'}</th>
          <th scope="col">Last error</th>
          <th scope="col">
            <span className="visually-hidden">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {items.map((item) => {
          const outcome = entryOutcome(item);
          const open = openKeys === item.id;
          return (
            <Fragment key={item.id}>
              <tr className={`outbox-${item.status}`} data-item-id={item.id}>
                <td className="mono">#{item.id}</td>
                <td className="nowrap">{kindText[item.kind]}</td>
                <td className="nowrap">
                  <OrderRef orderId={item.orderId} />
                </td>
                <td>
                  <KeysCell entry={item} open={open} onToggle={() => setOpenKeys(open ? null : item.id)} />
                  {/* A superseded write's failed key holds the licence now: nothing failed is left. */}
                  {item.failedKeys > 0 && item.supersededBy === null && (
                    <span className="error-text">{item.failedKeys} not accepted</span>
                  )}
                </td>
                <td className={`outcome outcome-${outcome.tone}`}>{outcome.text}</td>
                <td className="mono">{item.attempts}</td>
                <td className="mono">{when(item, now)}</td>
                <td>
                  <Note item={item} />
                </td>
                <td>
                  <OutboxItemActions item={item} />
                </td>
              </tr>
              {open && (
                <tr id={`item-keys-${item.id}`} className="item-keys-row">
                  <td colSpan={COLUMNS}>
                    <AllKeys itemId={item.id} />
                  </td>
                </tr>
              )}
            </Fragment>
          );
        })}
      </tbody>
    </table>
  );
}
