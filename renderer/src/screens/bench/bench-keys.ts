import { dongleModelName, driverTypeName } from '../../../../shared/guardant/codes';
import type { AttachedKey, KeyState } from '../../../../shared/station/models';
import type { BenchColumn, BenchView } from '../../state/ui-store';

export const keyStates: readonly KeyState[] = ['new', 'in-order', 'written', 'failed'];

export const stateNames: Record<KeyState, string> = {
  new: 'New',
  'in-order': 'In an order',
  written: 'Written',
  failed: 'Failed',
};

/** The order a sort by state follows: work still to do first. */
const stateRank: Record<KeyState, number> = { failed: 0, new: 1, 'in-order': 2, written: 3 };

const collator = new Intl.Collator(undefined, { numeric: true });

/** Each column compares what the operator reads in it (model and driver by name, ports naturally). */
const compare: Record<BenchColumn, (a: AttachedKey, b: AttachedKey) => number> = {
  plugOrder: (a, b) => a.plugOrder - b.plugOrder,
  dongleId: (a, b) => a.dongleId - b.dongleId,
  model: (a, b) => collator.compare(dongleModelName[a.model] ?? '', dongleModelName[b.model] ?? ''),
  publicCode: (a, b) => a.publicCode - b.publicCode,
  netResource: (a, b) => a.netResource - b.netResource,
  driverType: (a, b) =>
    collator.compare(driverTypeName[a.driverType] ?? '', driverTypeName[b.driverType] ?? ''),
  state: (a, b) => stateRank[a.state] - stateRank[b.state],
  pluggedAt: (a, b) => a.pluggedAt - b.pluggedAt,
  usbPath: (a, b) => collator.compare(a.usbPath ?? '', b.usbPath ?? ''),
};

/**
 * Keys with nothing to show in the sorted column (no port read yet) sort last either way round: the
 * operator sorting by port looks for ports, and a descending sort must not bring the blanks to the top.
 */
const blank: Partial<Record<BenchColumn, (key: AttachedKey) => boolean>> = {
  usbPath: (key) => key.usbPath === null,
};

/** The keys the table shows: those in the chosen state, sorted, ties kept in plug order. */
export function viewKeys(keys: readonly AttachedKey[], view: BenchView): AttachedKey[] {
  const shown = view.state === null ? [...keys] : keys.filter((k) => k.state === view.state);
  const by = compare[view.sortBy];
  const sign = view.direction === 'asc' ? 1 : -1;
  const isBlank = blank[view.sortBy];
  const blanksLast = (a: AttachedKey, b: AttachedKey) =>
    isBlank ? Number(isBlank(a)) - Number(isBlank(b)) : 0;
  return shown.sort((a, b) => blanksLast(a, b) || sign * by(a, b) || a.plugOrder - b.plugOrder);
}

export function countByState(keys: readonly AttachedKey[]): Record<KeyState, number> {
  const counts: Record<KeyState, number> = { new: 0, 'in-order': 0, written: 0, failed: 0 };
  for (const key of keys) counts[key.state] += 1;
  return counts;
}
