import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Order } from '../../../../shared/guardant/responses';
import type { AutoKey, AutoKeyOutcome, AutoModeState } from '../../../../shared/station/auto-mode';
import { ErrorNotice } from '../../components/ErrorNotice';
import { plural } from '../../components/format';
import { orderRunName } from '../../components/order-text';
import { useStation } from '../../station/station-context';
import {
  AUTO_MODE_KEY,
  autoOutcomeWords,
  FINAL_AUTO_OUTCOMES,
  useAutoMode,
  useAutoMute,
} from './auto-mode-state';
import { unlockAudio } from './auto-mode-tones';
import '../../styles/auto-mode.css';

/** Rows shown on screen; the counts cover the whole session and the shift log keeps every key. */
const ROWS_SHOWN = 100;
const FINAL = FINAL_AUTO_OUTCOMES;
const outcomeWords = autoOutcomeWords;
/** A mark beside the words, so the result does not rest on colour alone. */
const outcomeMark: Record<AutoKeyOutcome, string> = {
  checking: '…',
  writing: '…',
  written: '✓',
  failed: '✗',
  flagged: '!',
};

/**
 * "Write every key I plug": with an order armed, each key plugged from then on is checked for the order
 * and written by itself. The counts, the newest result and every key's row follow main's pushes; the
 * tone and the spoken announcement of each result are AutoModeSignals', on every screen.
 */
/** "plug #7 · port 1-1.3": which key on the hub the row is about. */
function placeText(row: AutoKey): string {
  const plug = row.plugOrder === null ? null : `plug #${row.plugOrder}`;
  const port = row.usbPath === null ? null : `port ${row.usbPath}`;
  return [plug, port].filter(Boolean).join(' · ');
}

export function AutoModePanel({ order, onStarted }: { order: Order | null; onStarted?: () => void }) {
  const api = useStation();
  const queryClient = useQueryClient();
  const auto = useAutoMode();
  const state = auto.data;
  const { muted, setMuted } = useAutoMute();

  const apply = (next: AutoModeState) => queryClient.setQueryData(AUTO_MODE_KEY, next);
  const start = useMutation({
    mutationFn: (orderId: number) => api.invoke('auto:start', { orderId }),
    onSuccess: (next) => {
      apply(next);
      onStarted?.();
    },
  });
  const stop = useMutation({ mutationFn: () => api.invoke('auto:stop', {}), onSuccess: apply });

  const on = state?.on ?? false;
  const canStart = !on && order !== null && !start.isPending;
  const toggle = () => {
    if (on) stop.mutate();
    else if (order) {
      unlockAudio();
      start.mutate(order._id);
    }
  };
  const sessionName =
    state?.orderNumber != null
      ? `order ${state.orderNumber}${state.customer ? ` · ${state.customer}` : ''}`
      : null;
  const latest = state?.keys.find((row) => FINAL.has(row.outcome));
  const counts = state?.counts;

  return (
    <section className="panel auto-mode" aria-labelledby="auto-mode-title" data-on={on}>
      <h2 id="auto-mode-title">Auto mode</h2>
      <div className="auto-controls">
        <label className="auto-switch">
          <input
            type="checkbox"
            role="switch"
            checked={on}
            disabled={on ? stop.isPending : !canStart}
            aria-describedby="auto-mode-what"
            onChange={toggle}
          />
          <span>Write every key I plug</span>
        </label>
        {on && (
          <button type="button" className="auto-stop" onClick={() => stop.mutate()} disabled={stop.isPending}>
            Stop auto mode
          </button>
        )}
        <label className="auto-mute">
          <input type="checkbox" checked={muted} onChange={(e) => setMuted(e.target.checked)} />
          <span>Mute sounds</span>
        </label>
      </div>
      <p id="auto-mode-what" className={on ? 'auto-what auto-what-on' : 'auto-what muted'}>
        {on
          ? `On: every key you plug now is checked and written into ${sessionName}${
              state?.placesLeft != null ? ` (${plural(state.placesLeft, 'place')} left)` : ''
            }. Keys already on the bench are left as they are.`
          : order
            ? `Off. Turn it on to write every key you plug from now on into ${orderRunName(order)}.`
            : 'Off. Arm an order first: type or scan its number and press Enter.'}
      </p>
      {start.isError && <ErrorNotice title="Could not turn on auto mode" error={start.error} />}
      {stop.isError && <ErrorNotice title="Could not stop auto mode" error={stop.error} />}
      {auto.isError && (
        <ErrorNotice
          title="Could not read auto mode"
          error={auto.error}
          onRetry={() => void auto.refetch()}
        />
      )}
      {!on && state?.ended && (
        <p className="notice" role="status">
          {sessionName && `Auto mode for ${sessionName}: `}
          {state.ended}
        </p>
      )}

      {counts && state.keys.length > 0 && (
        <>
          <dl className="auto-counts" aria-label="Auto mode counts">
            <div className="auto-count auto-count-written">
              <dt>Written</dt>
              <dd>{counts.written}</dd>
            </div>
            <div className="auto-count auto-count-failed">
              <dt>Failed</dt>
              <dd>{counts.failed}</dd>
            </div>
            <div className="auto-count auto-count-flagged">
              <dt>Left alone</dt>
              <dd>{counts.flagged}</dd>
            </div>
            <div className="auto-count">
              <dt>In progress</dt>
              <dd>{counts.inProgress}</dd>
            </div>
          </dl>
          {latest && (
            <p className={`auto-latest auto-${latest.outcome}`} data-testid="auto-latest" key={latest.seq}>
              <span className="auto-mark" aria-hidden="true">
                {outcomeMark[latest.outcome]}
              </span>
              <span>
                <strong>
                  Key {latest.dongleId}: {outcomeWords[latest.outcome]}
                </strong>{' '}
                {latest.message}
              </span>
            </p>
          )}
          <ol className="auto-rows" aria-label="Keys plugged in auto mode">
            {state.keys.slice(0, ROWS_SHOWN).map((row) => (
              <li key={row.seq} className={`auto-row auto-${row.outcome}`} data-key-id={row.dongleId}>
                <span className="auto-mark" aria-hidden="true">
                  {outcomeMark[row.outcome]}
                </span>
                <span className="mono">Key {row.dongleId}</span>
                <span className="auto-place">{placeText(row)}</span>
                <span className="auto-outcome">{outcomeWords[row.outcome]}</span>
                <span className="auto-message">{row.message}</span>
              </li>
            ))}
          </ol>
          {state.keys.length > ROWS_SHOWN && (
            <p className="muted">The newest {ROWS_SHOWN} keys are shown; the shift log has every one.</p>
          )}
        </>
      )}
    </section>
  );
}
