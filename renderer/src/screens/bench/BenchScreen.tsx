import { useMemo } from 'react';
import { ErrorNotice } from '../../components/ErrorNotice';
import { plural } from '../../components/format';
import { useAttachedKeys, useStationInfo, useUsbStatus } from '../../station/queries';
import { useUi } from '../../state/ui-store';
import { KeysTable } from './KeysTable';
import { SimulatorPanel } from './SimulatorPanel';
import { UsbNotices } from './UsbNotices';

/** Home: the keys on the bench, live, and what to do with the ones ticked. */
export function BenchScreen() {
  const keys = useAttachedKeys();
  const info = useStationInfo();
  // "Plug keys into the hub" would send the operator the wrong way when USB itself is the problem.
  const usbBlocked = useUsbStatus().data?.notices.some((n) => n.severity === 'error') ?? false;
  const selectedKeyIds = useUi((s) => s.selectedKeyIds);
  const setKeySelected = useUi((s) => s.setKeySelected);
  const selectKeys = useUi((s) => s.selectKeys);
  const go = useUi((s) => s.go);

  const attached = useMemo(() => keys.data ?? [], [keys.data]);
  // A ticked key that was unplugged is no longer part of the selection.
  const selected = useMemo(() => {
    const present = new Set(attached.map((k) => k.dongleId));
    return new Set(selectedKeyIds.filter((id) => present.has(id)));
  }, [attached, selectedKeyIds]);

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
          onClick={() => selectKeys(attached.map((k) => k.dongleId))}
          disabled={!attached.length}
        >
          Select all
        </button>
        <button type="button" onClick={() => selectKeys([])} disabled={!selected.size}>
          Select none
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
        <p className="empty-state" role="status">
          Plug keys into the hub.
        </p>
      )}
      {attached.length > 0 && <KeysTable keys={attached} selected={selected} onToggle={setKeySelected} />}

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
