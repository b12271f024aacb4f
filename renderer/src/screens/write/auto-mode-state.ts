import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { create } from 'zustand';
import type { AutoKeyOutcome } from '../../../../shared/station/auto-mode';
import { useStation } from '../../station/station-context';

export const AUTO_MODE_KEY = ['auto-mode'] as const;

export const FINAL_AUTO_OUTCOMES: ReadonlySet<AutoKeyOutcome> = new Set(['written', 'failed', 'flagged']);

export const autoOutcomeWords: Record<AutoKeyOutcome, string> = {
  checking: 'Checking',
  writing: 'Writing',
  written: 'Written',
  failed: 'Failed',
  flagged: 'Left alone',
};

/** Auto mode's state from main: read once, then replaced by every 'auto:changed' push. */
export function useAutoMode() {
  const api = useStation();
  const queryClient = useQueryClient();
  useEffect(
    () => api.on('auto:changed', (state) => queryClient.setQueryData(AUTO_MODE_KEY, state)),
    [api, queryClient],
  );
  return useQuery({
    queryKey: AUTO_MODE_KEY,
    queryFn: () => api.invoke('auto:state', {}),
    staleTime: Infinity,
  });
}

const MUTE_STORAGE = 'keybench.autoMode.muted';

function readMuted(): boolean {
  try {
    return localStorage.getItem(MUTE_STORAGE) === '1';
  } catch {
    return false;
  }
}

/** The operator's mute for auto mode's tones, remembered on this machine. */
export const useAutoMute = create<{ muted: boolean; setMuted(muted: boolean): void }>((set) => ({
  muted: readMuted(),
  setMuted(muted) {
    set({ muted });
    try {
      localStorage.setItem(MUTE_STORAGE, muted ? '1' : '0');
    } catch {
      // Not remembered across reloads; still muted now.
    }
  },
}));
