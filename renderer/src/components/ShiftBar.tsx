import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { NO_OPERATOR, SHIFT_OPERATOR_MAX, type Shift } from '../../../shared/station/models';
import { queryKeys } from '../station/query-keys';
import { useCurrentShift } from '../station/queries';
import { useStation } from '../station/station-context';
import { ErrorNotice } from './ErrorNotice';
import { formatClock } from './format';

/** A shift someone started with their name (not one the station opened by itself). */
const named = (shift: Shift | null | undefined): boolean => !!shift && shift.operator !== NO_OPERATOR;

/** Tells every view of the station the shift changed (the station's push does the same for other windows). */
function useShiftChanged() {
  const queryClient = useQueryClient();
  return (shift: Shift | null) => {
    queryClient.setQueryData(queryKeys.currentShift, shift);
    void queryClient.invalidateQueries({ queryKey: queryKeys.shifts });
    void queryClient.invalidateQueries({ queryKey: queryKeys.anyShiftLog });
  };
}

/**
 * The header's "Shift of Anna since 08:02 · End shift". Ending asks once more in place, so a stray
 * click or Enter does not end someone's shift.
 */
export function ShiftStatus() {
  const api = useStation();
  const shift = useCurrentShift();
  const changed = useShiftChanged();
  const [confirming, setConfirming] = useState(false);
  const end = useMutation({
    mutationFn: () => api.invoke('shift:end', {}),
    onSuccess: () => {
      setConfirming(false);
      changed(null);
    },
  });
  if (!shift.data || !named(shift.data)) return null;
  const { operator, startedAt } = shift.data;
  return (
    <div className="shift-status" role="group" aria-label="Shift">
      <span>
        Shift of <strong>{operator}</strong> since {formatClock(startedAt)}
      </span>
      {!confirming && (
        <button type="button" className="header-button" onClick={() => setConfirming(true)}>
          End shift
        </button>
      )}
      {confirming && (
        <>
          <span>End {operator}&apos;s shift?</span>
          <button
            type="button"
            className="header-button"
            onClick={() => end.mutate()}
            disabled={end.isPending}
            autoFocus
          >
            Yes, end shift
          </button>
          <button type="button" className="header-button" onClick={() => setConfirming(false)}>
            Keep it open
          </button>
        </>
      )}
      {end.isError && <span role="alert">Could not end the shift. Try again.</span>}
    </div>
  );
}

/**
 * Under the header while no operator has started a shift: asks the name (no password; a station stays
 * simple). It blocks nothing: keys on the bench keep being written, and what settles meanwhile is
 * logged in a shift of "(no operator)", which ends when the name is given.
 */
export function ShiftStartBanner() {
  const api = useStation();
  const shift = useCurrentShift();
  const changed = useShiftChanged();
  const [name, setName] = useState('');
  const inputId = useId();
  const start = useMutation({
    mutationFn: (operator: string) => api.invoke('shift:start', { operator }),
    onSuccess: (started) => {
      setName('');
      changed(started);
    },
  });
  if (shift.isPending || shift.isError || named(shift.data)) return null;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (name.trim()) start.mutate(name.trim());
  };
  return (
    <div className="notice notice-warning banner shift-banner" role="region" aria-label="Start a shift">
      <form className="shift-start" onSubmit={submit}>
        <p className="notice-title">
          {shift.data
            ? `No one has started a shift: work since ${formatClock(shift.data.startedAt)} is logged under ${NO_OPERATOR}.`
            : 'No shift is open. Start yours so the shift log and its CSV carry your name.'}
        </p>
        <div className="field">
          <label htmlFor={inputId}>Your name</label>
          <input
            id={inputId}
            value={name}
            onChange={(e) => setName(e.target.value)}
            maxLength={SHIFT_OPERATOR_MAX}
            autoComplete="off"
            spellCheck={false}
          />
        </div>
        <button type="submit" className="primary" disabled={!name.trim() || start.isPending}>
          Start shift
        </button>
      </form>
      {start.isError && <ErrorNotice title="Could not start the shift" error={start.error} />}
    </div>
  );
}
