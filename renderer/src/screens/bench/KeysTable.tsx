import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useCallback, useRef, useState, type KeyboardEvent, type MouseEvent } from 'react';
import { driverTypeText, modelText } from '../../../../shared/guardant/codes';
import type { AttachedKey } from '../../../../shared/station/models';
import { formatHex, formatTime } from '../../components/format';
import { KeyStateBadge } from '../../components/KeyStateBadge';
import type { BenchColumn, BenchView } from '../../state/ui-store';

const ROW_HEIGHT = 44;
const rowId = (index: number) => `bench-row-${index}`;

const columns: { id: BenchColumn; label: string }[] = [
  { id: 'plugOrder', label: '#' },
  { id: 'dongleId', label: 'Key id' },
  { id: 'model', label: 'Model' },
  { id: 'publicCode', label: 'Public code' },
  { id: 'netResource', label: 'Net resource' },
  { id: 'driverType', label: 'Driver' },
  { id: 'state', label: 'State' },
  { id: 'pluggedAt', label: 'Plugged' },
  { id: 'usbPath', label: 'USB port' },
];

interface Props {
  /** The keys to show, already filtered and sorted. */
  keys: AttachedKey[];
  selected: ReadonlySet<number>;
  view: BenchView;
  onSort(column: BenchColumn): void;
  /** A tick by hand; `range` when Shift was held (extend from the last key ticked). */
  onToggle(key: AttachedKey, selected: boolean, range: boolean): void;
  onOpen(key: AttachedKey): void;
}

interface RowProps {
  keyInfo: AttachedKey;
  index: number;
  isSelected: boolean;
  isActive: boolean;
  onToggle: Props['onToggle'];
  onRowClick(key: AttachedKey, index: number, event: MouseEvent): void;
}

/** One key; memoised so a tick re-renders only its own row. */
const KeyRow = memo(function KeyRow({
  keyInfo: key,
  index,
  isSelected,
  isActive,
  onToggle,
  onRowClick,
}: RowProps) {
  return (
    <tr
      id={rowId(index)}
      aria-rowindex={index + 2}
      aria-selected={isSelected}
      data-key-id={key.dongleId}
      className={`key-row${isSelected ? ' row-selected' : ''}${isActive ? ' row-active' : ''}`}
      onClick={(e) => onRowClick(key, index, e)}
    >
      <td onClick={(e) => e.stopPropagation()}>
        <input
          type="checkbox"
          tabIndex={-1}
          aria-label={`Select key ${key.dongleId}`}
          checked={isSelected}
          onChange={(e) => {
            const native = e.nativeEvent as Partial<globalThis.MouseEvent>;
            onToggle(key, e.target.checked, native.shiftKey === true);
          }}
        />
      </td>
      <td className="mono plug-order">{key.plugOrder}</td>
      <td className="nowrap">
        <span className="key-id mono">{key.dongleId}</span>
        <span className="key-hex mono">0x{formatHex(key.dongleId)}</span>
      </td>
      <td className="nowrap">{modelText(key.model)}</td>
      <td className="mono">{key.publicCode}</td>
      <td className="mono">{key.netResource}</td>
      <td className="nowrap">{driverTypeText(key.driverType)}</td>
      <td className="keys-table-state">
        <KeyStateBadge keyInfo={key} />
      </td>
      <td className="mono">{formatTime(key.pluggedAt)}</td>
      <td className="mono">{key.usbPath ?? '—'}</td>
    </tr>
  );
});

/**
 * The keys on the bench, virtualised: only the rows in view (and a few either side) are in the page,
 * so a bench of 1,000 keys costs what a bench of 30 does. One tab stop (a grid): arrows move, Space
 * ticks, Shift+Space ticks a range, Enter opens the key; a click on a row opens it too.
 */
