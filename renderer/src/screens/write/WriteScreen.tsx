import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import type { Order } from '../../../../shared/guardant/responses';
import { isFinalWriteStage } from '../../../../shared/station/models';
import { ArmingPanel, useArming } from '../../components/ArmingPanel';
import { ErrorNotice } from '../../components/ErrorNotice';
import { leftOutLine } from '../../components/PreflightPanel';
import { ProgressBar } from '../../components/ProgressBar';
import { plural } from '../../components/format';
import { orderRunName } from '../../components/order-text';
import { inBatches } from '../../station/batches';
import { orderTakesKeys, useAttachedKeys, useOrder } from '../../station/queries';
import { useStation } from '../../station/station-context';
import { useUi } from '../../state/ui-store';
import { useSelectedKeys } from '../../state/use-selected-keys';
import { useWriteJobs, whenJobFinished } from '../../state/write-jobs-store';
import { updateOrderKey, updateOrderWritable } from '../../../../shared/station/update-order';
import { RunPauseBanner } from './RunPauseBanner';
import { RunResults } from './results/RunResults';
import { useRunView } from './results/use-run-view';
import { UpdateOrderTarget } from './UpdateOrderTarget';
import { WriteKeysLine } from './WriteKeysLine';

/** Why the run's order takes no write now; null when it does (an Update order writes its own key). */
function orderRefusal(order: Order | undefined): string | null {
  if (!order) return null;
  const takes = updateOrderKey(order) !== null ? updateOrderWritable(order) : orderTakesKeys(order);
  return takes.ok ? null : `Order ${order.number}: ${takes.reason}`;
}
import { AutoModePanel } from './AutoModePanel';
import { RunKindNote } from '../../components/RunKindNote';

/** What the start button will do, in its own words: "Write order 34 · Acme GmbH · 12 keys". */
function startLabel(order: Order | null, keyCount: number, selected: number): string {
  if (!order) return 'Write licences · no order armed';
  if (!orderTakesKeys(order).ok) return `Write licences · order ${order.number} cannot take keys`;
  const what = keyCount ? plural(keyCount, 'key') : selected ? 'no keys to write' : 'no keys selected';
  return `Write ${orderRunName(order)} · ${what}`;
}

/**
 * Writes the armed order's licence into the selected keys and follows every key to its result. The
 * order is armed only by its number and Enter in this screen's field (see OrderNumberPicker); the
 * start button names it, and starting disarms it.
 */
