import { useMemo } from 'react';
import type { AttachedKey } from '../../../shared/station/models';
import { useAttachedKeys } from '../station/queries';
import { useUi } from './ui-store';

/** The ticked keys that are still plugged, in plug order. */
export function useSelectedKeys(): AttachedKey[] {
  const keys = useAttachedKeys();
  const selectedKeyIds = useUi((s) => s.selectedKeyIds);
  return useMemo(() => {
    const selected = new Set(selectedKeyIds);
    return (keys.data ?? []).filter((k) => selected.has(k.dongleId));
  }, [keys.data, selectedKeyIds]);
}
