import type { RunSummary, RunTask, TaskState } from '../../../../../shared/station/models';

/** What the operator does with a key: look at it now (failed), later (skipped), wait, or nothing. */
export type ResultGroup = 'failed' | 'skipped' | 'running' | 'written';

/** A task's state in the operator's words. */
export const taskStateWords: Record<TaskState, string> = {
  'waiting-for-server': 'Waiting for the server',
  'waiting-for-key': 'Waiting for the key',
  adding: 'Adding to the order',
  writing: 'Writing',
  verifying: 'Checking what the key holds',
  written: 'Written',
  failed: 'Failed',
  skipped: 'Not attempted',
  cancelled: 'Cancelled',
};

export function groupOf(state: TaskState): ResultGroup {
  switch (state) {
    case 'failed':
      return 'failed';
    case 'skipped':
    case 'cancelled':
      return 'skipped';
    case 'written':
      return 'written';
    default:
      return 'running';
  }
}

const RANK: Record<ResultGroup, number> = { failed: 0, skipped: 1, running: 2, written: 3 };

/**
 * The run's keys as the results list shows them: failures first (they need the operator), then keys
 * not written for a known reason, then keys still under way, then written ones; within a group in plug
 * order (the order the operator finds them on the hub), keys with no plug number last.
 */
export function orderResults<T extends Pick<RunTask, 'state' | 'plugOrder' | 'dongleId'>>(
  tasks: readonly T[],
): T[] {
  return [...tasks].sort(
    (a, b) =>
      RANK[groupOf(a.state)] - RANK[groupOf(b.state)] ||
      (a.plugOrder ?? Number.MAX_SAFE_INTEGER) - (b.plugOrder ?? Number.MAX_SAFE_INTEGER) ||
      a.dongleId - b.dongleId,
  );
}

/** "480 written, 12 failed, 8 not attempted" (and cancelled keys when there are any): the run's end in one line. */
export function summaryLine(counts: RunSummary['counts']): string {
  const parts = [`${counts.written} written`, `${counts.failed} failed`, `${counts.skipped} not attempted`];
  if (counts.cancelled) parts.push(`${counts.cancelled} cancelled`);
  return parts.join(', ');
}

/** One page of rows; pages are 1-based and clamped, so a list that shrank never shows an empty page. */
export function pageOf<T>(
  rows: readonly T[],
  page: number,
  size: number,
): { rows: T[]; page: number; pages: number } {
  const pages = Math.max(1, Math.ceil(rows.length / size));
  const current = Math.min(Math.max(1, page), pages);
  return { rows: rows.slice((current - 1) * size, current * size), page: current, pages };
}
