import { useMemo, useState } from 'react';
import { modelText } from '../../../../../shared/guardant/codes';
import type { RunTask, RunView } from '../../../../../shared/station/models';
import { ErrorNotice } from '../../../components/ErrorNotice';
import { plural } from '../../../components/format';
import { useNow } from '../../../components/use-now';
import { useAttachedKeys } from '../../../station/queries';
import { groupOf, orderResults, pageOf, summaryLine, taskStateWords } from './result-rows';
import { retryPlan } from './retry-policy';
import { formatEta, formatRate, PACE_MIN_SETTLED, runPace } from './run-pace';
import { useRunView } from './use-run-view';

const PAGE_SIZE = 100;

interface Props {
  runId: number;
  /** Why the run's order takes no write now (revoked…); null when it does. */
  orderRefusal: string | null;
  /** Writes these keys again; undefined while a write is being started. */
  onRetry(dongleIds: number[]): void;
  retryBusy: boolean;
}

const rowClass: Record<ReturnType<typeof groupOf>, string | undefined> = {
  failed: 'row-failed',
  skipped: 'row-skipped',
  running: undefined,
  written: 'row-done',
};

/** The task's code (ActionResult or API code), folded away: the operator reads the words. */
function Code({ task }: { task: RunTask }) {
  const code = task.actionResult !== null && task.actionResult !== 0 ? task.actionResult : task.apiCode;
  if (code === null) return null;
  return (
    <details className="notice-details result-code">
      <summary>Code</summary>
      <code>{code}</code>
    </details>
  );
}

function reasonOf(task: RunTask): string {
  if (task.reason) return task.reason;
  if (task.state === 'verifying') return 'Written; reading the key back to compare it with the order.';
  return '';
}

const ResultRow = ({ task }: { task: RunTask }) => (
  <tr className={rowClass[groupOf(task.state)]} data-key-id={task.dongleId}>
    <td className="mono">{task.plugOrder !== null ? `plug #${task.plugOrder}` : '—'}</td>
    <td className="mono">{task.usbPath ?? '—'}</td>
    <td className="mono key-id-small">{task.dongleId}</td>
    <td>{task.model !== null ? modelText(task.model) : '—'}</td>
    <td className={`stage result-${task.state}`}>{taskStateWords[task.state]}</td>
    <td>
      {reasonOf(task)} <Code task={task} />
    </td>
  </tr>
);

/** Keys/hour and time left while the run goes; nothing before enough keys settled. */
function Pace({ run }: { run: RunView }) {
  const now = useNow(5_000);
  const pace = runPace(run, Math.max(now, run.updatedAt));
  return (
    <p className="muted" aria-label="Pace of the run">
      {pace
        ? `${formatRate(pace.keysPerHour)} · ${formatEta(pace.etaMs)}`
        : `Pace and time left show once ${PACE_MIN_SETTLED} keys have been written or failed.`}
    </p>
  );
}

/**
 * Every key of a run with where it is (plug number, USB port) and its state and reason in words;
 * failures first. Read from the station's stored run, so it is the same after a page reload.
 */
export function RunResults({ runId, orderRefusal, onRetry, retryBusy }: Props) {
  const view = useRunView(runId);
  const keys = useAttachedKeys();
  const [page, setPage] = useState(1);
  const run = view.data;
  const rows = useMemo(() => (run ? orderResults(run.tasks) : []), [run]);
  const plan = useMemo(
    () =>
      // In the list's order, so "not retried" reads like the table: failures first, by plug number.
      retryPlan(rows, {
        plugged: new Set((keys.data ?? []).map((k) => k.dongleId)),
        orderRefusal,
        stopReason: run?.stopReason ?? null,
      }),
    [rows, run?.stopReason, keys.data, orderRefusal],
  );

  if (view.isError)
    return (
      <ErrorNotice title="Could not read the run" error={view.error} onRetry={() => void view.refetch()} />
    );
  if (!run) return <p className="muted">Reading the run…</p>;
  const running = run.status === 'running';
  const shown = pageOf(rows, page, PAGE_SIZE);

  return (
    <div className="run-results">
      <p className="run-summary" role="status" aria-label="Run summary">
        {running
          ? `${run.counts.done} of ${plural(run.counts.total, 'key')} settled`
          : summaryLine(run.counts)}
      </p>
      {running && <Pace run={run} />}
      <div className="toolbar">
        <button
          type="button"
          disabled={running || retryBusy || plan.retry.length === 0}
          onClick={() => onRetry(plan.retry)}
        >
          Retry failed keys{plan.retry.length ? ` (${plan.retry.length})` : ''}
        </button>
        {!running && plan.notRetried.length > 0 && (
          <span className="muted">{plural(plan.notRetried.length, 'key')} not retried (see below).</span>
        )}
      </div>
      {!running && plan.notRetried.length > 0 && (
        <details className="not-retried" open={plan.notRetried.length <= 5}>
          <summary>Not retried: {plural(plan.notRetried.length, 'key')}</summary>
          <ul aria-label="Keys not retried">
            {plan.notRetried.slice(0, PAGE_SIZE).map(({ dongleId, why }) => (
              <li key={dongleId}>
                <span className="mono">{dongleId}</span>: {why}
              </li>
            ))}
            {plan.notRetried.length > PAGE_SIZE && <li>…and {plan.notRetried.length - PAGE_SIZE} more.</li>}
          </ul>
        </details>
      )}
      <table className="data-table write-table" aria-label="Write progress">
        <thead>
          <tr>
            <th scope="col">Plug #</th>
            <th scope="col">USB port</th>
            <th scope="col">Key id</th>
            <th scope="col">Model</th>
            <th scope="col">State</th>
            <th scope="col">Reason</th>
          </tr>
        </thead>
        <tbody>
          {shown.rows.map((task) => (
            <ResultRow key={task.dongleId} task={task} />
          ))}
        </tbody>
      </table>
      {shown.pages > 1 && (
        <div className="toolbar" role="group" aria-label="Result pages">
          <button type="button" disabled={shown.page === 1} onClick={() => setPage(shown.page - 1)}>
            Previous page
          </button>
          <span className="mono">
            Keys {(shown.page - 1) * PAGE_SIZE + 1}–{(shown.page - 1) * PAGE_SIZE + shown.rows.length} of{' '}
            {rows.length}
          </span>
          <button type="button" disabled={shown.page === shown.pages} onClick={() => setPage(shown.page + 1)}>
            Next page
          </button>
        </div>
      )}
    </div>
  );
}
