import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { StationRequestError } from '../../../../shared/ipc/station-api';
import { ErrorDetails, ErrorNotice } from '../../components/ErrorNotice';
import { useStation } from '../../station/station-context';

/**
 * A paused run's one banner (balance used up, subscription over, order revoked or full): why, and a
 * Resume button for once the cause is fixed. The station asks the server first; while the cause still
 * holds its refusal is said in its own words. The run is read again each time all its keys have
 * settled (a pause shows then; a resumed run that ends drops the banner), not at every key's event:
 * a run of 500 keys would read its 500 tasks 500 times.
 */
export function RunPauseBanner({ runId, settled }: { runId: number; settled: boolean }) {
  const api = useStation();
  const queryClient = useQueryClient();
  const key = ['run', runId] as const;
  const run = useQuery({ queryKey: key, queryFn: () => api.invoke('runs:get', { runId }) });
  const { refetch } = run;
  useEffect(() => {
    void refetch();
  }, [settled, refetch]);
  const resume = useMutation({
    mutationFn: () => api.invoke('runs:resume', { runId }),
    onSuccess: (view) => queryClient.setQueryData(key, view),
  });
  const reason = run.data?.stopReason;
  if (!reason) return null;
  const refused = resume.error instanceof StationRequestError && resume.error.code === 'CONFLICT';
  return (
    <div className="notice notice-warning banner" role="alert" aria-label="Run paused">
      <p className="notice-title">Run paused: {reason}</p>
      <p className="notice-advice">
        The keys it did not reach are marked “not attempted”. Once the cause is fixed, resume the run to write
        them.
      </p>
      <button type="button" disabled={resume.isPending} onClick={() => resume.mutate()}>
        {resume.isPending ? 'Resuming…' : 'Resume run'}
      </button>
      {refused && (
        <div role="status">
          <p className="notice-advice">Not resumed: {(resume.error as Error).message}</p>
          <ErrorDetails code="CONFLICT" message={(resume.error as Error).message} />
        </div>
      )}
      {resume.isError && !refused && <ErrorNotice title="Could not resume the run" error={resume.error} />}
    </div>
  );
}
