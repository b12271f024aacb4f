import type { AttachedKey } from '../../../shared/station/models';
import { useUi } from '../state/ui-store';
import { plural } from './format';

/** Which keys a batch takes: the ones ticked on the bench. */
export function SelectedKeysLine({ keys }: { keys: AttachedKey[] }) {
  const go = useUi((s) => s.go);
  if (!keys.length) {
    return (
      <p className="notice">
        No keys selected. Tick the keys on the bench first.{' '}
        <button type="button" onClick={() => go('bench')}>
          Go to the bench
        </button>
      </p>
    );
  }
  return (
    <p className="selected-keys" role="status">
      <strong>{plural(keys.length, 'key')} selected:</strong>{' '}
      <span className="mono">
        {keys
          .slice(0, 12)
          .map((k) => `#${k.plugOrder} ${k.dongleId}`)
          .join(', ')}
        {keys.length > 12 && ` and ${keys.length - 12} more`}
      </span>
    </p>
  );
}
