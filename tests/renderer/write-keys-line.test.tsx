import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { AUTO_MODE_OFF } from '../../shared/station/auto-mode';
import { WriteKeysLine } from '../../renderer/src/screens/write/WriteKeysLine';
import { aKey } from './support/samples';
import { fakeStation, renderWithStation } from './support/fake-station';

describe('the Write screen’s line about the keys it takes', () => {
  it('asks for ticked keys while auto mode is off', async () => {
    renderWithStation(<WriteKeysLine keys={[]} />, fakeStation({ 'auto:state': () => AUTO_MODE_OFF }));
    expect(await screen.findByText(/No keys selected\. Tick the keys on the bench first\./)).toBeTruthy();
  });

  it('says plugged keys are written without a selection while auto mode is on', async () => {
    const station = fakeStation({ 'auto:state': () => ({ ...AUTO_MODE_OFF, on: true }) });
    renderWithStation(<WriteKeysLine keys={[]} />, station);
    expect(
      await screen.findByText('Auto mode is on: every key you plug is written, no selection needed.'),
    ).toBeTruthy();
    expect(screen.queryByText(/No keys selected/)).toBeNull();
  });

  it('still lists ticked keys while auto mode is on', async () => {
    const station = fakeStation({ 'auto:state': () => ({ ...AUTO_MODE_OFF, on: true }) });
    renderWithStation(<WriteKeysLine keys={[aKey({ dongleId: 77, plugOrder: 3 })]} />, station);
    expect(await screen.findByText('#3 77')).toBeTruthy();
  });
});
