import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { OutboxCounts, OutboxEntry, OutboxPage } from '../../shared/station/models';
import { QueueScreen } from '../../renderer/src/screens/queue/QueueScreen';
import { fakeStation, renderWithStation, type Handlers } from './support/fake-station';
import { anEntry, noCounts } from './support/samples';

/** A station whose outbox holds these items: `work` on the Pending work view, `history` on History. */
function queueStation(
  items: OutboxEntry[],
  counts: Partial<OutboxCounts>,
  extra: Handlers = {},
  history: OutboxEntry[] = [],
) {
  const all = [...items, ...history];
  const page = (view: OutboxPage['view']): OutboxPage => ({
    ...noCounts,
    ...counts,
    view,
    offset: 0,
    total: view === 'work' ? items.length : history.length,
    newestId: Math.max(0, ...all.map((i) => i.id)),
    items: view === 'work' ? items : history,
  });
  return fakeStation({ 'outbox:list': ({ view }) => page(view ?? 'work'), ...extra });
}

const rowOf = (id: number) => {
  const row = document.querySelector<HTMLElement>(`tr[data-item-id="${id}"]`);
  if (!row) throw new Error(`no row for item ${id}`);
  return within(row);
};

describe('the Queue screen', () => {
  it('offers Retry only on failed items and items already tried, Cancel only on unsettled ones', async () => {
    const items = [
      anEntry({ id: 1, status: 'failed', lastError: 'Server unreachable: ECONNREFUSED' }),
      anEntry({ id: 2, status: 'pending', attempts: 0 }),
      anEntry({ id: 3, status: 'pending', attempts: 2 }),
      anEntry({ id: 4, status: 'in-flight' }),
      anEntry({ id: 5, status: 'needs-reconcile', attempts: 1 }),
    ];
    renderWithStation(
      <QueueScreen />,
      queueStation(items, { failed: 1, pending: 2, inFlight: 1, needsReconcile: 1 }),
    );
    await screen.findByRole('table', { name: 'Pending work' });
    const actions = (id: number) =>
      rowOf(id)
        .queryAllByRole('button')
        .map((b) => b.textContent)
        .filter((t) => t === 'Retry' || t === 'Cancel');
    expect(actions(1)).toEqual(['Retry', 'Cancel']);
    expect(actions(2)).toEqual(['Cancel']);
    expect(actions(3)).toEqual(['Retry', 'Cancel']);
    expect(actions(4)).toEqual([]);
    expect(actions(5)).toEqual(['Retry', 'Cancel']);
  });

  it('tells a failed item’s stored error as a sentence, the raw text kept for support', async () => {
    renderWithStation(
      <QueueScreen />,
      queueStation(
        [anEntry({ id: 9, status: 'failed', lastError: 'Server unreachable: connect ECONNREFUSED' })],
        {
          failed: 1,
        },
      ),
    );
    await screen.findByRole('table', { name: 'Pending work' });
    const row = rowOf(9);
    expect(row.getByText('The Guardant server could not be reached.')).toBeTruthy();
    expect(row.getByText('Details for support')).toBeTruthy();
    expect(row.getByText('Failed')).toBeTruthy();
  });

  it('enables "Retry all failed" only when something failed, and retries up to the newest item', async () => {
    const station = queueStation(
      [anEntry({ id: 4, status: 'failed' }), anEntry({ id: 6, status: 'pending' })],
      {
        failed: 1,
        pending: 1,
      },
      { 'outbox:retryAll': () => ({ count: 1 }) },
    );
    renderWithStation(<QueueScreen />, station);
    const retryAll = await screen.findByRole('button', { name: 'Retry all failed (1)' });
    expect(retryAll).toHaveProperty('disabled', false);
    const user = userEvent.setup({ delay: null });
    await user.click(retryAll);
    expect(screen.getByRole('alertdialog').textContent).toContain('Retry all 1 failed item?');
    await user.click(screen.getByRole('button', { name: 'Retry 1 item' }));
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('1 failed item queued again.'));
    expect(station.calls).toContainEqual({ channel: 'outbox:retryAll', request: { upToId: 6 } });
  });

  it('leaves both bulk buttons disabled on a queue with nothing failed or pending', async () => {
    renderWithStation(
      <QueueScreen />,
      queueStation([anEntry({ id: 2, status: 'in-flight' })], { inFlight: 1 }),
    );
    expect(await screen.findByRole('button', { name: 'Retry all failed (0)' })).toHaveProperty(
      'disabled',
      true,
    );
    expect(screen.getByRole('button', { name: 'Cancel all pending (0)' })).toHaveProperty('disabled', true);
  });

  it('asks before cancelling all pending, and "Keep them" sends nothing', async () => {
    const station = queueStation([anEntry({ id: 3, status: 'pending' })], { pending: 1 });
    renderWithStation(<QueueScreen />, station);
    const user = userEvent.setup({ delay: null });
    await user.click(await screen.findByRole('button', { name: 'Cancel all pending (1)' }));
    await user.click(screen.getByRole('button', { name: 'Keep them' }));
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(station.calls.map((c) => c.channel)).not.toContain('outbox:cancelAll');
  });

  it('reads a write a later item wrote as a success, not as a cancellation', async () => {
    const history = [
      anEntry({ id: 1, status: 'cancelled', supersededBy: 2, failedKeys: 1 }),
      anEntry({ id: 2, status: 'done', retries: 1 }),
    ];
    renderWithStation(<QueueScreen />, queueStation([], { done: 1, cancelled: 1 }, {}, history));
    const user = userEvent.setup({ delay: null });
    await user.click(await screen.findByRole('tab', { name: /History/ }));
    await screen.findByRole('table', { name: 'History' });
    expect(rowOf(1).getByText('Written after retry')).toBeTruthy();
    expect(rowOf(1).getByText('First try failed; item #2 wrote the licence.')).toBeTruthy();
    expect(rowOf(1).queryByText(/not accepted/)).toBeNull();
    expect(rowOf(2).getByText('Written after retry')).toBeTruthy();
  });
});
