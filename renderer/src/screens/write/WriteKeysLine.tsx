import type { AttachedKey } from '../../../../shared/station/models';
import { SelectedKeysLine } from '../../components/SelectedKeysLine';
import { useAutoMode } from './auto-mode-state';

/**
 * Which keys the Write button takes. While auto mode is on, an empty selection is not a mistake (each
 * plugged key gets its own run), so the screen says that instead of "No keys selected".
 */
export function WriteKeysLine({ keys }: { keys: AttachedKey[] }) {
  const autoOn = useAutoMode().data?.on ?? false;
  if (autoOn && !keys.length) {
    return (
      <p className="selected-keys" role="status">
        Auto mode is on: every key you plug is written, no selection needed.
      </p>
    );
  }
  return <SelectedKeysLine keys={keys} />;
}