export function WriteScreen() {
  const api = useStation();
  const keys = useSelectedKeys();
  const jobId = useUi((s) => s.writeJobId);
  const followWriteJob = useUi((s) => s.followWriteJob);
  const job = useWriteJobs((s) => (jobId ? s.jobs[jobId] : undefined));

  const arming = useArming(keys, 'write');
  const { order, eligible, precheck, picker, rewriteConfirmed } = arming;
  const jobOrder = useOrder(job?.orderId ?? null).data?.order;
  const toWrite = arming.selected;
  const benchKeys = useAttachedKeys().data ?? [];
  const updateKey = order ? updateOrderKey(order) : null;
  /** The re-writing confirmation the last run started with: "Retry failed" asks with the same one. */
  const [jobRewriteConfirmed, setJobRewriteConfirmed] = useState(false);
  /** What the last run left out and why, still said after its order is disarmed. */
  const [leftOut, setLeftOut] = useState<string | null>(null);

  // Over MAX_BATCH_DONGLES keys, one click writes batch after batch, each started when the last ends.
  const [batch, setBatch] = useState<{ index: number; count: number } | null>(null);
  const write = useMutation({
    mutationFn: async (request: { orderId: number; dongleIds: number[]; rewriteConfirmed: boolean }) => {
      const batches = inBatches(request.dongleIds);
      for (const [index, dongleIds] of batches.entries()) {
        const { jobId: started } = await api.invoke('licenses:write', {
          orderId: request.orderId,
          dongleIds,
          rewriteConfirmed: request.rewriteConfirmed,
        });
        followWriteJob(started);
        setBatch(batches.length > 1 ? { index, count: batches.length } : null);
        if (index < batches.length - 1) await whenJobFinished(started);
      }
    },
  });

  const running = job ? job.done < job.total : false;
  const failedKeys = job
    ? job.dongleIds.filter((id) => {
        const stage = job.latest[id]?.stage;
        return stage !== undefined && isFinalWriteStage(stage) && stage !== 'done';
      })
    : [];
  // The stored run tells failed from skipped (its events call both "failed").
  const failed = useRunView(job ? Number(job.jobId) : null).data?.counts.failed ?? failedKeys.length;
  const settled = job ? job.dongleIds.filter((id) => isFinalWriteStage(job.latest[id]!.stage)).length : 0;

  const start = () => {
    if (!order || !eligible || !toWrite.length || precheck.isPending) return;
    // The station runs the same pre-flight at the start: the tick must reach it, or it leaves them out.
    // Every selected key goes to the run, so the keys it leaves out are in its results with the reason.
    write.mutate({ orderId: order._id, dongleIds: keys.map((k) => k.dongleId), rewriteConfirmed });
    setJobRewriteConfirmed(rewriteConfirmed);
    setLeftOut(precheck.isSuccess ? leftOutLine(precheck.data) : null);
    // A run consumes its arming: the next order needs its own number and Enter.
    picker.current?.startOver();
  };

  // An Update order writes the one key it names, whatever is selected; it leaves nothing out.
  const startUpdate = (dongleId: number) => {
    if (!order) return;
    write.mutate({ orderId: order._id, dongleIds: [dongleId], rewriteConfirmed: false });
    setJobRewriteConfirmed(false);
    setLeftOut(null);
    picker.current?.startOver();
  };

  return (
    <section className="screen" aria-labelledby="write-title">
      <div className="screen-head">
        <h1 id="write-title">Write licences</h1>
      </div>
      <RunKindNote screen="write" />
      <WriteKeysLine keys={keys} />
      <ArmingPanel arming={arming} />
      {order && updateKey !== null && (
        <UpdateOrderTarget
          order={order}
          keys={benchKeys}
          disabled={write.isPending || running}
          onWrite={startUpdate}
        />
      )}
      <div className="toolbar" hidden={updateKey !== null}>
        <button
          type="button"
          className="primary start-run"
          disabled={!eligible || !toWrite.length || precheck.isPending || write.isPending || running}
          onClick={start}
        >
          {startLabel(order, toWrite.length, keys.length)}
        </button>
        {running && <span className="muted">A write is running; wait for it to finish.</span>}
      </div>
      {write.isError && <ErrorNotice title="Could not start writing" error={write.error} />}
      {leftOut && (
        <p className="notice" role="status" aria-label="Left out of the last run">
          {leftOut}
        </p>
      )}
      {/* Turning auto mode on consumes the arming, like starting a run. */}
      <AutoModePanel order={eligible ? order : null} onStarted={() => picker.current?.startOver()} />

      {jobId && !job && <p className="muted">Starting…</p>}
      {job && (
        <section className="panel" aria-labelledby="job-title">
          <h2 id="job-title">
            {running ? 'Writing' : 'Finished'}: {plural(job.total, 'key')}
            {!running && failed > 0 && `, ${failed} failed`}
            {jobOrder && ` · ${orderRunName(jobOrder)}`}
            {batch && ` · batch ${batch.index + 1} of ${batch.count}`}
          </h2>
          <ProgressBar label="Keys written" done={Math.max(job.done, settled)} total={job.total} />
          <RunPauseBanner runId={Number(job.jobId)} settled={!running} />
          <RunResults
            runId={Number(job.jobId)}
            orderRefusal={orderRefusal(jobOrder)}
            retryBusy={write.isPending}
            onRetry={(dongleIds) =>
              write.mutate({ orderId: job.orderId, dongleIds, rewriteConfirmed: jobRewriteConfirmed })
            }
          />
        </section>
      )}
    </section>
  );
}
