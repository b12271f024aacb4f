import type { TaskState, WriteProgress } from '../../../shared/station/models';
import { stageOfTask } from '../../../shared/station/run-progress';
import type { StoredTask, TaskChange } from './run-store';

/**
 * The progress event announcing a task's move: the change read over what the task held, with its run's
 * counts. `wordsOf` says the move when the change gives no reason of its own.
 */
export function taskProgress(
  task: StoredTask,
  change: TaskChange,
  counts: { done: number; total: number },
  wordsOf: (state: TaskState, actionResult: number | null) => string,
): WriteProgress {
  const actionResult = change.actionResult === undefined ? task.actionResult : change.actionResult;
  return {
    jobId: String(task.runId),
    orderId: task.orderId,
    dongleId: task.dongleId,
    stage: stageOfTask(change.state, actionResult),
    actionResult,
    apiCode: change.apiCode === undefined ? task.apiCode : change.apiCode,
    message: change.reason ?? wordsOf(change.state, actionResult),
    lastBurn: null,
    ...counts,
  };
}
