import { join } from 'node:path';
import type { Credentials } from '../core/api/guardant-client';
import type { BenchConfig } from '../core/station';
import { createRealUsb } from '../core/usb/real-usb';
import { SIMULATED_BENCH_STATE_FILE } from '../simulated-bench/bench-state';
import { SimulatedBench, SIMULATED_KEY_MEMORY_FILE } from '../simulated-bench/simulated-bench';
import { startEmbeddedDefault } from './embedded-default';
import type { SimulatedBenchPlan, StartupDecision } from './resolve-startup';

/** The server and bench a host hands to createStation, and what to close when the station has closed. */
export interface OpenedBench {
  serverUrl: string;
  credentials: Credentials;
  bench: BenchConfig;
  /** The embedded default runs (the reference server with demo data), for the host's log line. */
  embedded: boolean;
  /** Stops what was started here (the simulated bench, the embedded server); after the station. */
  close(): Promise<void>;
}

export interface OpenBenchOptions {
  /** The station's data folder, already locked by the host: the embedded server and the keys' memory live there. */
  dataDir: string;
  /** better-sqlite3 built for Electron's ABI, for the embedded server's database. */
  nativeBinding?: string;
  /** Something the operator should know that does not stop the start (a damaged bench state file). */
  warn(message: string): void;
}

/** Scripts a simulated bench as the plan says, with the simulated keys in the hub counted. */
function prepareSimulated(bench: SimulatedBench, plan: SimulatedBenchPlan, options: OpenBenchOptions) {
  if (bench.stateProblem) options.warn(bench.stateProblem);
  // plan.keys on the bench at start, counting those still in the hub from the last run.
  if (plan.keys) bench.plug(Math.max(0, plan.keys - bench.keys().length));
  bench.slow(plan.slowMs);
}

function simulatedConfig(simulated: SimulatedBench, plan: SimulatedBenchPlan): BenchConfig {
  // A simulated bench may be written through a license manager of its own process (npm run
  // lm:simulated over the same keys): the station then survives, and restarts beside, a license
  // manager still burning.
  return {
    kind: 'simulated',
    simulated,
    ...(plan.licenseManagerUrl === undefined ? {} : { licenseManagerUrl: plan.licenseManagerUrl }),
  };
}

/** Starts what resolveStartup decided: the embedded default, a simulated bench on a given server, or real USB. */
export async function openBench(decision: StartupDecision, options: OpenBenchOptions): Promise<OpenedBench> {
  if (decision.server === 'embedded') {
    const plan = decision.bench;
    const embedded = await startEmbeddedDefault({
      dataDir: options.dataDir,
      ...(options.nativeBinding === undefined ? {} : { nativeBinding: options.nativeBinding }),
    });
    try {
      prepareSimulated(embedded.bench, plan, options);
    } catch (error) {
      await embedded.close();
      throw error;
    }
    return {
      serverUrl: embedded.serverUrl,
      credentials: { token: embedded.token },
      bench: simulatedConfig(embedded.bench, plan),
      embedded: true,
      close: () => embedded.close(),
    };
  }

  const { serverUrl, credentials, bench: plan } = decision;
  if (plan.kind === 'simulated') {
    // resolveStartup gives a simulated bench on a given server only with a token.
    const token = credentials.token;
    if (!token) throw new Error('a simulated bench needs the server token');
    const simulated = await SimulatedBench.start({
      server: { url: serverUrl, token },
      // The virtual keys keep what was written into them across restarts, as real keys do.
      keyMemoryFile: join(options.dataDir, SIMULATED_KEY_MEMORY_FILE),
      // Key ids go on from where the last run stopped: a "new" key is never one written before.
      ...(plan.keepsState ? { stateFile: join(options.dataDir, SIMULATED_BENCH_STATE_FILE) } : {}),
    });
    try {
      prepareSimulated(simulated, plan, options);
    } catch (error) {
      await simulated.close();
      throw error;
    }
    return {
      serverUrl,
      credentials,
      bench: simulatedConfig(simulated, plan),
      embedded: false,
      close: () => simulated.close(),
    };
  }

  return {
    serverUrl,
    credentials,
    bench: {
      kind: 'real',
      usb: await createRealUsb(),
      licenseManagerUrl: plan.licenseManagerUrl,
      udevRulesPath: plan.udevRulesPath,
    },
    embedded: false,
    close: async () => undefined,
  };
}
