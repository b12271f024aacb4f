import { StationErrorCode } from '../../../shared/ipc/result';
import { ServerUnreachableError } from '../api/errors';
import type { KeyIdentity } from '../../../shared/station/models';
import type { StationHandlers } from '../ipc/handlers';
import { StationFault } from '../ipc/station-fault';
import type { PreflightChecker } from '../preflight/preflight';
import type { AutoMode } from './auto-mode';
import type { RunResumer } from './run-resumer';
import type { LeftOutKey, Runs } from './runs';
import type { UpdateRuns } from './update-runs';

type RunChannels =
  | 'keys:precheck'
  | 'licenses:write'
  | 'runs:get'
  | 'runs:list'
  | 'runs:resume'
  | 'auto:start'
  | 'auto:stop'
  | 'auto:state';

export interface RunHandlerPorts {
  preflight: Pick<PreflightChecker, 'check'>;
  runs: Pick<Runs, 'start' | 'view' | 'list'>;
  updateRuns: Pick<UpdateRuns, 'start'>;
  resumer: Pick<RunResumer, 'resume'>;
  autoMode: Pick<AutoMode, 'start' | 'stop' | 'state'>;
  /** Whether the bench lists the key now. */
  plugged: (dongleId: number) => boolean;
  /** The identities of keys named in a request, all of which must be plugged in. */
  identities: (dongleIds: number[]) => KeyIdentity[];
}

/** The runs' channels: a key's pre-flight, starting a write run, watching and resuming runs, auto mode. */
export function runHandlers(ports: RunHandlerPorts): Pick<StationHandlers, RunChannels> {
  const { preflight, runs, autoMode } = ports;

  /**
   * The run's pre-flight, before anything is stored or sent (Runs.start is one synchronous
   * transaction, so the asking happens first): the keys its verdict leaves out, with the verdict's
   * words, which the run stores as skipped.
   */
  const leftOutBy = async (
    orderId: number,
    dongleIds: number[],
    rewriteConfirmed: boolean,
  ): Promise<LeftOutKey[]> => {
    try {
      const verdict = await preflight.check({
        orderId,
        keys: ports.identities(dongleIds.filter(ports.plugged)),
        purpose: 'write',
        rewriteConfirmed,
      });
      const selected = new Set(verdict.selected);
      return verdict.keys
        .filter((k) => !selected.has(k.dongleId))
        .map((k) => ({
          dongleId: k.dongleId,
          reason: k.message,
          apiCode: k.code !== 0 && k.leftOut !== 'order-full' ? k.code : null,
          leftOut: k.leftOut,
        }));
    } catch (error) {
      // Offline (the server cannot be reached to ask): the run starts as it always did, its items
      // wait in the outbox and the server judges each key when it is back (an add refused for a full
      // order or a foreign key fails that key with the server's reason). Any other refusal is an answer.
      if (!(error instanceof ServerUnreachableError)) throw error;
      return [];
    }
  };

  return {
    'keys:precheck': async ({ dongleIds, ...request }) =>
      preflight.check({ ...request, keys: ports.identities(dongleIds) }),
    'licenses:write': async ({ orderId, dongleIds, rewriteConfirmed }) => {
      const updateRunId = await ports.updateRuns.start(orderId, dongleIds);
      if (updateRunId !== null) return { jobId: String(updateRunId), runId: updateRunId };
      const leftOut = await leftOutBy(orderId, dongleIds, rewriteConfirmed);
      const runId = runs.start(orderId, dongleIds, leftOut);
      return { jobId: String(runId), runId };
    },
    'runs:get': async ({ runId }) => {
      const run = runs.view(runId);
      if (!run) throw new StationFault(StationErrorCode.NotFound, `no run ${runId}`);
      return run;
    },
    'runs:list': async ({ limit }) => runs.list(limit),
    'runs:resume': async ({ runId }) => ports.resumer.resume(runId),
    'auto:start': async ({ orderId }) => autoMode.start(orderId),
    'auto:stop': async () => autoMode.stop(),
    'auto:state': async () => autoMode.state(),
  };
}
