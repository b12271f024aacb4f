import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { OutboxItem } from '../../../shared/station/models';
import { queryKeys } from '../station/query-keys';
import { useStation } from '../station/station-context';
import { ErrorNotice } from './ErrorNotice';

type ItemRef = Pick<OutboxItem, 'id' | 'status' | 'attempts'>;

/** Failed items are retried; waiting ones are tried now instead of at their next backoff. */
const retryable = (item: ItemRef) =>
  item.status === 'failed' ||
  ((item.status === 'pending' || item.status === 'needs-reconcile') && item.attempts > 0);
const cancellable = (item: ItemRef) => ['pending', 'failed', 'needs-reconcile'].includes(item.status);

/** Retry a failed item or cancel one not yet sent; the answer replaces the item where it is followed. */
export function OutboxItemActions({ item }: { item: ItemRef }) {
  const api = useStation();
  const queryClient = useQueryClient();
  const onSuccess = (updated: OutboxItem) => {
    if (queryClient.getQueryData(queryKeys.outboxItem(updated.id))) {
      queryClient.setQueryData(queryKeys.outboxItem(updated.id), updated);
    }
    void queryClient.invalidateQueries({ queryKey: queryKeys.outbox });
    void queryClient.invalidateQueries({ queryKey: queryKeys.anyOutboxPage });
  };
  const retry = useMutation({ mutationFn: () => api.invoke('outbox:retry', { itemId: item.id }), onSuccess });
  const cancel = useMutation({
    mutationFn: () => api.invoke('outbox:cancel', { itemId: item.id }),
    onSuccess,
  });
  const busy = retry.isPending || cancel.isPending;

  return (
    <div className="item-actions">
      {retryable(item) && (
        <button
          type="button"
          disabled={busy}
          onClick={() => retry.mutate()}
          aria-label={`Retry item ${item.id}`}
        >
          Retry
        </button>
      )}
      {cancellable(item) && (
        <button
          type="button"
          disabled={busy}
          onClick={() => cancel.mutate()}
          aria-label={`Cancel item ${item.id}`}
        >
          Cancel
        </button>
      )}
      {retry.isError && <ErrorNotice title={`Could not retry item ${item.id}`} error={retry.error} />}
      {cancel.isError && <ErrorNotice title={`Could not cancel item ${item.id}`} error={cancel.error} />}
    </div>
  );
}

export const outboxStatusText: Record<OutboxItem['status'], string> = {
  pending: 'Waiting to be sent',
  'in-flight': 'Sending',
  done: 'Done',
  failed: 'Failed',
  'needs-reconcile': 'Checking with the server',
  cancelled: 'Cancelled',
};
