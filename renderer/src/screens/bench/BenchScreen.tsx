import { useCallback, useMemo } from 'react';
import type { AttachedKey, KeyState } from '../../../../shared/station/models';
import { ErrorNotice } from '../../components/ErrorNotice';
import { plural } from '../../components/format';
import { useAttachedKeys, useStationInfo, useUsbStatus } from '../../station/queries';
import { useUi, type BenchColumn } from '../../state/ui-store';
import { countByState, keyStates, stateNames, viewKeys } from './bench-keys';
import { KeyDetail } from './KeyDetail';
import { KeysTable } from './KeysTable';
import { SimulatorPanel } from './SimulatorPanel';
import { StartHere } from './StartHere';
import { UsbNotices } from './UsbNotices';

/** Home: the keys on the bench, live, and what to do with the ones ticked. */
export function BenchScreen() {
  const keys = useAttachedKeys();
  const info = useStationInfo();
  // "Plug keys into the hub" would send the operator the wrong way when USB itself is the problem.
  const usbBlocked = useUsbStatus().data?.notices.some((n) => n.severity === 'error') ?? false;
  const selectedKeyIds = useUi((s) => s.selectedKeyIds);
  const selectKeys = useUi((s) => s.selectKeys);
  const view = useUi((s) => s.benchView);
  const setBenchView = useUi((s) => s.setBenchView);
  const openKeyId = useUi((s) => s.openKeyId);
  const openKey = useUi((s) => s.openKey);
  const go = useUi((s) => s.go);

  const attached = useMemo(() => keys.data ?? [], [keys.data]);
  const counts = useMemo(() => countByState(attached), [attached]);
  const shown = useMemo(() => viewKeys(attached, view), [attached, view]);
  // A ticked key that was unplugged is no longer part of the selection.
  const selected = useMemo(() => {
    const present = new Set(attached.map((k) => k.dongleId));
    return new Set(selectedKeyIds.filter((id) => present.has(id)));
  }, [attached, selectedKeyIds]);
  const openedKey = openKeyId === null ? undefined : attached.find((k) => k.dongleId === openKeyId);

  // Stable across ticks (the anchor and selection are read when called) so rows re-render alone.
  const onToggle = useCallback(
    (key: AttachedKey, tick: boolean, range: boolean) => {
      const ui = useUi.getState();
      const from =
        range && ui.selectionAnchor !== null ? shown.findIndex((k) => k.dongleId === ui.selectionAnchor) : -1;
      const to = shown.indexOf(key);
      if (from >= 0 && to >= 0) {
        const [lo, hi] = from < to ? [from, to] : [to, from];
        ui.setKeysSelected(
          shown.slice(lo, hi + 1).map((k) => k.dongleId),
          tick,
        );
      } else {
        ui.setKeySelected(key.dongleId, tick);
      }
      ui.setSelectionAnchor(key.dongleId);
    },
    [shown],
  );
  const onOpen = useCallback((key: AttachedKey) => openKey(key.dongleId), [openKey]);
  const onSort = useCallback(
    (column: BenchColumn) => {
      const { benchView } = useUi.getState();
      setBenchView({
        sortBy: column,
        direction: benchView.sortBy === column && benchView.direction === 'asc' ? 'desc' : 'asc',
      });
    },
    [setBenchView],
  );
  const selectState = (state: KeyState) =>
    selectKeys(attached.filter((k) => k.state === state).map((k) => k.dongleId));

  return (
    <section className="screen" aria-labelledby="bench-title">
      <div className="screen-head">
        <h1 id="bench-title">Bench</h1>
        <span className="screen-meta" role="status">
          {plural(attached.length, 'key')} plugged · {selected.size} selected
        </span>
      </div>

      <div className="toolbar" role="toolbar" aria-label="Selected keys">
        <button
          type="button"
          onClick={() => selectKeys(shown.map((k) => k.dongleId))}
          disabled={!shown.length}
        >
          {view.state === null ? 'Select all' : `Select all ${stateNames[view.state].toLowerCase()}`}
        </button>
        <button type="button" onClick={() => selectKeys([])} disabled={!selected.size}>
          Select none
        </button>
        <button type="button" onClick={() => selectState('new')} disabled={!counts.new}>
          Select new
        </button>
        <button type="button" onClick={() => selectState('failed')} disabled={!counts.failed}>
          Select failed
        </button>
        <span className="toolbar-gap" />
        <button type="button" className="primary" onClick={() => go('add')} disabled={!selected.size}>
          Add to order…
        </button>
        <button type="button" className="primary" onClick={() => go('write')} disabled={!selected.size}>
          Write licences…
        </button>
      </div>

      <UsbNotices />

      {keys.isError && (
        <ErrorNotice title="Could not read the keys" error={keys.error} onRetry={() => void keys.refetch()} />
      )}
      {keys.isPending && <p className="muted">Reading the bench…</p>}
      {keys.isSuccess && attached.length === 0 && !usbBlocked && (
        <StartHere simulated={info.data?.bench === 'simulated'} onOrders={() => go('orders')} />
      )}
      {attached.length > 0 && (
        <>
          <div className="state-filters" role="group" aria-label="Show keys by state">
            <button
              type="button"
              className="state-filter"
              aria-pressed={view.state === null}
              onClick={() => setBenchView({ state: null })}
            >
              All <span className="state-count">{attached.length}</span>
            </button>
            {keyStates.map((state) => (
              <button
                key={state}
                type="button"
                className={`state-filter key-state-${state}`}
                aria-pressed={view.state === state}
                onClick={() => setBenchView({ state: view.state === state ? null : state })}
              >
                {stateNames[state]} <span className="state-count">{counts[state]}</span>
              </button>
            ))}
            <span className="muted state-filters-hint">
              Click a key to open it · Shift-click ticks a range · ↑↓ Space Enter
            </span>
          </div>
          {shown.length === 0 ? (
            <p className="empty-state" role="status">
              No {view.state ? stateNames[view.state].toLowerCase() : ''} keys on the bench.
            </p>
          ) : (
            <KeysTable
              keys={shown}
              selected={selected}
              view={view}
              onSort={onSort}
              onToggle={onToggle}
              onOpen={onOpen}
            />
          )}
        </>
      )}
      {openedKey && <KeyDetail keyInfo={openedKey} onClose={() => openKey(null)} />}

      {info.isError && (
        <ErrorNotice
          title="Could not read the station's mode"
          error={info.error}
          onRetry={() => void info.refetch()}
        />
      )}
      {info.data?.bench === 'simulated' && <SimulatorPanel keys={attached} selected={selected} />}
    </section>
  );
}
