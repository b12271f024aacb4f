import type { UseQueryResult } from '@tanstack/react-query';
import { modelText } from '../../../shared/guardant/codes';
import {
  preflightLeftOutWords,
  type AttachedKey,
  type Preflight,
  type PreflightKey,
} from '../../../shared/station/models';
import { ErrorNotice } from './ErrorNotice';
import { plural } from './format';

const count = (n: number) => n.toLocaleString('en');

/** The vendor's balance in a line, or that the server does not report it. */
function balanceLine(preflight: Preflight): string {
  const { balance } = preflight;
  if (!balance) return "The server does not report the vendor's balance.";
  return `Vendor's balance: ${count(balance.activations)} licence write${balance.activations === 1 ? '' : 's'} and ${count(balance.netLicenses)} network licences left.`;
}

function Verdict({ verdict }: { verdict: PreflightKey }) {
  const mark = verdict.decision === 'add' ? '✓ ' : verdict.decision === 'in-order' ? '• ' : '✕ ';
  const tone =
    verdict.decision === 'add' ? 'result-ok' : verdict.decision === 'in-order' ? 'muted' : 'result-failed';
  return (
    <>
      <span className={tone}>
        <span aria-hidden="true">{mark}</span>
        {verdict.message} {verdict.code !== 0 && <code>{verdict.code}</code>}
      </span>
      {verdict.notes.map((note) => (
        <div key={note} className="muted">
          {note}
        </div>
      ))}
    </>
  );
}

/**
 * The pre-flight of a run, before anything is sent: the run's summary (places left, what is taken and
 * what is left out), the vendor's balance, each key's verdict, and the one confirmation that lets keys
 * written for another order be written again.
 */
export function PreflightPanel({
  keys,
  query,
  rewriteConfirmed,
  onRewriteConfirmed,
}: {
  keys: AttachedKey[];
  query: UseQueryResult<Preflight>;
  rewriteConfirmed: boolean;
  onRewriteConfirmed: (confirmed: boolean) => void;
}) {
  const preflight = query.data;
  const byKey = new Map(preflight?.keys.map((v) => [v.dongleId, v]));
  // Keys written elsewhere stay listed while confirmed, so the box does not vanish under the pointer.
  const rewritable = preflight
    ? preflight.keys.filter((v) => v.otherOrders.some((o) => o.written) && v.decision !== 'in-order')
    : [];
  return (
    <section aria-labelledby="preflight-title">
      <h2 id="preflight-title">Pre-flight</h2>
      {query.isPending && <p className="muted">Asking the server about each key and the order…</p>}
      {query.isError && (
        <ErrorNotice
          title="Could not run the pre-flight"
          error={query.error}
          onRetry={() => void query.refetch()}
        />
      )}
      {preflight && (
        <>
          <p
            className={`notice ${preflight.selected.length ? 'notice-ok' : 'notice-error'}`}
            role="status"
            aria-label="Pre-flight summary"
          >
            <strong>{preflight.summary}.</strong> {balanceLine(preflight)}
          </p>
          {preflight.warnings.map((warning) => (
            <p key={warning} className="notice notice-warning" role="alert">
              {warning}
            </p>
          ))}
          {rewritable.length > 0 && (
            <label className="notice notice-warning confirm-rewrite">
              <input
                type="checkbox"
                checked={rewriteConfirmed}
                onChange={(event) => onRewriteConfirmed(event.target.checked)}
              />{' '}
              Re-write {plural(rewritable.length, 'key')} already written for another order: its licence is
              replaced by this order&apos;s.
            </label>
          )}
          <table className="data-table" aria-label="Pre-flight of the selected keys">
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">Key id</th>
                <th scope="col">Model</th>
                <th scope="col">Net resource</th>
                <th scope="col">Verdict</th>
              </tr>
            </thead>
            <tbody>
              {keys.map((key) => {
                const verdict = byKey.get(key.dongleId);
                return (
                  <tr key={key.dongleId}>
                    <td className="mono">{key.plugOrder}</td>
                    <td className="mono key-id-small">{key.dongleId}</td>
                    <td>{modelText(key.model)}</td>
                    <td className="mono">{key.netResource}</td>
                    <td>
                      {verdict ? <Verdict verdict={verdict} /> : <span className="muted">No verdict</span>}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}

/** What a started run left out and why, in one line the operator can keep reading after starting. */
export function leftOutLine(preflight: Preflight): string | null {
  const left = preflight.keys.filter((v) => v.decision === 'left-out');
  if (!left.length) return null;
  return `Left out: ${left.map((v) => `${v.dongleId} (${preflightLeftOutWords[v.leftOut!]})`).join(', ')}.`;
}
