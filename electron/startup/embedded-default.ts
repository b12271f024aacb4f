/*
 * electron/startup/: the start-up wiring the two hosts (electron/main.ts, electron/web-host/main.ts)
 * share. Unlike electron/core/, it may import the reference server (server/) and the simulated bench:
 * the hosts choose them here and hand them to the core, which knows neither.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { seedDemoIfEmpty } from '../../server/seed/demo';
import { startServer, type RunningServer } from '../../server/start';
import { SimulatedBench, SIMULATED_KEY_MEMORY_FILE } from '../simulated-bench/simulated-bench';
import { SIMULATED_BENCH_STATE_FILE } from '../simulated-bench/bench-state';

export interface EmbeddedDefault {
  server: RunningServer;
  serverUrl: string;
  token: string;
  bench: SimulatedBench;
  close(): Promise<void>;
}

export interface EmbeddedDefaultOptions {
  dataDir: string;
  /** Keys on the bench at start, so a demo opens on a populated bench. */
  initialKeys?: number;
  serverPort?: number;
  /** Passed to the reference server's logger; silent by default. */
  serverLogger?: Parameters<typeof startServer>[0]['logger'];
  nativeBinding?: string;
}

/**
 * The station's embedded default for demos and training: the reference Guardant Station server with
 * the demo catalog, and the simulated bench writing through it. Nothing leaves loopback.
 */
export async function startEmbeddedDefault(options: EmbeddedDefaultOptions): Promise<EmbeddedDefault> {
  const token = randomBytes(24).toString('base64url');
  const server = await startServer({
    dataDir: join(options.dataDir, 'server'),
    port: options.serverPort ?? 0,
    token,
    adminEnabled: true,
    logger: options.serverLogger ?? false,
    prepare: (ctx) => void seedDemoIfEmpty(ctx.db, ctx.now()),
    nativeBinding: options.nativeBinding,
  });
  let bench: SimulatedBench;
  try {
    bench = await SimulatedBench.start({
      server: { url: server.url, token },
      keyMemoryFile: join(options.dataDir, SIMULATED_KEY_MEMORY_FILE),
      // Key ids go on from where the last run stopped: a "new" key is never one written before.
      stateFile: join(options.dataDir, SIMULATED_BENCH_STATE_FILE),
    });
  } catch (error) {
    await server.close();
    throw error;
  }
  // initialKeys on the bench at start, counting those still in the hub from the last run.
  if (options.initialKeys) bench.plug(Math.max(0, options.initialKeys - bench.keys().length));
  return {
    server,
    serverUrl: server.url,
    token,
    bench,
    async close() {
      await bench.close();
      await server.close();
    },
  };
}
