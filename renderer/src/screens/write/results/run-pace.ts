import { isFinalTaskState, type RunTask } from '../../../../../shared/station/models';

/** Below this many keys settled the pace is noise: nothing is shown rather than a wild guess. */
export const PACE_MIN_SETTLED = 5;

export interface RunPace {
  keysPerHour: number;
  /** Time left at this pace (ms); 0 when nothing is left. */
  etaMs: number;
}

/**
 * Keys per hour and the time left, from the keys the bench settled (written or failed) over the time
 * since the run started. Keys the pre-flight skipped at the start are no work of the bench, so they
 * count neither as settled nor as left. Null until PACE_MIN_SETTLED keys settled, and for a run that
 * has not started yet by this clock.
 */
export function runPace(
  run: { createdAt: number; tasks: ReadonlyArray<Pick<RunTask, 'state'>> },
  now: number,
): RunPace | null {
  const elapsed = now - run.createdAt;
  let settled = 0;
  let left = 0;
  for (const { state } of run.tasks) {
    if (state === 'written' || state === 'failed') settled++;
    else if (!isFinalTaskState(state)) left++;
  }
  if (settled < PACE_MIN_SETTLED || elapsed <= 0) return null;
  const perMs = settled / elapsed;
  return { keysPerHour: perMs * 3_600_000, etaMs: left / perMs };
}

/** "about 4 min left", "about 1 h 20 min left", "less than a minute left". */
export function formatEta(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 1) return 'less than a minute left';
  if (minutes < 60) return `about ${minutes} min left`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return `about ${hours} h${rest ? ` ${rest} min` : ''} left`;
}

/** "1,240 keys/hour". */
export function formatRate(keysPerHour: number): string {
  return `${Math.round(keysPerHour).toLocaleString('en')} keys/hour`;
}
