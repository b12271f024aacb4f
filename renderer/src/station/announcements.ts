import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import {
  isFinalWriteStage,
  type OutboxEntry,
  type OutboxSummary,
  type WriteProgress,
} from '../../../shared/station/models';
import { plural } from '../components/format';
import { announce } from '../state/announcer-store';
import { useUi } from '../state/ui-store';
import { useWriteJobs, type WriteJob } from '../state/write-jobs-store';
import { useStationLink } from './link-state';
import { isSettled } from '../../../shared/station/outbox-statuses';
import { useConnection } from './queries';
import { queryKeys } from './query-keys';
import { useStation } from './station-context';

const finished = (job: WriteJob) =>
  job.done >= job.total && job.dongleIds.every((id) => isFinalWriteStage(job.latest[id]!.stage));

/** "Key 991846791 written", "Key 5 not written: …", "3 keys written, 1 failed". */
export function writeResultText(job: WriteJob): string {
  const results: WriteProgress[] = job.dongleIds.map((id) => job.latest[id]!);
  if (results.length === 1) {
    const [only] = results;
    return only!.stage === 'done'
      ? `Key ${only!.dongleId} written`
      : `Key ${only!.dongleId} not written: ${only!.message}`;
  }
  const failed = results.filter((r) => r.stage !== 'done').length;
  return `${plural(results.length - failed, 'key')} written${failed ? `, ${failed} failed` : ''}`;
}

/** "2 keys added to order 34", "2 keys added to order 34, 1 failed", "Adding 2 keys to order 34 failed…". */
export function addResultText(entry: OutboxEntry, orderNumber: number | null): string {
  const order = orderNumber === null ? 'the order' : `order ${orderNumber}`;
  if (entry.status === 'cancelled')
    return `Adding ${plural(entry.keyCount, 'key')} to ${order} was cancelled`;
  if (entry.status === 'failed') {
    return `Adding ${plural(entry.keyCount, 'key')} to ${order} failed; the Queue screen says why`;
  }
  const failed = entry.failedKeys;
  return `${plural(entry.keyCount - failed, 'key')} added to ${order}${failed ? `, ${failed} failed` : ''}`;
}

/**
 * Announces each write job the Write screen follows when its last key settles; jobs finished before the
 * page opened stay quiet, and so do auto mode's runs (one per key), whose results AutoModeSignals tells.
 */
export function useAnnounceWriteResults(): void {
  useEffect(() => {
    const told = new Set(
      Object.values(useWriteJobs.getState().jobs)
        .filter(finished)
        .map((job) => job.jobId),
    );
    return useWriteJobs.subscribe((state) => {
      for (const job of Object.values(state.jobs)) {
        if (told.has(job.jobId) || !finished(job)) continue;
        if (job.jobId !== useUi.getState().writeJobId) continue;
        told.add(job.jobId);
        announce(writeResultText(job));
      }
    });
  }, []);
}

/**
 * Add-keys batches the Add to order screen queued, until they settle. Only those: a write run adds
 * its keys through the same outbox, and its result is the write's to tell.
 */
const addsToTell = new Set<number>();
let checkAdds: (() => void) | null = null;

/** The Add to order screen hands over the batches it queued; each is announced once it settles. */
export function tellWhenAdded(itemIds: number[]): void {
  for (const id of itemIds) addsToTell.add(id);
  checkAdds?.();
}

/** Announces the batches handed to tellWhenAdded, from the outbox summary main pushes. */
export function useAnnounceAddResults(): void {
  const api = useStation();
  const queryClient = useQueryClient();

  useEffect(() => {
    const check = () => {
      const summary = queryClient.getQueryData<OutboxSummary>(queryKeys.outbox);
      for (const entry of summary?.items ?? []) {
        if (!addsToTell.has(entry.id) || !isSettled(entry.status)) continue;
        addsToTell.delete(entry.id);
        const orderId = entry.orderId;
        // The summary names the order by its id; the operator knows it by its number.
        const number =
          orderId === null
            ? Promise.resolve(null)
            : queryClient
                .fetchQuery({
                  queryKey: queryKeys.order(orderId),
                  queryFn: () => api.invoke('orders:get', { orderId }),
                })
                .then((view) => view.order.number)
                .catch(() => null);
        void number.then((n) => announce(addResultText(entry, n)));
      }
    };
    checkAdds = check;
    const off = queryClient.getQueryCache().subscribe((event) => {
      if (event.query.queryKey[0] === queryKeys.outbox[0]) check();
    });
    return () => {
      off();
      checkAdds = null;
    };
  }, [api, queryClient]);
}

/** Announces the Guardant server and the station itself going away and coming back. */
export function useAnnounceConnection(): void {
  const server = useConnection().data?.state;
  const link = useStationLink().kind;
  const last = useRef<{ server?: string; link: string }>({ server, link });

  useEffect(() => {
    const before = last.current;
    last.current = { server, link };
    if (link !== before.link) {
      if (link === 'reconnecting') announce('Lost the connection to the station; reconnecting by itself.');
      else if (link === 'connected') announce('Connected to the station again.');
      // A changed link is said by the banner's own alert: saying it here too would say it twice.
      return;
    }
    if (link !== 'connected' || server === before.server) return;
    if (server === 'offline') {
      announce('The Guardant server cannot be reached; work is queued and sent when it is back.');
    } else if (server === 'online' && before.server === 'offline') {
      announce('The Guardant server is reachable again.');
    }
  }, [server, link]);
}
