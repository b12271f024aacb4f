import { useMutation } from '@tanstack/react-query';
import { useMemo } from 'react';
import { ErrorNotice } from '../../components/ErrorNotice';
import { formatTime } from '../../components/format';
import { OrderRef } from '../../components/OrderRef';
import { useShiftLog } from '../../station/queries';
import { useStation } from '../../station/station-context';

function startOfToday(): number {
  const d = new Date();
  d.setHours(0, 0, 0, 0);
  return d.getTime();
}

/** "2026-11-22" for the local day of `ms`, as the shift saw it (not the UTC day). */
function localDay(ms: number): string {
  const d = new Date(ms);
  return [d.getFullYear(), d.getMonth() + 1, d.getDate()].map((n) => String(n).padStart(2, '0')).join('-');
}

/** Hands a text file to the browser's downloads (CSP-safe: a blob: URL on an <a download>). */
function download(text: string, filename: string) {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Today's work at this station, exportable for the shift report. */
export function ShiftLogScreen() {
  const api = useStation();
  const since = useMemo(startOfToday, []);
  const log = useShiftLog(since);
  const exportCsv = useMutation({
    mutationFn: () => api.invoke('shiftlog:csv', { since }),
    onSuccess: (csv) => download(csv, `keybench-shift-${localDay(since)}.csv`),
  });

  return (
    <section className="screen" aria-labelledby="shiftlog-title">
      <div className="screen-head">
        <h1 id="shiftlog-title">Shift log</h1>
        <span className="screen-meta">today, since {formatTime(since)}</span>
      </div>
      <div className="toolbar">
        <button type="button" onClick={() => exportCsv.mutate()} disabled={exportCsv.isPending}>
          Export CSV
        </button>
        <button type="button" onClick={() => void log.refetch()} disabled={log.isFetching}>
          Refresh
        </button>
        {exportCsv.isSuccess && (
          <span role="status" className="muted">
            CSV exported.
          </span>
        )}
      </div>
      {exportCsv.isError && <ErrorNotice title="Could not export the CSV" error={exportCsv.error} />}
      {log.isPending && <p className="muted">Loading the log…</p>}
      {log.isError && (
        <ErrorNotice
          title="Could not load the shift log"
          error={log.error}
          onRetry={() => void log.refetch()}
        />
      )}
      {log.data && log.data.length === 0 && <p className="empty-state">Nothing done yet today.</p>}
      {log.data && log.data.length > 0 && (
        <table className="data-table" aria-label="Shift log">
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Action</th>
              <th scope="col">Order</th>
              <th scope="col">Key id</th>
              <th scope="col">Outcome</th>
              <th scope="col">Detail</th>
            </tr>
          </thead>
          <tbody>
            {log.data.map((entry) => (
              <tr key={entry.id}>
                <td className="mono">{formatTime(entry.at)}</td>
                <td>{entry.action}</td>
                <td>
                  <OrderRef orderId={entry.orderId} />
                </td>
                <td className="mono">{entry.dongleId ?? '—'}</td>
                <td>{entry.outcome}</td>
                <td>{entry.detail}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
