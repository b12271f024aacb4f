import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import {
  ActionResult,
  actionResultMeaning,
  dongleModelName,
  modelText,
} from '../../../../shared/guardant/codes';
import type { InvokeRequest } from '../../../../shared/ipc/contract';
import type { SpoiledWrite } from '../../../../shared/license-manager/schemas';
import { BOUNDS } from '../../../../shared/guardant/bounds';
import {
  SIMULATOR_PLUG,
  SIMULATOR_WRITE_DELAY_MS,
  type AttachedKey,
} from '../../../../shared/station/models';
import { ErrorNotice } from '../../components/ErrorNotice';
import { queryKeys } from '../../station/query-keys';
import { useStation } from '../../station/station-context';
import { Field } from '../../components/Field';

const failures = Object.values(ActionResult).filter((code) => code !== ActionResult.Success);

/** What the key holds after a spoiled write, in the words the panel shows. */
const spoiledKeyHolds: Record<SpoiledWrite, string> = {
  blank: 'no licence',
  previous: 'its previous licence',
  'drop-feature': 'the licence without its last feature',
  'alter-terms': 'the licence with changed terms',
};

/** The simulated bench's controls: plug and unplug keys, script a failed or spoiled write. Demos and training. */
export function SimulatorPanel({ keys, selected }: { keys: AttachedKey[]; selected: ReadonlySet<number> }) {
  const api = useStation();
  const queryClient = useQueryClient();
  const [count, setCount] = useState(5);
  const [model, setModel] = useState(3);
  const [netResource, setNetResource] = useState(0);
  const [failKey, setFailKey] = useState<number | ''>('');
  const [failCode, setFailCode] = useState<number>(ActionResult.DongleBurnFailed);
  const [spoilHow, setSpoilHow] = useState<SpoiledWrite>('blank');
  const [delayMs, setDelayMs] = useState(0);
  const [failOpen, setFailOpen] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const [replugKey, setReplugKey] = useState<number | ''>('');
  // Keys made on this bench (in this data folder, across restarts) that are out now: what can go back in.
  const unplugged = useQuery({
    queryKey: queryKeys.unpluggedKeys,
    queryFn: () => api.invoke('bench:unplugged', {}),
  });
  const outKeys = unplugged.data ?? [];
  const replugTarget =
    replugKey !== '' && outKeys.some((k) => k.dongleId === replugKey) ? replugKey : outKeys[0]?.dongleId;

  const simulate = useMutation({
    mutationFn: (request: InvokeRequest<'bench:simulate'>) => api.invoke('bench:simulate', request),
    onSuccess: (attached, request) => {
      queryClient.setQueryData(queryKeys.keys, attached);
      setDone(
        request.action === 'fail-next-write'
          ? `The next write into key ${request.dongleId} will fail with code ${request.actionResult}.`
          : request.action === 'spoil-next-write'
            ? `The next write into key ${request.dongleId} will report success but leave ${spoiledKeyHolds[request.how]} in it.`
            : request.action === 'slow'
              ? `Each write into a key now takes ${request.delayMs} ms.`
              : request.action === 'replug'
                ? `Key ${request.dongleIds.join(', ')} is plugged back in.`
                : null,
      );
    },
  });
  const run = (request: InvokeRequest<'bench:simulate'>) => {
    setDone(null);
    simulate.mutate(request);
  };
  const failTarget = failKey === '' ? keys[0]?.dongleId : failKey;

  return (
    <section className="panel simulator" aria-labelledby="simulator-title">
      <h2 id="simulator-title">Simulator</h2>
      <form
        className="form-row"
        aria-label="Plug keys"
        onSubmit={(e) => {
          e.preventDefault();
          run({ action: 'plug', count, model, netResource });
        }}
      >
        <Field label="Keys to plug">
          <input
            type="number"
            min={SIMULATOR_PLUG.min}
            max={SIMULATOR_PLUG.max}
            value={count}
            onChange={(e) => setCount(Number(e.target.value))}
            required
          />
        </Field>
        <Field label="Model">
          <select value={model} onChange={(e) => setModel(Number(e.target.value))}>
            {Object.entries(dongleModelName).map(([value, name]) => (
              <option key={value} value={value}>
                {name}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Network resource">
          <input
            type="number"
            min={BOUNDS.netResource.min}
            max={BOUNDS.netResource.max}
            value={netResource}
            onChange={(e) => setNetResource(Number(e.target.value))}
          />
        </Field>
        <button type="submit" disabled={simulate.isPending}>
          Plug keys
        </button>
        <span className="toolbar-gap" />
        <button
          type="button"
          disabled={simulate.isPending || selected.size === 0}
          onClick={() => run({ action: 'unplug', dongleIds: [...selected] })}
        >
          Unplug selected
        </button>
        <button
          type="button"
          disabled={simulate.isPending || keys.length === 0}
          onClick={() => run({ action: 'unplug' })}
        >
          Unplug all
        </button>
      </form>

      <form
        className="form-row"
        aria-label="Plug a key back in"
        onSubmit={(e) => {
          e.preventDefault();
          if (replugTarget !== undefined) run({ action: 'replug', dongleIds: [replugTarget] });
        }}
      >
        <Field label="Key to plug back in">
          <select
            value={replugTarget ?? ''}
            onChange={(e) => setReplugKey(Number(e.target.value))}
            disabled={!outKeys.length}
          >
            {!outKeys.length && <option value="">No key is out: every key made here is plugged in</option>}
            {outKeys.map((k) => (
              <option key={k.dongleId} value={k.dongleId}>
                {`${k.dongleId} · ${modelText(k.model)}${k.netResource ? ` · network ${k.netResource}` : ''}`}
              </option>
            ))}
          </select>
        </Field>
        <button type="submit" disabled={simulate.isPending || replugTarget === undefined}>
          Plug back in
        </button>
        <span className="muted">
          The same key, with what was written into it: new keys always get new ids.
        </span>
      </form>

      <details className="simulator-failures" onToggle={(e) => setFailOpen(e.currentTarget.open)}>
        <summary>Fail a key's next write</summary>
        <form
          className="form-row"
          aria-label="Fail the next write"
          onSubmit={(e) => {
            e.preventDefault();
            if (failTarget !== undefined)
              run({ action: 'fail-next-write', dongleId: failTarget, actionResult: failCode });
          }}
        >
          <Field label="Key">
            <select
              value={failTarget ?? ''}
              onChange={(e) => setFailKey(Number(e.target.value))}
              disabled={!keys.length}
            >
              {/* A bench of 1,000 keys is 1,000 options: in the page only while this form is open. */}
              {failOpen &&
                keys.map((k) => (
                  <option key={k.dongleId} value={k.dongleId}>
                    {`#${k.plugOrder} · ${k.dongleId}`}
                  </option>
                ))}
            </select>
          </Field>
          <Field label="Result">
            <select value={failCode} onChange={(e) => setFailCode(Number(e.target.value))}>
              {failures.map((code) => (
                <option key={code} value={code}>
                  {code}: {actionResultMeaning[code].split('.')[0]}
                </option>
              ))}
            </select>
          </Field>
          <button type="submit" disabled={simulate.isPending || failTarget === undefined}>
            Fail next write
          </button>
          <span className="toolbar-gap" />
          <Field label="Key holds afterwards">
            <select value={spoilHow} onChange={(e) => setSpoilHow(e.target.value as SpoiledWrite)}>
              {Object.entries(spoiledKeyHolds).map(([how, holds]) => (
                <option key={how} value={how}>
                  {holds}
                </option>
              ))}
            </select>
          </Field>
          <button
            type="button"
            disabled={simulate.isPending || failTarget === undefined}
            title="The write reports success, but the key holds something else: only verifying it tells."
            onClick={() => {
              if (failTarget !== undefined)
                run({ action: 'spoil-next-write', dongleId: failTarget, how: spoilHow });
            }}
          >
            Spoil next write
          </button>
        </form>
      </details>

      <form
        className="form-row"
        aria-label="Slow down the license manager"
        onSubmit={(e) => {
          e.preventDefault();
          run({ action: 'slow', delayMs });
        }}
      >
        <Field label="Write delay (ms)">
          <input
            type="number"
            min={SIMULATOR_WRITE_DELAY_MS.min}
            max={SIMULATOR_WRITE_DELAY_MS.max}
            step={100}
            value={delayMs}
            onChange={(e) => setDelayMs(Number(e.target.value))}
          />
        </Field>
        <button type="submit" disabled={simulate.isPending}>
          Set delay
        </button>
      </form>

      {done && (
        <p className="notice notice-ok" role="status">
          {done}
        </p>
      )}
      {simulate.isError && <ErrorNotice title="The simulator refused" error={simulate.error} />}
    </section>
  );
}
