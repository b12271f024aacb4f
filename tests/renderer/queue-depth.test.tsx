import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { StationRequestError } from '../../shared/ipc/station-api';
import type { OutboxCounts } from '../../shared/station/models';
import { QueueDepth } from '../../renderer/src/components/QueueDepth';
import { useUi } from '../../renderer/src/state/ui-store';
import { fakeStation, renderWithStation } from './support/fake-station';
import { noCounts } from './support/samples';

const initialUi = useUi.getState();

const withCounts = (counts: Partial<OutboxCounts>) =>
  fakeStation({
    'outbox:list': () => ({
      ...noCounts,
      ...counts,
      view: 'work',
      offset: 0,
      total: 0,
      newestId: 0,
      items: [],
    }),
  });

describe('the header’s queue depth', () => {
  beforeEach(() => {
    useUi.setState(initialUi, true);
  });

  it('counts what still waits for the server (pending, sending, being checked) and names failures apart', async () => {
    renderWithStation(
      <QueueDepth />,
      withCounts({ pending: 2, inFlight: 1, needsReconcile: 3, failed: 4, done: 9 }),
    );
    expect(await screen.findByRole('button', { name: 'Queue: 6 waiting, 4 failed' })).toBeTruthy();
  });

  it('leaves failures out when there are none', async () => {
    renderWithStation(<QueueDepth />, withCounts({ pending: 1 }));
    expect(await screen.findByRole('button', { name: 'Queue: 1 waiting' })).toBeTruthy();
  });

  it('says it does not know rather than showing 0 when the station cannot tell', async () => {
    const station = fakeStation({
      'outbox:list': () => {
        throw new StationRequestError({ code: 'INTERNAL', message: 'database is locked' });
      },
    });
    renderWithStation(<QueueDepth />, station);
    expect(await screen.findByRole('button', { name: 'Queue: unknown' })).toBeTruthy();
  });

  it('opens the Queue screen', async () => {
    renderWithStation(<QueueDepth />, withCounts({}));
    await userEvent
      .setup({ delay: null })
      .click(await screen.findByRole('button', { name: 'Queue: 0 waiting' }));
    expect(useUi.getState()).toMatchObject({ screen: 'queue', arrival: 1 });
  });
});
