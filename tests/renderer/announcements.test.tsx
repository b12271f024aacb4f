import { waitFor } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import type { OutboxEntry, OutboxSummary, WriteProgress } from '../../shared/station/models';
import {
  addResultText,
  tellWhenAdded,
  useAnnounceAddResults,
  useAnnounceWriteResults,
  writeResultText,
} from '../../renderer/src/station/announcements';
import { queryKeys } from '../../renderer/src/station/query-keys';
import { useAnnouncer } from '../../renderer/src/state/announcer-store';
import { useUi } from '../../renderer/src/state/ui-store';
import { useWriteJobs, type WriteJob } from '../../renderer/src/state/write-jobs-store';
import { fakeStation, renderWithStation } from './support/fake-station';
import { anEntry, anOrder, noCounts } from './support/samples';

/** One key's progress in a job of `total` keys. */
function progress(dongleId: number, patch: Partial<WriteProgress> = {}): WriteProgress {
  return {
    jobId: 'job-1',
    orderId: 1,
    dongleId,
    stage: 'done',
    actionResult: 0,
    apiCode: null,
    message: 'Written',
    lastBurn: null,
    done: 1,
    total: 1,
    ...patch,
  };
}

function aJob(...keys: WriteProgress[]): WriteJob {
  return {
    jobId: 'job-1',
    orderId: 1,
    total: keys.length,
    done: keys.length,
    dongleIds: keys.map((k) => k.dongleId),
    latest: Object.fromEntries(keys.map((k) => [k.dongleId, k])),
  };
}

const spoken = () => useAnnouncer.getState().message;
const initialUi = useUi.getState();

beforeEach(() => {
  useAnnouncer.setState({ message: '' });
  useWriteJobs.setState({ jobs: {} });
  useUi.setState(initialUi, true);
});

describe("what a screen reader hears of a write's result", () => {
  it('names the one key written, or why it was not', () => {
    expect(writeResultText(aJob(progress(991846791)))).toBe('Key 991846791 written');
    expect(
      writeResultText(aJob(progress(5, { stage: 'failed', message: 'The key was pulled out mid-write' }))),
    ).toBe('Key 5 not written: The key was pulled out mid-write');
  });

  it('counts the keys of a larger job, failures apart, unplugged ones among them', () => {
    expect(writeResultText(aJob(progress(1), progress(2), progress(3)))).toBe('3 keys written');
    expect(
      writeResultText(
        aJob(progress(1), progress(2, { stage: 'failed' }), progress(3, { stage: 'unplugged' })),
      ),
    ).toBe('1 key written, 2 failed');
  });

  it('is said once the job the Write screen follows has settled, not for another job or one finished before', () => {
    // The job the Write screen follows finished before the page opened (a reload): it stays quiet.
    useUi.setState({ writeJobId: 'old' });
    useWriteJobs.getState().apply(progress(9, { jobId: 'old', total: 1, done: 1 }));
    function Announcer() {
      useAnnounceWriteResults();
      return null;
    }
    renderWithStation(<Announcer />);
    // A job the Write screen does not follow (auto mode's, one per key) is told elsewhere.
    useWriteJobs.getState().apply(progress(8, { jobId: 'auto-8' }));
    expect(spoken()).toBe('');
    useUi.setState({ writeJobId: 'job-1' });
    useWriteJobs.getState().apply(progress(1, { stage: 'writing', total: 2, done: 0 }));
    useWriteJobs.getState().apply(progress(1, { total: 2, done: 1 }));
    expect(spoken()).toBe('');
    useWriteJobs.getState().apply(progress(2, { total: 2, done: 2 }));
    expect(spoken()).toBe('2 keys written');
  });
});

describe("what a screen reader hears of an add's result", () => {
  const added = (patch: Partial<OutboxEntry>) => anEntry({ kind: 'add-keys', keyCount: 2, ...patch });

  it('counts the keys added to the order by its number, failures apart', () => {
    expect(addResultText(added({ status: 'done' }), 34)).toBe('2 keys added to order 34');
    expect(addResultText(added({ status: 'done', failedKeys: 1 }), 34)).toBe(
      '1 key added to order 34, 1 failed',
    );
    expect(addResultText(added({ status: 'done' }), null)).toBe('2 keys added to the order');
  });

  it('says a failed or cancelled add as such, and where to read why', () => {
    expect(addResultText(added({ status: 'failed' }), 34)).toBe(
      'Adding 2 keys to order 34 failed; the Queue screen says why',
    );
    expect(addResultText(added({ status: 'cancelled', keyCount: 1 }), 34)).toBe(
      'Adding 1 key to order 34 was cancelled',
    );
  });

  it('is said when a batch the Add screen handed over settles, naming the order by its number', async () => {
    const station = fakeStation({
      'orders:get': ({ orderId }) => ({
        order: anOrder({ _id: orderId, number: 34 }),
        stale: false,
        fetchedAt: 0,
      }),
    });
    function Announcer() {
      useAnnounceAddResults();
      return null;
    }
    const { queryClient } = renderWithStation(<Announcer />, station);
    const summary = (entry: OutboxEntry): OutboxSummary => ({ ...noCounts, items: [entry] });
    tellWhenAdded([41]);
    queryClient.setQueryData(queryKeys.outbox, summary(added({ id: 41, orderId: 7, status: 'pending' })));
    // Still on its way: nothing is said, and the order is not even looked up.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(spoken()).toBe('');
    expect(station.calls).toEqual([]);
    queryClient.setQueryData(queryKeys.outbox, summary(added({ id: 41, orderId: 7, status: 'done' })));
    await waitFor(() => expect(spoken()).toBe('2 keys added to order 34'));
    expect(station.calls).toEqual([{ channel: 'orders:get', request: { orderId: 7 } }]);
  });
});
