import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import type { OutboxCounts } from '../../../../shared/station/models';
import { ErrorNotice } from '../../components/ErrorNotice';
import { plural } from '../../components/format';
import { queryKeys } from '../../station/query-keys';
import { useStation } from '../../station/station-context';

type Bulk = 'retry' | 'cancel';

const question: Record<Bulk, (n: number) => string> = {
  retry: (n) => `Retry all ${plural(n, 'failed item')}? Each is sent again, in its place in the queue.`,
  cancel: (n) =>
    `Cancel all ${plural(n, 'pending item')}? They are not sent; their keys are not added or written.`,
};
const confirmText: Record<Bulk, (n: number) => string> = {
  retry: (n) => `Retry ${plural(n, 'item')}`,
  cancel: (n) => `Cancel ${plural(n, 'item')}`,
};
const doneText: Record<Bulk, (n: number) => string> = {
  retry: (n) => `${plural(n, 'failed item')} queued again.`,
  cancel: (n) => `${plural(n, 'pending item')} cancelled.`,
};

/**
 * "Retry all failed" and "Cancel all pending", each asked once with the count it acts on. The action
 * reaches only items up to the newest one when the operator confirmed: work queued after is left alone.
 */
export function BulkActions({ counts, newestId }: { counts: OutboxCounts; newestId: number }) {
  const api = useStation();
  const queryClient = useQueryClient();
  const [asking, setAsking] = useState<{ bulk: Bulk; count: number; upToId: number } | null>(null);
  const [result, setResult] = useState('');
  const confirmRef = useRef<HTMLButtonElement>(null);
  const openerRef = useRef<Record<Bulk, HTMLButtonElement | null>>({ retry: null, cancel: null });
  const act = useMutation({
    mutationFn: ({ bulk, upToId }: { bulk: Bulk; upToId: number }) =>
      api.invoke(bulk === 'retry' ? 'outbox:retryAll' : 'outbox:cancelAll', { upToId }),
    onSuccess: ({ count }, { bulk }) => {
      setResult(doneText[bulk](count));
      void queryClient.invalidateQueries({ queryKey: queryKeys.outbox });
      void queryClient.invalidateQueries({ queryKey: queryKeys.anyOutboxPage });
    },
  });

  useEffect(() => {
    if (asking) confirmRef.current?.focus();
  }, [asking]);

  const ask = (bulk: Bulk, count: number) => {
    setResult('');
    act.reset();
    setAsking({ bulk, count, upToId: newestId });
  };
  const close = () => {
    const opener = asking && openerRef.current[asking.bulk];
    setAsking(null);
    opener?.focus();
  };

  return (
    <div className="queue-bulk">
      <div className="toolbar">
        <button
          type="button"
          ref={(el) => void (openerRef.current.retry = el)}
          disabled={counts.failed === 0 || act.isPending}
          onClick={() => ask('retry', counts.failed)}
        >
          Retry all failed ({counts.failed})
        </button>
        <button
          type="button"
          ref={(el) => void (openerRef.current.cancel = el)}
          disabled={counts.pending === 0 || act.isPending}
          onClick={() => ask('cancel', counts.pending)}
        >
          Cancel all pending ({counts.pending})
        </button>
      </div>
      {asking && (
        <div
          className="confirm-panel"
          role="alertdialog"
          aria-labelledby="bulk-question"
          onKeyDown={(e) => {
            if (e.key === 'Escape') close();
          }}
        >
          <p id="bulk-question">{question[asking.bulk](asking.count)}</p>
          <button
            type="button"
            ref={confirmRef}
            className={asking.bulk === 'cancel' ? 'danger' : undefined}
            onClick={() => {
              act.mutate({ bulk: asking.bulk, upToId: asking.upToId });
              close();
            }}
          >
            {confirmText[asking.bulk](asking.count)}
          </button>
          <button type="button" onClick={close}>
            {asking.bulk === 'cancel' ? 'Keep them' : 'Not now'}
          </button>
        </div>
      )}
      <p role="status" className="muted">
        {result}
      </p>
      {act.isError && <ErrorNotice title="The queue could not do that" error={act.error} />}
    </div>
  );
}
