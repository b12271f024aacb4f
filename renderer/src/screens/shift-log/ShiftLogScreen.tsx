import { useMutation } from '@tanstack/react-query';
import { useId, useState } from 'react';
import type { Shift, ShiftLogEntry } from '../../../../shared/station/models';
import { shiftActionInWords, shiftOutcomeInWords } from '../../../../shared/station/shift-words';
import { ErrorNotice } from '../../components/ErrorNotice';
import { formatDateTime, formatTime } from '../../components/format';
import { OrderRef } from '../../components/OrderRef';
import { useCurrentShift, useShiftLog, useShifts } from '../../station/queries';
import { useStation } from '../../station/station-context';

/** "2026-12-02" for the local day of `ms`, as the shift saw it (not the UTC day). */
function localDay(ms: number): string {
  const d = new Date(ms);
  return [d.getFullYear(), d.getMonth() + 1, d.getDate()].map((n) => String(n).padStart(2, '0')).join('-');
}

/** "keybench-shift-2026-12-02-anna": the day and operator in the file name, safe on every file system. */
function fileBase(shift: Shift): string {
  const who = shift.operator
    .normalize('NFKD')
    // "Müller" becomes "muller": the accents NFKD splits off are dropped, not turned into dashes.
    .replace(/\p{M}+/gu, '')
    .replace(/[^\w-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .toLowerCase();
  return `keybench-shift-${localDay(shift.startedAt)}${who ? `-${who}` : ''}`;
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

const shiftLabel = (shift: Shift, openId: number | undefined) =>
  `${shift.operator} · ${formatDateTime(shift.startedAt)} – ${
    shift.id === openId || shift.endedAt === null ? 'open now' : formatDateTime(shift.endedAt)
  }`;

/** A shift's work at this station, with its two exports: one row per key, and the orders' summary. */
export function ShiftLogScreen() {
  const api = useStation();
  const pickerId = useId();
  const current = useCurrentShift();
  const shifts = useShifts();
  // null: follow the shift open now; a number: a shift the operator picked.
  const [picked, setPicked] = useState<number | null>(null);
  const log = useShiftLog(picked);
  const openId = current.data?.id;
  const shown: Shift | null =
    picked === null ? (current.data ?? null) : (shifts.data?.find((s) => s.id === picked) ?? null);

  const exportKeys = useMutation({
    mutationFn: (shift: Shift) => api.invoke('shiftlog:csv', { shiftId: shift.id }),
    onSuccess: (csv, shift) => download(csv, `${fileBase(shift)}.csv`),
  });
  const exportOrders = useMutation({
    mutationFn: (shift: Shift) => api.invoke('shiftlog:summaryCsv', { shiftId: shift.id }),
    onSuccess: (csv, shift) => download(csv, `${fileBase(shift)}-orders.csv`),
  });
  const exported = exportKeys.isSuccess || exportOrders.isSuccess;
  const keyRows = log.data?.filter((e) => e.keyOutcome).length ?? 0;

  return (
    <section className="screen" aria-labelledby="shiftlog-title">
      <div className="screen-head">
        <h1 id="shiftlog-title">Shift log</h1>
        {shown && (
          <span className="screen-meta">
            {shown.operator}, since {formatDateTime(shown.startedAt)}
            {shown.endedAt !== null && `, ended ${formatDateTime(shown.endedAt)}`}
          </span>
        )}
      </div>
      <div className="toolbar">
        <div className="field">
          <label htmlFor={pickerId}>Shift</label>
          <select
            id={pickerId}
            value={picked === null ? 'current' : String(picked)}
            onChange={(e) => setPicked(e.target.value === 'current' ? null : Number(e.target.value))}
          >
            <option value="current">
              {current.data ? `Current: ${shiftLabel(current.data, openId)}` : 'Current (no shift open)'}
            </option>
            {(shifts.data ?? [])
              .filter((s) => s.id !== openId)
              .map((s) => (
                <option key={s.id} value={s.id}>
                  {shiftLabel(s, openId)}
                </option>
              ))}
          </select>
        </div>
        <button
          type="button"
          onClick={() => shown && exportKeys.mutate(shown)}
          disabled={!shown || exportKeys.isPending}
        >
          Export CSV
        </button>
        <button
          type="button"
          onClick={() => shown && exportOrders.mutate(shown)}
          disabled={!shown || exportOrders.isPending}
        >
          Export order summary
        </button>
        <button type="button" onClick={() => void log.refetch()} disabled={log.isFetching}>
          Refresh
        </button>
        <span role="status" className="muted">
          {exported ? 'CSV exported.' : ''}
        </span>
      </div>
      {exportKeys.isError && <ErrorNotice title="Could not export the CSV" error={exportKeys.error} />}
      {exportOrders.isError && (
        <ErrorNotice title="Could not export the order summary" error={exportOrders.error} />
      )}
      {log.isPending && <p className="muted">Loading the log…</p>}
      {log.isError && (
        <ErrorNotice
          title="Could not load the shift log"
          error={log.error}
          onRetry={() => void log.refetch()}
        />
      )}
      {log.data && log.data.length === 0 && (
        <p className="empty-state">{shown ? 'Nothing done yet in this shift.' : 'No shift is open.'}</p>
      )}
      {log.data && log.data.length > 0 && (
        <>
          <p className="muted">
            {keyRows} key outcome{keyRows === 1 ? '' : 's'} (the CSV&apos;s rows); run events are shown here
            only.
          </p>
          <table className="data-table" aria-label="Shift log">
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Action</th>
                <th scope="col">Order</th>
                <th scope="col">Key id</th>
                <th scope="col">Model</th>
                <th scope="col">USB port</th>
                <th scope="col">Outcome</th>
                <th scope="col">Meaning</th>
              </tr>
            </thead>
            <tbody>
              {log.data.map((entry) => (
                <EntryRow key={entry.id} entry={entry} />
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}

function EntryRow({ entry }: { entry: ShiftLogEntry }) {
  return (
    <tr className={entry.keyOutcome ? undefined : 'muted'}>
      <td className="mono">{formatTime(entry.at)}</td>
      <td>{shiftActionInWords(entry.action)}</td>
      <td>
        <OrderRef orderId={entry.orderId} />
      </td>
      <td className="mono">{entry.dongleId ?? '—'}</td>
      <td>{entry.keyModel || '—'}</td>
      <td className="mono">{entry.usbPort || '—'}</td>
      <td>{shiftOutcomeInWords(entry.outcome)}</td>
      <td>
        {entry.detail}
        {entry.code !== null && entry.code !== 0 && (
          <details>
            <summary>Details</summary>
            <span className="mono">Code {entry.code}</span>
          </details>
        )}
      </td>
    </tr>
  );
}
