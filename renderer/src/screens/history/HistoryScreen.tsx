import { useMemo, useState } from 'react';
import { ActionResult } from '../../../../shared/guardant/codes';
import { actionResultShortName } from '../../components/KeyStateBadge';
import { KeyQueryStatus } from '../../components/KeyQueryStatus';
import { StaleBadge } from '../../components/StaleBadge';
import { formatHex } from '../../components/format';
import type { HistoryQuery } from '../../station/query-keys';
import { useAttachedKeys, useKeyHistory, useKeyOrders } from '../../station/queries';
import { useUi } from '../../state/ui-store';
import { HistoryTable } from './HistoryTable';
import { KeyOrdersSection } from './KeyOrdersSection';
import { KeyPicker } from './KeyPicker';
import { Field } from '../../components/Field';

const PAGE = 100;
const resultCodes = Object.values(ActionResult);

/** "2025-03-01" → Unix seconds at the start (or end) of that local day. */
function dayToUnix(day: string, endOfDay: boolean): number | undefined {
  if (!day) return undefined;
  const [y, m, d] = day.split('-').map(Number);
  const date = endOfDay ? new Date(y!, m! - 1, d!, 23, 59, 59) : new Date(y!, m! - 1, d!, 0, 0, 0);
  return Math.floor(date.getTime() / 1000);
}

/** A key's licence writes (filtered by date and result) and the orders that hold it. */
export function HistoryScreen() {
  const keys = useAttachedKeys();
  const dongleId = useUi((s) => s.historyKeyId);
  const showHistoryOf = useUi((s) => s.showHistoryOf);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [results, setResults] = useState<number[]>([]);
  const [offset, setOffset] = useState(0);

  const query = useMemo<HistoryQuery | null>(() => {
    if (dongleId === null) return null;
    const q: HistoryQuery = { dongleId, offset, limit: PAGE };
    const fromS = dayToUnix(from, false);
    const toS = dayToUnix(to, true);
    if (fromS !== undefined) q.from = fromS;
    if (toS !== undefined) q.to = toS;
    if (results.length) q.results = results;
    return q;
  }, [dongleId, from, to, results, offset]);

  const history = useKeyHistory(query);
  const orders = useKeyOrders(dongleId);
  const filter =
    <T,>(set: (v: T) => void) =>
    (v: T) => {
      set(v);
      setOffset(0);
    };

  return (
    <section className="screen" aria-labelledby="history-title">
      <div className="screen-head">
        <h1 id="history-title">History</h1>
        {dongleId !== null && (
          <span className="screen-meta">
            Key <span className="key-id mono">{dongleId}</span>{' '}
            <span className="mono muted">0x{formatHex(dongleId)}</span>
          </span>
        )}
      </div>
      <KeyPicker
        keys={keys.data ?? []}
        onPick={(id) => {
          showHistoryOf(id);
          setOffset(0);
        }}
      />
      <form className="filters" aria-label="History filters" onSubmit={(e) => e.preventDefault()}>
        <Field label="From">
          <input type="date" value={from} onChange={(e) => filter(setFrom)(e.target.value)} />
        </Field>
        <Field label="To">
          <input type="date" value={to} onChange={(e) => filter(setTo)(e.target.value)} />
        </Field>
        <fieldset className="checks">
          <legend>Results</legend>
          {resultCodes.map((code) => (
            <label key={code} className="check">
              <input
                type="checkbox"
                checked={results.includes(code)}
                onChange={(e) =>
                  filter(setResults)(
                    e.target.checked ? [...results, code] : results.filter((r) => r !== code),
                  )
                }
              />
              {code} {actionResultShortName[code]}
            </label>
          ))}
        </fieldset>
      </form>

      {dongleId === null ? (
        <p className="empty-state">Pick a key on the bench or type its id.</p>
      ) : (
        <>
          <div className="section-head">
            <h2>Writes</h2>
            <StaleBadge view={history.data} />
          </div>
          <KeyQueryStatus
            query={history}
            loading="Loading the history…"
            unknown="The server has no record of this key: it has never been added to an order."
            failed="Could not load the history"
          />
          {history.data && <HistoryTable dongleId={dongleId} history={history.data.history} />}
          {history.data && (offset > 0 || history.data.history.length === PAGE) && (
            <div className="toolbar" role="group" aria-label="History pages">
              <button
                type="button"
                disabled={offset === 0}
                onClick={() => setOffset(Math.max(0, offset - PAGE))}
              >
                Previous page
              </button>
              <span className="mono">
                {offset + 1}–{offset + history.data.history.length}
              </span>
              <button
                type="button"
                disabled={history.data.history.length < PAGE}
                onClick={() => setOffset(offset + PAGE)}
              >
                Next page
              </button>
            </div>
          )}

          <KeyOrdersSection dongleId={dongleId} orders={orders} heading="h2" />
        </>
      )}
    </section>
  );
}
