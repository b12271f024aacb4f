import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { OutboxItem } from '../../../shared/station/models';
import { canCancel, canRetry } from '../../../shared/station/outbox-statuses';
import { queryKeys } from '../station/query-keys';
import { useStation } from '../station/station-context';
import { ErrorNotice } from './ErrorNotice';

type ItemRef = Pick<OutboxItem, 'id' | 'status' | 'attempts'>;

/**
 * Retry a failed item or cancel one not yet sent; the answer replaces the item where it is followed.
 * The buttons shown are the outbox's own rules (canRetry, canCancel), so none offers what it refuses.
 */
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
      {canRetry(item) && (
        <button
          type="button"
          disabled={busy}
          onClick={() => retry.mutate()}
          aria-label={`Retry item ${item.id}`}
        >
          Retry
        </button>
      )}
      {canCancel(item) && (
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