export function KeysTable({ keys, selected, view, onSort, onToggle, onOpen }: Props) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const [active, setActive] = useState(0);
  const activeIndex = Math.min(active, Math.max(0, keys.length - 1));

  const virtualizer = useVirtualizer({
    count: keys.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 6,
    // The first render already fills the box (measured right after), instead of a second pass.
    initialRect: { width: 1200, height: 640 },
  });
  const items = virtualizer.getVirtualItems();
  const padTop = items[0]?.start ?? 0;
  const padBottom = items.length ? virtualizer.getTotalSize() - items[items.length - 1]!.end : 0;

  const moveTo = (index: number) => {
    const next = Math.max(0, Math.min(keys.length - 1, index));
    setActive(next);
    virtualizer.scrollToIndex(next, { align: 'auto' });
  };
  const onRowClick = useCallback(
    (key: AttachedKey, index: number, event: MouseEvent) => {
      setActive(index);
      if (event.shiftKey) onToggle(key, true, true);
      else onOpen(key);
    },
    [onToggle, onOpen],
  );
  const onKeyDown = (event: KeyboardEvent<HTMLTableElement>) => {
    const pageRows = Math.max(
      1,
      Math.floor((scrollRef.current?.clientHeight ?? ROW_HEIGHT * 10) / ROW_HEIGHT) - 1,
    );
    const key = keys[activeIndex];
    const moves: Record<string, () => void> = {
      ArrowDown: () => moveTo(activeIndex + 1),
      ArrowUp: () => moveTo(activeIndex - 1),
      PageDown: () => moveTo(activeIndex + pageRows),
      PageUp: () => moveTo(activeIndex - pageRows),
      Home: () => moveTo(0),
      End: () => moveTo(keys.length - 1),
      ' ': () => key && onToggle(key, !selected.has(key.dongleId), event.shiftKey),
      Enter: () => key && onOpen(key),
    };
    const move = moves[event.key];
    if (!move || event.target !== event.currentTarget) return;
    event.preventDefault();
    move();
  };

  return (
    <div ref={scrollRef} className="keys-scroll">
      <table
        className="data-table keys-table"
        role="grid"
        aria-label="Keys on the bench"
        aria-rowcount={keys.length + 1}
        aria-multiselectable="true"
        tabIndex={0}
        aria-activedescendant={keys.length ? rowId(activeIndex) : undefined}
        onKeyDown={onKeyDown}
      >
        <colgroup>
          <col style={{ width: '2.6rem' }} />
          <col style={{ width: '3.6rem' }} />
          <col style={{ width: '12rem' }} />
          <col style={{ width: '9rem' }} />
          <col style={{ width: '8.5rem' }} />
          <col style={{ width: '7rem' }} />
          <col style={{ width: '7rem' }} />
          <col />
          <col style={{ width: '8rem' }} />
          <col style={{ width: '7rem' }} />
        </colgroup>
        <thead>
          <tr aria-rowindex={1}>
            <th scope="col">
              <span className="visually-hidden">Selected</span>
            </th>
            {columns.map((column) => {
              const sorted = view.sortBy === column.id;
              return (
                <th
                  key={column.id}
                  scope="col"
                  aria-sort={sorted ? (view.direction === 'asc' ? 'ascending' : 'descending') : undefined}
                >
                  <button type="button" className="sort-button" onClick={() => onSort(column.id)}>
                    {column.label}
                    <span aria-hidden="true" className="sort-mark">
                      {sorted ? (view.direction === 'asc' ? ' ▲' : ' ▼') : ''}
                    </span>
                  </button>
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {padTop > 0 && (
            <tr aria-hidden="true" className="spacer-row">
              <td colSpan={10} style={{ height: padTop }} />
            </tr>
          )}
          {items.map((item) => {
            const key = keys[item.index]!;
            return (
              <KeyRow
                key={key.dongleId}
                keyInfo={key}
                index={item.index}
                isSelected={selected.has(key.dongleId)}
                isActive={item.index === activeIndex}
                onToggle={onToggle}
                onRowClick={onRowClick}
              />
            );
          })}
          {padBottom > 0 && (
            <tr aria-hidden="true" className="spacer-row">
              <td colSpan={10} style={{ height: padBottom }} />
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
