import { useMutation } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { ErrorNotice } from '../../components/ErrorNotice';
import { OrderNumberPicker } from '../../components/OrderNumberPicker';
import { OrderSummary } from '../../components/OrderSummary';
import { ProgressBar } from '../../components/ProgressBar';
import { SelectedKeysLine } from '../../components/SelectedKeysLine';
import { plural } from '../../components/format';
import { orderTakesKeys, useOrder } from '../../station/queries';
import { useStation } from '../../station/station-context';
import { useUi } from '../../state/ui-store';
import { useSelectedKeys } from '../../state/use-selected-keys';
import { FINAL_STAGES, useWriteJobs } from '../../state/write-jobs-store';
import { WriteProgressTable } from './WriteProgressTable';

/** Writes the chosen order's licence into the selected keys and follows every key to its result. */
export function WriteScreen() {
  const api = useStation();
  const keys = useSelectedKeys();
  const orderId = useUi((s) => s.selectedOrderId);
  const selectOrder = useUi((s) => s.selectOrder);
  const jobId = useUi((s) => s.writeJobId);
  const followWriteJob = useUi((s) => s.followWriteJob);
  const job = useWriteJobs((s) => (jobId ? s.jobs[jobId] : undefined));

  const order = useOrder(orderId);
  const eligible = order.data ? orderTakesKeys(order.data.order).ok : false;

  const write = useMutation({
    mutationFn: (request: { orderId: number; dongleIds: number[] }) => api.invoke('licenses:write', request),
    onSuccess: ({ jobId: started }) => followWriteJob(started),
  });

  // Scan, Enter, Enter: once the order is found and can take keys, the write button takes focus.
  const writeButton = useRef<HTMLButtonElement>(null);
  const resolvedId = eligible ? order.data?.order._id : undefined;
  useEffect(() => {
    if (resolvedId !== undefined) writeButton.current?.focus();
  }, [resolvedId]);

  const running = job ? job.done < job.total : false;
  const failedKeys = job
    ? job.dongleIds.filter((id) => {
        const stage = job.latest[id]?.stage;
        return stage === 'failed' || stage === 'unplugged';
      })
    : [];
  const settled = job ? job.dongleIds.filter((id) => FINAL_STAGES.has(job.latest[id]!.stage)).length : 0;

  return (
    <section className="screen" aria-labelledby="write-title">
      <div className="screen-head">
        <h1 id="write-title">Write licences</h1>
      </div>
      <SelectedKeysLine keys={keys} />
      <OrderNumberPicker onResolved={(o) => selectOrder(o._id)} />
      {order.isError && (
        <ErrorNotice
          title="Could not load the order"
          error={order.error}
          onRetry={() => void order.refetch()}
        />
      )}
      {order.data && <OrderSummary view={order.data} />}
      <div className="toolbar">
        <button
          ref={writeButton}
          type="button"
          className="primary"
          disabled={!eligible || !keys.length || write.isPending || running}
          onClick={() => write.mutate({ orderId: orderId!, dongleIds: keys.map((k) => k.dongleId) })}
        >
          Write licences to {plural(keys.length, 'key')}
        </button>
        {running && <span className="muted">A write is running; wait for it to finish.</span>}
      </div>
      {write.isError && <ErrorNotice title="Could not start writing" error={write.error} />}

      {jobId && !job && <p className="muted">Starting…</p>}
      {job && (
        <section className="panel" aria-labelledby="job-title">
          <h2 id="job-title">
            {running ? 'Writing' : 'Finished'}: {plural(job.total, 'key')}
            {!running && failedKeys.length > 0 && `, ${failedKeys.length} failed`}
          </h2>
          <ProgressBar label="Keys written" done={Math.max(job.done, settled)} total={job.total} />
          <div className="toolbar">
            <button
              type="button"
              disabled={running || failedKeys.length === 0 || write.isPending}
              onClick={() => write.mutate({ orderId: job.orderId, dongleIds: failedKeys })}
            >
              Retry failed keys{failedKeys.length ? ` (${failedKeys.length})` : ''}
            </button>
          </div>
          <WriteProgressTable job={job} />
        </section>
      )}
    </section>
  );
}
