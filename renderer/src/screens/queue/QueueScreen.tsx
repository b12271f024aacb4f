import { useRef, useState, type KeyboardEvent } from 'react';
import type { OutboxCounts, OutboxView } from '../../../../shared/station/models';
import { countIn, OUTBOX_VIEW_STATUSES } from '../../../../shared/station/outbox-statuses';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useNow } from '../../components/use-now';
import { OUTBOX_PAGE_SIZE, useOutboxPage } from '../../station/queries';
import { BulkActions } from './BulkActions';
import { QueueTable } from './QueueTable';

function Counts({ counts }: { counts: OutboxCounts }) {
  const shown = [
    ['Pending', counts.pending, 'pending'],
    ['In flight', counts.inFlight, 'in-flight'],
    ['Failed', counts.failed, 'failed'],
    ['Checking with the server', counts.needsReconcile, 'needs-reconcile'],
  ] as const;
  return (
    <dl className="counts" aria-label="Queue depth">
      {shown.map(([label, n, status]) => (
        <div key={status} className={`count count-${status}${n ? ' count-nonzero' : ''}`}>
          <dt>{label}</dt>
          <dd className="mono">{n}</dd>
        </div>
      ))}
    </dl>
  );
}

const VIEWS: readonly OutboxView[] = ['work', 'history'];
const viewTitle: Record<OutboxView, string> = { work: 'Pending work', history: 'History' };
const emptyText: Record<OutboxView, string> = {
  work: 'Nothing waiting: everything has reached the server.',
  history: 'No finished work yet.',
};
const viewTotal = (counts: OutboxCounts, view: OutboxView) => countIn(counts, OUTBOX_VIEW_STATUSES[view]);

function Pager({
  offset,
  shown,
  total,
  onPage,
}: {
  offset: number;
  shown: number;
  total: number;
  onPage: (offset: number) => void;
}) {
  if (total <= OUTBOX_PAGE_SIZE && offset === 0) {
    return <p className="muted">All {total} items shown.</p>;
  }
  return (
    <nav className="pager" aria-label="Pages">
      <button
        type="button"
        disabled={offset === 0}
        onClick={() => onPage(Math.max(0, offset - OUTBOX_PAGE_SIZE))}
      >
        Previous
      </button>
      <span className="mono">
        Items {shown ? offset + 1 : 0}–{offset + shown} of {total}
      </span>
      <button
        type="button"
        disabled={offset + OUTBOX_PAGE_SIZE >= total}
        onClick={() => onPage(offset + OUTBOX_PAGE_SIZE)}
      >
        Next
      </button>
    </nav>
  );
}

/**
 * The outbox: the work the station still owes the server (and what failed, and why) apart from the
 * history of work done or cancelled. Both are paged with their totals: nothing is left out unsaid.
 */
export function QueueScreen() {
  const [view, setView] = useState<OutboxView>('work');
  const [offsets, setOffsets] = useState<Record<OutboxView, number>>({ work: 0, history: 0 });
  const page = useOutboxPage(view, offsets[view]);
  const now = useNow(5_000);
  const tabs = useRef<Record<OutboxView, HTMLButtonElement | null>>({ work: null, history: null });
  const data = page.data;
  // A page emptied by work moving on (sent, cancelled) falls back to the last page that has items.
  if (
    data &&
    data.items.length === 0 &&
    data.offset > 0 &&
    data.offset >= data.total &&
    !page.isPlaceholderData
  ) {
    const last = Math.max(0, Math.floor((data.total - 1) / OUTBOX_PAGE_SIZE) * OUTBOX_PAGE_SIZE);
    if (last !== offsets[view]) setOffsets({ ...offsets, [view]: last });
  }

  const onTabKey = (event: KeyboardEvent) => {
    if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight') return;
    const next = VIEWS[(VIEWS.indexOf(view) + 1) % VIEWS.length]!;
    setView(next);
    tabs.current[next]?.focus();
  };

  return (
    <section className="screen" aria-labelledby="queue-title">
      <div className="screen-head">
        <h1 id="queue-title">Queue</h1>
      </div>
      {page.isError && (
        <ErrorNotice
          title="Could not read the queue"
          error={page.error}
          onRetry={() => void page.refetch()}
        />
      )}
      {data && (
        <>
          <Counts counts={data} />
          <div role="tablist" aria-label="Queue views" className="queue-tabs" onKeyDown={onTabKey}>
            {VIEWS.map((v) => (
              <button
                key={v}
                type="button"
                role="tab"
                id={`queue-tab-${v}`}
                aria-selected={view === v}
                aria-controls="queue-panel"
                tabIndex={view === v ? 0 : -1}
                ref={(el) => void (tabs.current[v] = el)}
                onClick={() => setView(v)}
              >
                {viewTitle[v]} <span className="mono">({viewTotal(data, v)})</span>
              </button>
            ))}
          </div>
          <div role="tabpanel" id="queue-panel" aria-labelledby={`queue-tab-${view}`}>
            {view === 'work' && <BulkActions counts={data} newestId={data.newestId} />}
            {data.view === view &&
              (data.items.length === 0 && data.total === 0 ? (
                <p className="empty-state">{emptyText[view]}</p>
              ) : (
                <>
                  <QueueTable view={view} items={data.items} now={now} />
                  <Pager
                    offset={data.offset}
                    shown={data.items.length}
                    total={data.total}
                    onPage={(offset) => setOffsets({ ...offsets, [view]: offset })}
                  />
                </>
              ))}
          </div>
        </>
      )}
    </section>
  );
}
