import { useEffect, useRef } from 'react';
import { announce } from '../../state/announcer-store';
import type { AutoKey, AutoKeyOutcome } from '../../../../shared/station/auto-mode';
import { autoOutcomeWords, FINAL_AUTO_OUTCOMES, useAutoMode, useAutoMute } from './auto-mode-state';
import { playTone } from './auto-mode-tones';

/** Arrival numbers start again with each session: with the plug time they name one row for good. */
const rowId = (row: AutoKey) => `${row.seq}@${row.pluggedAt}`;
const sentence = (row: AutoKey) =>
  `Key ${row.dongleId}: ${autoOutcomeWords[row.outcome].toLowerCase()}. ${row.message}`;

/**
 * Each auto-mode key's result once, as it lands, on whatever screen is open (the operator may be looking
 * at the bench): a tone unless muted, and a sentence in the app's one live region (Announcer). Rows already
 * final when the page opened are history, not news: they are neither played nor announced.
 */
export function AutoModeSignals() {
  const { data: state } = useAutoMode();
  const muted = useAutoMute((s) => s.muted);
  const seen = useRef<Map<string, AutoKeyOutcome> | null>(null);
  useEffect(() => {
    if (!state) return;
    if (seen.current === null) {
      const final = state.keys.filter((r) => FINAL_AUTO_OUTCOMES.has(r.outcome));
      seen.current = new Map(final.map((r) => [rowId(r), r.outcome]));
      return;
    }
    const known = seen.current;
    const fresh = state.keys.filter(
      (r) => FINAL_AUTO_OUTCOMES.has(r.outcome) && known.get(rowId(r)) !== r.outcome,
    );
    if (!fresh.length) return;
    for (const row of fresh) known.set(rowId(row), row.outcome);
    // Oldest first, as they happened; one tone for the newest is enough when several land together.
    const ordered = [...fresh].reverse();
    if (!muted) playTone(ordered.at(-1)!.outcome);
    announce(ordered.map(sentence).join(' '));
  }, [state, muted]);
  return null;
}
