import { openCount } from '../../../shared/station/outbox-statuses';
import { useOutbox } from '../station/queries';
import { useUi } from '../state/ui-store';

/** How much work waits for the server, always in the header; opens the Queue. */
export function QueueDepth() {
  const outbox = useOutbox();
  const go = useUi((s) => s.go);
  const s = outbox.data;
  const waiting = s ? openCount(s) : null;
  const failed = s?.failed ?? 0;
  const text = outbox.isError
    ? 'Queue: unknown'
    : waiting === null
      ? 'Queue: …'
      : `Queue: ${waiting} waiting${failed ? `, ${failed} failed` : ''}`;
  return (
    <button
      type="button"
      className={`badge badge-button ${failed ? 'badge-failed' : waiting ? 'badge-busy' : 'badge-idle'}`}
      onClick={() => go('queue')}
      aria-label={text}
      data-testid="queue-depth"
    >
      {text}
    </button>
  );
}
