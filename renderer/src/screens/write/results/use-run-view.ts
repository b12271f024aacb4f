import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useStation } from '../../../station/station-context';

/** While a run moves, its stored view is read again at most this often (a 1000-key view is ~200 kB). */
const REFRESH_MS = 250;

/** A safety net under the events while the run goes. */
const POLL_MS = 3_000;

export const runQueryKey = (runId: number) => ['run', runId] as const;

/**
 * A run as the station stores it ('runs:get'): what survives a page reload. Read again, coalesced,
 * whenever a 'write:progress' event of this run arrives.
 */
export function useRunView(runId: number | null) {
  const api = useStation();
  const queryClient = useQueryClient();
  useEffect(() => {
    if (runId === null) return;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const off = api.on('write:progress', (progress) => {
      if (progress.jobId !== String(runId) || timer) return;
      timer = setTimeout(() => {
        timer = null;
        void queryClient.invalidateQueries({ queryKey: runQueryKey(runId) });
      }, REFRESH_MS);
    });
    return () => {
      off();
      if (timer) clearTimeout(timer);
    };
  }, [api, queryClient, runId]);
  return useQuery({
    queryKey: runQueryKey(runId ?? 0),
    queryFn: () => api.invoke('runs:get', { runId: runId! }),
    enabled: runId !== null,
    // Events that came while the screen was away were not heard: read the run again on coming back,
    // and every few seconds while it runs (a key waiting to be verified moves with no event for a while).
    refetchOnMount: 'always',
    refetchInterval: (query) => (query.state.data?.status === 'running' ? POLL_MS : false),
  });
}
