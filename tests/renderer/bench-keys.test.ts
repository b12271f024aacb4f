import { describe, expect, it } from 'vitest';
import type { AttachedKey } from '../../shared/station/models';
import { countByState, viewKeys } from '../../renderer/src/screens/bench/bench-keys';
import type { BenchView } from '../../renderer/src/state/ui-store';
import { aKey } from './support/samples';

const ids = (keys: AttachedKey[]) => keys.map((k) => k.dongleId);
const view = (patch: Partial<BenchView>): BenchView => ({
  state: null,
  sortBy: 'plugOrder',
  direction: 'asc',
  ...patch,
});

describe('the Bench table’s keys', () => {
  const keys = [
    aKey({ dongleId: 1, plugOrder: 1, usbPath: '1-10', state: 'written' }),
    aKey({ dongleId: 2, plugOrder: 2, usbPath: null, state: 'new' }),
    aKey({ dongleId: 3, plugOrder: 3, usbPath: '1-2', state: 'failed' }),
    aKey({ dongleId: 4, plugOrder: 4, usbPath: '1-2.3', state: 'new' }),
  ];

  it('sort by port naturally (1-2 before 1-10), keys without a port last', () => {
    expect(ids(viewKeys(keys, view({ sortBy: 'usbPath' })))).toEqual([3, 4, 1, 2]);
  });

  it('sort keys without a port last also when descending', () => {
    expect(ids(viewKeys(keys, view({ sortBy: 'usbPath', direction: 'desc' })))).toEqual([1, 4, 3, 2]);
  });

  it('sort by state with the work still to do first, ties in plug order', () => {
    expect(ids(viewKeys(keys, view({ sortBy: 'state' })))).toEqual([3, 2, 4, 1]);
  });

  it('show only the keys in the chosen state, and leave the list they came from as it was', () => {
    const given = [...keys];
    expect(ids(viewKeys(keys, view({ state: 'new', direction: 'desc' })))).toEqual([4, 2]);
    expect(keys).toEqual(given);
  });

  it('are counted per state, every state present', () => {
    expect(countByState(keys)).toEqual({ new: 2, 'in-order': 0, written: 1, failed: 1 });
    expect(countByState([])).toEqual({ new: 0, 'in-order': 0, written: 0, failed: 0 });
  });
});
