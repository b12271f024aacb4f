import { create } from 'zustand';
import { isFinalWriteStage, type WriteProgress } from '../../../shared/station/models';

export interface WriteJob {
  jobId: string;
  orderId: number;
  total: number;
  done: number;
  /** Keys in the order their first event arrived. */
  dongleIds: number[];
  latest: Record<number, WriteProgress>;
}

interface WriteJobsState {
  jobs: Record<string, WriteJob>;
  apply(progress: WriteProgress): void;
}

/**
 * Progress of each run's key writes as main pushes it ('write:progress'). A "job" here is a run: the
 * contract still names the run's id `jobId` (README, Glossary). Events can arrive before the
 * 'licenses:write' answer carrying that id does, so every run is recorded, asked for or not.
 */
export const useWriteJobs = create<WriteJobsState>()((set) => ({
  jobs: {},
  apply: (progress) =>
    set((state) => {
      const job = state.jobs[progress.jobId] ?? {
        jobId: progress.jobId,
        orderId: progress.orderId,
        total: progress.total,
        done: 0,
        dongleIds: [],
        latest: {},
      };
      const known = progress.dongleId in job.latest;
      // A key taken up again (a paused run resumed) leaves its end: the run's count of done keys drops.
      const reopened =
        known &&
        isFinalWriteStage(job.latest[progress.dongleId]!.stage) &&
        !isFinalWriteStage(progress.stage);
      return {
        jobs: {
          ...state.jobs,
          [progress.jobId]: {
            ...job,
            total: progress.total,
            done: reopened ? progress.done : Math.max(job.done, progress.done),
            dongleIds: known ? job.dongleIds : [...job.dongleIds, progress.dongleId],
            latest: { ...job.latest, [progress.dongleId]: progress },
          },
        },
      };
    }),
}));

/** Resolves once every key of the job has reached its end (done, failed or unplugged). */
export function whenJobFinished(jobId: string): Promise<void> {
  const finished = (state: WriteJobsState) => {
    const job = state.jobs[jobId];
    return job !== undefined && job.done >= job.total;
  };
  return new Promise((resolve) => {
    if (finished(useWriteJobs.getState())) return resolve();
    const unsubscribe = useWriteJobs.subscribe((state) => {
      if (!finished(state)) return;
      unsubscribe();
      resolve();
    });
  });
}
