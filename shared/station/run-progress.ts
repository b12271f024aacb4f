import { ActionResult } from '../guardant/codes';
import type { RunTask, RunView, TaskState, WriteProgress, WriteStage } from './models';

/** The Write screen's stage for a run task's state (its progress events predate runs). */
export function stageOfTask(state: TaskState, actionResult: number | null): WriteStage {
  switch (state) {
    case 'waiting-for-server':
      return 'queued';
    case 'waiting-for-key':
      return 'waiting-for-key';
    case 'adding':
      return 'adding';
    case 'writing':
      return 'writing';
    case 'verifying':
      return 'verifying';
    case 'written':
      return 'done';
    case 'failed':
    case 'skipped':
      // ActionResult 202: the key was not there to be written.
      return actionResult === ActionResult.DongleNotFound ? 'unplugged' : 'failed';
    case 'cancelled':
      return 'failed';
  }
}

/** A stored task as the progress event that would have announced it: a reloaded page rebuilds from these. */
export function progressOfTask(run: RunView, task: RunTask): WriteProgress {
  return {
    jobId: String(run.id),
    orderId: run.orderId,
    dongleId: task.dongleId,
    stage: stageOfTask(task.state, task.actionResult),
    actionResult: task.actionResult,
    apiCode: task.apiCode,
    message: task.reason ?? (task.state === 'written' ? 'Written.' : 'In progress.'),
    lastBurn: null,
    done: run.counts.done,
    total: run.counts.total,
  };
}
