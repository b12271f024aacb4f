import { dongleModelName, driverTypeName } from '../../../../shared/guardant/codes';
import type { AttachedKey } from '../../../../shared/station/models';
import { formatHex, formatTime } from '../../components/format';
import { KeyStateBadge } from '../../components/KeyStateBadge';

interface Props {
  keys: AttachedKey[];
  selected: ReadonlySet<number>;
  onToggle(dongleId: number, selected: boolean): void;
}

/** The keys on the bench, in plug order, each with a checkbox. */
export function KeysTable({ keys, selected, onToggle }: Props) {
  return (
    <table className="data-table keys-table" aria-label="Keys on the bench">
      <thead>
        <tr>
          <th scope="col">
            <span className="visually-hidden">Selected</span>
          </th>
          <th scope="col">#</th>
          <th scope="col">Key id</th>
          <th scope="col">Model</th>
          <th scope="col">Public code</th>
          <th scope="col">Net resource</th>
          <th scope="col">Driver</th>
          <th scope="col">State</th>
          <th scope="col">Plugged</th>
          <th scope="col">USB port</th>
        </tr>
      </thead>
      <tbody>
        {keys.map((key) => {
          const isSelected = selected.has(key.dongleId);
          return (
            <tr key={key.dongleId} className={isSelected ? 'row-selected' : undefined}>
              <td>
                <input
                  type="checkbox"
                  aria-label={`Select key ${key.dongleId}`}
                  checked={isSelected}
                  onChange={(e) => onToggle(key.dongleId, e.target.checked)}
                />
              </td>
              <td className="mono plug-order">{key.plugOrder}</td>
              <td>
                <span className="key-id mono">{key.dongleId}</span>
                <span className="key-hex mono">0x{formatHex(key.dongleId)}</span>
              </td>
              <td>{dongleModelName[key.model] ?? `model ${key.model}`}</td>
              <td className="mono">{key.publicCode}</td>
              <td className="mono">{key.netResource}</td>
              <td>{driverTypeName[key.driverType] ?? `type ${key.driverType}`}</td>
              <td>
                <KeyStateBadge keyInfo={key} />
              </td>
              <td className="mono">{formatTime(key.pluggedAt)}</td>
              <td className="mono">{key.usbPath ?? '—'}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
