import { act, screen } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { AUTO_MODE_OFF, type AutoModeState } from '../../shared/station/auto-mode';
import {
  autoOutcomeWords,
  FINAL_AUTO_OUTCOMES,
  useAutoMode,
} from '../../renderer/src/screens/write/auto-mode-state';
import { fakeStation, renderWithStation } from './support/fake-station';

/** What a panel shows of auto mode: on or off, and the written count. */
function AutoSummary() {
  const { data } = useAutoMode();
  if (!data) return <p>Loading</p>;
  return <p>{`${data.on ? 'On' : 'Off'}: ${data.counts.written} written`}</p>;
}

const withCounts = (on: boolean, written: number): AutoModeState => ({
  ...AUTO_MODE_OFF,
  on,
  counts: { ...AUTO_MODE_OFF.counts, written },
});

describe("auto mode's words for a key", () => {
  it('says a key it did not take "Left alone", and the other outcomes as they are', () => {
    expect(autoOutcomeWords).toEqual({
      checking: 'Checking',
      writing: 'Writing',
      written: 'Written',
      failed: 'Failed',
      flagged: 'Left alone',
    });
  });

  it('counts written, failed and left-alone keys as finished, checking and writing ones as not', () => {
    expect([...FINAL_AUTO_OUTCOMES].sort()).toEqual(['failed', 'flagged', 'written']);
    expect(FINAL_AUTO_OUTCOMES.has('writing')).toBe(false);
  });
});

describe("auto mode's state on screen", () => {
  it('is read from the station once, then follows every push', async () => {
    const station = fakeStation({ 'auto:state': () => withCounts(true, 2) });
    renderWithStation(<AutoSummary />, station);
    expect(await screen.findByText('On: 2 written')).toBeTruthy();
    act(() => station.emit('auto:changed', withCounts(true, 3)));
    expect(await screen.findByText('On: 3 written')).toBeTruthy();
    act(() => station.emit('auto:changed', withCounts(false, 3)));
    expect(await screen.findByText('Off: 3 written')).toBeTruthy();
    expect(station.calls.map((call) => call.channel)).toEqual(['auto:state']);
  });
});

describe("the operator's mute", () => {
  beforeEach(() => {
    localStorage.clear();
    vi.resetModules();
  });

  const freshStore = async () =>
    (await import('../../renderer/src/screens/write/auto-mode-state')).useAutoMute;

  it('is off on a machine that never muted, and remembered across a reload once set', async () => {
    const first = await freshStore();
    expect(first.getState().muted).toBe(false);
    first.getState().setMuted(true);
    expect(first.getState().muted).toBe(true);
    vi.resetModules();
    expect((await freshStore()).getState().muted).toBe(true);
  });

  it('is remembered off again once unmuted', async () => {
    const first = await freshStore();
    first.getState().setMuted(true);
    first.getState().setMuted(false);
    vi.resetModules();
    expect((await freshStore()).getState().muted).toBe(false);
  });
});
