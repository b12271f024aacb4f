import type { OutboxEntry } from '../../../../shared/station/models';
import { ErrorNotice } from '../../components/ErrorNotice';
import { formatHex } from '../../components/format';
import { useOutboxItem } from '../../station/outbox-item';

/** A key id as the bench lists it: decimal, as the server names it, with the label's hex. */
export function KeyId({ dongleId }: { dongleId: number }) {
  return (
    <span className="nowrap">
      <span className="mono">{dongleId}</span> <span className="mono muted">0x{formatHex(dongleId)}</span>
    </span>
  );
}

/** The first keys of a row, then how many more; the full list opens below the row. */
export function KeysCell({
  entry,
  open,
  onToggle,
}: {
  entry: OutboxEntry;
  open: boolean;
  onToggle: () => void;
}) {
  const more = entry.keyCount - entry.firstKeys.length;
  return (
    <div className="keys-cell">
      <ul className="key-list" aria-label={`Keys of item ${entry.id}`}>
        {entry.firstKeys.map((id) => (
          <li key={id}>
            <KeyId dongleId={id} />
          </li>
        ))}
      </ul>
      {more > 0 && (
        <button
          type="button"
          className="link-button"
          aria-expanded={open}
          aria-controls={`item-keys-${entry.id}`}
          onClick={onToggle}
        >
          {open ? 'Hide the list' : `+${more} more`}
        </button>
      )}
    </div>
  );
}

/** Every key of one item, read in full ('outbox:item'): an add-keys item holds up to 1,000. */
export function AllKeys({ itemId }: { itemId: number }) {
  const item = useOutboxItem(itemId);
  if (item.isPending) return <p className="muted">Loading the keys…</p>;
  if (item.isError)
    return <ErrorNotice title={`Could not read the keys of item ${itemId}`} error={item.error} />;
  const ids = item.data.dongleIds;
  return (
    <div className="all-keys">
      <p className="muted">
        All {ids.length} keys of item #{itemId}:
      </p>
      <ul className="key-grid" aria-label={`All keys of item ${itemId}`}>
        {ids.map((id) => (
          <li key={id}>
            <KeyId dongleId={id} />
          </li>
        ))}
      </ul>
    </div>
  );
}
