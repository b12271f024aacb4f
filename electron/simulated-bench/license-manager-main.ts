import { parseArgs } from 'node:util';
import {
  DEFAULT_SIMULATED_KEYS,
  SIMULATOR_PLUG,
  SIMULATOR_WRITE_DELAY_MS,
} from '../../shared/station/models';
import { SimulatedBench } from './simulated-bench';

const USAGE = `The simulated bench's license manager as a process of its own

  npm run lm:simulated -- --server URL --token T [--keys N] [--slow MS] [--memory FILE]

Plugs the same N virtual keys (same ids, same USB ports) as a station started with
--bench simulated --keys N, and serves the license-manager API (docs/license-manager-api.md) on
loopback. Start the station with --lm <the printed URL> to write through it: the license manager
then lives on when the station is stopped or killed, as a real one does.
Prints "burn started: key <id>" as each burn begins.`;

function fail(message: string): never {
  console.error(`simulated license manager: ${message} (see --help)`);
  process.exit(2);
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        server: { type: 'string' },
        token: { type: 'string' },
        keys: { type: 'string', default: String(DEFAULT_SIMULATED_KEYS) },
        slow: { type: 'string', default: '0' },
        memory: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  }
  if (values.help) return void console.log(USAGE);
  if (!values.server || !/^https?:\/\/[^/]+/.test(values.server)) fail('--server needs an http(s) URL');
  const token = values.token ?? process.env.KEYBENCH_API_TOKEN;
  if (!token) fail('--token (or KEYBENCH_API_TOKEN) is needed');
  const keys = Number(values.keys);
  // As many keys as the Simulator plugs at once, or none; as slow as the Simulator may make it.
  if (!Number.isInteger(keys) || keys < 0 || keys > SIMULATOR_PLUG.max) {
    fail(`--keys ${values.keys} is not 0–${SIMULATOR_PLUG.max}`);
  }
  const slow = Number(values.slow);
  const delay = SIMULATOR_WRITE_DELAY_MS;
  if (!Number.isInteger(slow) || slow < delay.min || slow > delay.max) {
    fail(`--slow ${values.slow} is not ${delay.min}–${delay.max} ms`);
  }

  // The station's simulated bench makes its keys from the same default seed: the same ids in the same ports.
  const bench = await SimulatedBench.start({
    server: { url: values.server, token },
    keyMemoryFile: values.memory,
  });
  if (keys) bench.plug(keys);
  bench.slow(slow);
  bench.licenseManager.events.on('burn-started', (dongleId) => console.log(`burn started: key ${dongleId}`));
  console.log(`Simulated license manager: listening on ${bench.licenseManagerUrl}`);

  const stop = () => void bench.close().finally(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(`simulated license manager: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
