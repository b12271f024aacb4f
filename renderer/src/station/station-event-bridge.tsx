import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import {
  isFinalWriteStage,
  type Connection,
  type OutboxItem,
  type OutboxSummary,
} from '../../../shared/station/models';
import { progressOfTask } from '../../../shared/station/run-progress';
import { useUi } from '../state/ui-store';
import { useWriteJobs } from '../state/write-jobs-store';
import { isSettled } from '../../../shared/station/outbox-statuses';
import { queryKeys } from './query-keys';
import { useStation } from './station-context';

/** A view of cached server data: `{stale, fetchedAt, …}`. */
function isStaleView(data: unknown): boolean {
  return typeof data === 'object' && data !== null && (data as { stale?: unknown }).stale === true;
}

/**
 * The summary lists entries without per-key results: an item someone follows is refetched in full
 * when its entry moved, or when it dropped off the bounded list before it settled.
 */
function refreshFollowedItems(queryClient: QueryClient, summary: OutboxSummary) {
  const entries = new Map(summary.items.map((entry) => [entry.id, entry]));
  for (const query of queryClient.getQueryCache().findAll({ queryKey: ['outbox-item'] })) {
    const item = query.state.data as OutboxItem | undefined;
    if (!item) continue;
    const entry = entries.get(item.id);
    const moved = entry
      ? entry.status !== item.status || entry.updatedAt !== item.updatedAt
      : !isSettled(item.status);
    if (moved) void queryClient.invalidateQueries({ queryKey: queryKeys.outboxItem(item.id) });
  }
}

/** A view of server data answered by the server itself (`stale: false`). */
function isFreshView(data: unknown): boolean {
  return typeof data === 'object' && data !== null && (data as { stale?: unknown }).stale === false;
}

/**
 * Gone offline: what is on screen was the server's answer and would go on looking live. Read again,
 * it comes from the station's cache, marked cached with its real age.
 */
function refreshFreshViews(queryClient: QueryClient) {
  void queryClient.invalidateQueries({ predicate: (query) => isFreshView(query.state.data) });
}

function refreshStaleViews(queryClient: QueryClient) {
  void queryClient.invalidateQueries({ predicate: (query) => isStaleView(query.state.data) });
}

/**
 * After a page reload the write progress store is empty while a run may still be going: the latest
 * run (a running one first) is read back from main (runs are stored there) and the Write screen
 * follows it again, so its results stay in front of the operator also once it has finished.
 */
async function restoreRunningRun(api: ReturnType<typeof useStation>): Promise<void> {
  try {
    const [running] = await api.invoke('runs:list', { limit: 1 });
    if (!running) return;
    const run = await api.invoke('runs:get', { runId: running.id });
    const jobs = useWriteJobs.getState();
    for (const task of run.tasks) jobs.apply(progressOfTask(run, task));
    if (useUi.getState().writeJobId === null) useUi.getState().followWriteJob(String(run.id));
  } catch {
    // Nothing to restore is the same as no run: live events still arrive.
  }
}

/**
 * Keeps React Query's cache in step with what main pushes: lists are replaced in place, cached
 * server data is invalidated (only what is on screen refetches), write progress goes to its store.
 */
export function StationEventBridge() {
  const api = useStation();
  const queryClient = useQueryClient();

  useEffect(() => {
    // Outbox items seen settled, by id → updatedAt: a newly settled one changed its order on the server.
    const settledSeen = new Map<number, number>();
    const offs = [
      api.on('keys:changed', (keys) => {
        queryClient.setQueryData(queryKeys.keys, keys);
        // The simulator's keys that are out change exactly when the bench's keys do.
        void queryClient.invalidateQueries({ queryKey: queryKeys.unpluggedKeys });
      }),
      api.on('usb:changed', (status) => queryClient.setQueryData(queryKeys.usbStatus, status)),
      api.on('shift:changed', (shift) => {
        queryClient.setQueryData(queryKeys.currentShift, shift);
        void queryClient.invalidateQueries({ queryKey: queryKeys.shifts });
        void queryClient.invalidateQueries({ queryKey: queryKeys.anyShiftLog });
      }),
      api.on('outbox:changed', (summary) => {
        queryClient.setQueryData(queryKeys.outbox, summary);
        void queryClient.invalidateQueries({ queryKey: queryKeys.anyOutboxPage });
        refreshFollowedItems(queryClient, summary);
        for (const entry of summary.items) {
          if (!isSettled(entry.status) || entry.orderId === null) continue;
          if (settledSeen.get(entry.id) === entry.updatedAt) continue;
          settledSeen.set(entry.id, entry.updatedAt);
          void queryClient.invalidateQueries({ queryKey: queryKeys.order(entry.orderId) });
        }
        // Settled items change key histories and the shift log.
        void queryClient.invalidateQueries({ queryKey: queryKeys.anyHistory });
        void queryClient.invalidateQueries({ queryKey: queryKeys.anyShiftLog });
      }),
      api.on('write:progress', (progress) => {
        useWriteJobs.getState().apply(progress);
        if (isFinalWriteStage(progress.stage)) {
          void queryClient.invalidateQueries({ queryKey: queryKeys.order(progress.orderId) });
        }
      }),
      api.on('connection:changed', (connection) => {
        const before = queryClient.getQueryData<Connection>(queryKeys.connection);
        queryClient.setQueryData(queryKeys.connection, connection);
        if (connection.state === 'online' && before?.state !== 'online') refreshStaleViews(queryClient);
        if (connection.state === 'offline' && before?.state === 'online') refreshFreshViews(queryClient);
      }),
      api.on('cache:updated', ({ scope, orderId }) => {
        if (scope === 'products') void queryClient.invalidateQueries({ queryKey: queryKeys.products });
        else if (scope === 'orders') {
          void queryClient.invalidateQueries({ queryKey: queryKeys.orders });
          void queryClient.invalidateQueries({ queryKey: queryKeys.anyOrder });
        } else if (orderId !== undefined)
          void queryClient.invalidateQueries({ queryKey: queryKeys.order(orderId) });
        else void queryClient.invalidateQueries({ queryKey: queryKeys.anyOrder });
      }),
      api.on('bench:ready', () => {
        void queryClient.invalidateQueries({ queryKey: queryKeys.info });
        void queryClient.invalidateQueries({ queryKey: queryKeys.keys });
      }),
    ];
    void restoreRunningRun(api);
    return () => {
      for (const off of offs) off();
    };
  }, [api, queryClient]);

  return null;
}
