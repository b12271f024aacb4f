import type { EmbeddedDefault } from '../../electron/startup/embedded-default';
import { createStation, type Station, type StationConfig } from '../../electron/core/station';
import { ActionResult, type DongleModel } from '../../shared/guardant/codes';
import type { InvokeChannel, InvokeRequest, InvokeResponse } from '../../shared/ipc/contract';
import { StationRequestError, type StationApi } from '../../shared/ipc/station-api';
import type { RunView, WriteProgress } from '../../shared/station/models';
import type { StationUnderTest } from './station-harness';

/*
 * Driving a station's runs from a test: starting a station in this process, finding orders, plugging
 * keys and waiting for a run or a key to get somewhere. Used by the run, auto-mode and queue suites.
 */

/** What a test asks a station: the renderer's WebSocket client, or a station in this process. */
export type Invoker = Pick<StationApi, 'invoke'>;

/** Short backoff and probes: a test sees the station reconnect and retry in a fraction of a second. */
export const TEST_TIMING: NonNullable<StationConfig['timing']> = {
  backoff: { baseMs: 50, maxMs: 500 },
  probeIntervalMs: 100,
  heartbeatMs: 200,
};

/**
 * A station in this process over a data folder, on the embedded default's server and simulated bench,
 * ready (its bench scanned). Tests that restart a station start it again over the same folder.
 * `timing` replaces TEST_TIMING; `timing: undefined` gives the app's own timings.
 */
export async function startStationOn(
  embedded: EmbeddedDefault,
  dataDir: string,
  options: { timing?: StationConfig['timing']; stationName?: string } = {},
): Promise<Station> {
  const station = await createStation({
    dataDir,
    host: 'browser',
    serverUrl: embedded.serverUrl,
    credentials: { token: embedded.token },
    bench: { kind: 'simulated', simulated: embedded.bench },
    ...(options.stationName !== undefined && { stationName: options.stationName }),
    timing: 'timing' in options ? options.timing : TEST_TIMING,
  });
  await station.ready;
  return station;
}

/**
 * A station in this process asked the way a host asks it: through its dispatcher, which checks each
 * request against the contract; a refusal is thrown as the renderer's clients throw it.
 */
export function invokerOf(station: Station): Invoker {
  return {
    async invoke<C extends InvokeChannel>(channel: C, request: InvokeRequest<C>): Promise<InvokeResponse<C>> {
      const result = await station.dispatch(channel, request);
      if (!result.ok) throw new StationRequestError(result.error);
      return result.value as InvokeResponse<C>;
    },
  };
}

/** The server id of an order the operator knows by its number (a demo order, say). */
export async function orderIdOf(api: Invoker, number: number): Promise<number> {
  const page = await api.invoke('orders:list', { q: String(number), limit: 1000 });
  const order = page.orders.find((o) => o.number === number);
  if (!order) throw new Error(`order ${number} not found`);
  return order._id;
}

/** Plugs new simulated keys and answers their ids (not those of keys already on the bench). */
export async function plugKeys(api: Invoker, count: number, model?: DongleModel): Promise<number[]> {
  const before = new Set((await api.invoke('keys:list', {})).map((k) => k.dongleId));
  const keys = await api.invoke('bench:simulate', {
    action: 'plug',
    count,
    ...(model !== undefined && { model }),
  });
  return keys.filter((k) => !before.has(k.dongleId)).map((k) => k.dongleId);
}

/** Resolves with the first progress event of the key that satisfies the predicate. */
export function progressOf(
  station: Station,
  dongleId: number,
  predicate: (p: WriteProgress) => boolean,
): Promise<WriteProgress> {
  return station.events.once('write:progress', (p) => p.dongleId === dongleId && predicate(p));
}

/** Calls back (once) when the license manager starts burning this key. */
export function onBurn(embedded: EmbeddedDefault, dongleId: number, then: () => void): void {
  const lm = embedded.bench.licenseManager;
  const listener = (id: number) => {
    if (id !== dongleId) return;
    lm.events.off('burn-started', listener);
    then();
  };
  lm.events.on('burn-started', listener);
}

/** The run's stored view once it is finished: waits on its progress events, then reads it. */
export async function finishedRun(station: Station, runId: number): Promise<RunView> {
  const api = invokerOf(station);
  const settled = station.events.once(
    'write:progress',
    (p) => p.jobId === String(runId) && p.done === p.total,
  );
  const current = await api.invoke('runs:get', { runId });
  if (current.status !== 'finished') await settled;
  return api.invoke('runs:get', { runId });
}

/**
 * Starts a run over the station's WebSocket and resolves once every task of it is final, with its
 * stored view and every progress event of the order seen meanwhile.
 */
export async function runToEnd(
  s: StationUnderTest,
  orderId: number,
  dongleIds: number[],
  rewriteConfirmed?: boolean,
): Promise<{ view: RunView; seen: WriteProgress[] }> {
  const seen: WriteProgress[] = [];
  let runId = '';
  const finished = new Promise<void>((resolve) => {
    const off = s.station.events.on('write:progress', (p) => {
      if (p.orderId !== orderId) return;
      seen.push(p);
      if (p.done === p.total && (runId === '' || p.jobId === runId)) {
        off();
        resolve();
      }
    });
  });
  runId = (
    await s.api.invoke('licenses:write', {
      orderId,
      dongleIds,
      ...(rewriteConfirmed !== undefined && { rewriteConfirmed }),
    })
  ).jobId;
  await finished;
  return { view: await s.api.invoke('runs:get', { runId: Number(runId) }), seen };
}

/**
 * Plugs a new key and writes it with the order, the simulator failing its burn: the run's key ends
 * 'failed' and its write item waits, failed, in the Queue.
 */
export async function failedWriteOfNewKey(
  s: StationUnderTest,
  orderNumber: number,
): Promise<{ dongleId: number; orderId: number }> {
  const [dongleId] = (await plugKeys(s.api, 1)) as [number];
  const orderId = await orderIdOf(s.api, orderNumber);
  await s.api.invoke('bench:simulate', {
    action: 'fail-next-write',
    dongleId,
    actionResult: ActionResult.DongleBurnFailed,
  });
  const failed = s.next('write:progress', (p) => p.dongleId === dongleId && p.stage === 'failed');
  await s.api.invoke('licenses:write', { orderId, dongleIds: [dongleId] });
  await failed;
  return { dongleId, orderId };
}
