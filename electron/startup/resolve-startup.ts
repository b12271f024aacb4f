import { join, resolve } from 'node:path';
import { DEFAULT_LICENSE_MANAGER_URL } from '../../shared/license-manager/default-address';
import {
  DEFAULT_SIMULATED_KEYS,
  DEFAULT_STATION_NAME,
  SETTINGS_TEXT_MAX,
  SIMULATOR_PLUG,
  SIMULATOR_WRITE_DELAY_MS,
} from '../../shared/station/models';
import type { Credentials } from '../core/api/guardant-client';
import {
  STARTUP_INPUTS,
  startupRequestSchema,
  type StartupHost,
  type StartupInput,
  type StartupRequest,
  type StartupRequestInput,
} from './startup-request';

/** Everything a host starts its station with, decided by the one set of rules (resolveStartup). */
export interface ResolvedStartup {
  /**
   * The station's data folder, absolute: the desktop app's Electron userData folder or browser mode's
   * ~/.local/share/keybench/station unless the operator named one. The host claims it (claimDataDir)
   * before anything opens there.
   */
  dataDir: string;
  /** The station's name until one is saved in Settings: the machine's name on the desktop, "Bench 1" in browser mode. */
  stationName: string;
  /** Which server and which bench: open-bench.ts carries it out. */
  decision: StartupDecision;
}

/**
 * Which Guardant Station server and which bench a station starts with, for both hosts. Pure: the hosts
 * map what they read (electron/main.ts its environment, electron/web-host/main.ts its flags) into a
 * StartupRequest, and open-bench.ts carries the decision out.
 *
 * - No server named: the embedded default, the reference server with demo data and a simulated bench,
 *   so a fresh install shows a working bench with no setup.
 * - A server named: that server, with the real USB bench read through the local license manager (the
 *   default), or a simulated bench writing through that server (training, tests).
 */
export type StartupDecision =
  | { server: 'embedded'; bench: SimulatedBenchPlan }
  | {
      server: 'given';
      serverUrl: string;
      credentials: Credentials;
      bench: SimulatedBenchPlan | RealBenchPlan;
    };

export interface SimulatedBenchPlan {
  kind: 'simulated';
  /** Keys on the bench at start, counting those still in the hub from the last run. */
  keys: number;
  /** How long each simulated write takes (training); 0 for at once. */
  slowMs: number;
  /** A license manager of its own process (npm run lm:simulated) to write through, over the same keys. */
  licenseManagerUrl?: string;
  /**
   * Whether the bench keeps its seed and every key it made in the data folder. Not with a license
   * manager of its own process: the keys are then that one's, made from the default seed, and the
   * bench must show the same ids in the same ports.
   */
  keepsState: boolean;
}

export interface RealBenchPlan {
  kind: 'real';
  licenseManagerUrl: string;
  /** This installation's udev rule file, named in the command the operator is told to run. */
  udevRulesPath: string;
}

// At most as many keys as one Simulator plug, and as slow as the Simulator allows: the same bounds.
const MAX_SIMULATED_KEYS = SIMULATOR_PLUG.max;
const MAX_SLOW_MS = SIMULATOR_WRITE_DELAY_MS.max;

/** A start-up the operator asked for that cannot be: the message says what to change, in their words. */
export class StartupRefusal extends Error {
  override name = 'StartupRefusal';
}

/** How the operator named an input: the flag in browser mode, the variable in the desktop app. */
function nameOf(host: StartupHost, input: StartupInput): string {
  return host === 'browser' ? STARTUP_INPUTS[input].flag : STARTUP_INPUTS[input].env;
}

/** An input with the value the operator gave, as they would have typed it. */
function given(host: StartupHost, input: StartupInput, value: string): string {
  return host === 'browser'
    ? `${STARTUP_INPUTS[input].flag} ${value}`
    : `${STARTUP_INPUTS[input].env}=${value}`;
}

/**
 * An http(s) URL without trailing slashes (the clients append their paths). Parsed, not matched with
 * a pattern, so "http://bad host" is refused here rather than on the first request.
 */
function httpUrl(host: StartupHost, input: StartupInput, value: string): string {
  let url: URL | null = null;
  try {
    url = new URL(value);
  } catch {
    // refused below, in the same words
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || !url.host) {
    throw new StartupRefusal(`${given(host, input, value)} is not an http(s) URL`);
  }
  return value.replace(/\/+$/, '');
}

function wholeNumber(
  host: StartupHost,
  input: StartupInput,
  value: string | undefined,
  max: number,
  unit = '',
) {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n > max) {
    throw new StartupRefusal(`${given(host, input, value)} is not 0–${max}${unit}`);
  }
  return n;
}

function udevRulesPath(install: { appRoot: string; packagedResources?: string | undefined }): string {
  // Where the packaged rule rides along (electron-builder.yml extraResources), or the checkout's.
  return install.packagedResources
    ? join(install.packagedResources, 'udev', '70-guardant.rules')
    : join(install.appRoot, 'resources', 'linux', '70-guardant.rules');
}

/** The data folder: the one named (from the host's working folder if relative), else the host's default. */
function dataDirOf({ host, inputs, machine }: StartupRequest): string {
  if (inputs.data !== undefined) return resolve(machine.cwd, inputs.data);
  if (host === 'electron') {
    // requestFromEnv always gives it: without, the request was built wrong.
    if (!machine.userData) throw new Error("start-up request: the desktop app's userData folder is missing");
    return machine.userData;
  }
  return join(machine.xdgDataHome ?? join(machine.home, '.local', 'share'), 'keybench', 'station');
}

/** The name the station starts with: Settings keeps a longer one from being saved, so it is refused here too. */
function stationNameOf({ host, inputs, machine }: StartupRequest): string {
  const max = SETTINGS_TEXT_MAX.stationName;
  if (inputs.name !== undefined && inputs.name.length > max) {
    throw new StartupRefusal(`${nameOf(host, 'name')} is longer than ${max} characters`);
  }
  return inputs.name ?? (host === 'electron' ? machine.hostname : DEFAULT_STATION_NAME);
}

/**
 * The one set of start-up rules. Where the two hosts used to disagree, the rule kept is the one that
 * tells the operator rather than guessing: an input that would be ignored is refused in words.
 */
export function resolveStartup(input: StartupRequestInput): ResolvedStartup {
  const parsed = startupRequestSchema.safeParse(input);
  // The hosts build the request themselves: a malformed one is a programming error, not the operator's.
  if (!parsed.success) throw new Error(`start-up request: ${parsed.error.message}`);
  const decision = decideServerAndBench(parsed.data);
  return { dataDir: dataDirOf(parsed.data), stationName: stationNameOf(parsed.data), decision };
}

function decideServerAndBench({ host, inputs, install }: StartupRequest): StartupDecision {
  const name = (input: StartupInput) => nameOf(host, input);

  const keys = wholeNumber(host, 'keys', inputs.keys, MAX_SIMULATED_KEYS);
  const slowMs = wholeNumber(host, 'slow', inputs.slow, MAX_SLOW_MS, ' ms');
  const bench = inputs.bench;
  if (bench !== undefined && bench !== 'real' && bench !== 'simulated') {
    throw new StartupRefusal(`${name('bench')} is real or simulated, not ${bench}`);
  }
  const serverUrl = inputs.server === undefined ? undefined : httpUrl(host, 'server', inputs.server);
  const licenseManagerUrl = inputs.lm === undefined ? undefined : httpUrl(host, 'lm', inputs.lm);

  if (serverUrl === undefined) {
    // The embedded default's bench is simulated and has its own license manager, whose server (random
    // port, random token) no other license manager can write to: a real bench or another license
    // manager is a server the operator forgot to name. (Browser mode used to ignore --bench real and
    // the desktop app KEYBENCH_LICENSE_MANAGER_URL here; both now say so.)
    if (bench === 'real') {
      throw new StartupRefusal(
        `${given(host, 'bench', 'real')} needs ${name('server')} (the embedded default's bench is simulated)`,
      );
    }
    if (licenseManagerUrl !== undefined) {
      throw new StartupRefusal(
        `${name('lm')} needs ${name('server')} (the embedded default's bench has its own license manager)`,
      );
    }
    return {
      server: 'embedded',
      bench: {
        kind: 'simulated',
        keys: keys ?? DEFAULT_SIMULATED_KEYS,
        slowMs: slowMs ?? 0,
        keepsState: true,
      },
    };
  }

  const token = inputs.token;
  // Browser mode keeps a login typed in Settings in memory only: without a token it would open on a
  // server it cannot read after every restart. The desktop app seals a login, so it may start without.
  if (!token && host === 'browser') {
    throw new StartupRefusal(`${name('server')} needs ${name('token')} (or ${STARTUP_INPUTS.token.env})`);
  }
  const credentials: Credentials = token ? { token } : {};

  if (bench === 'simulated') {
    // The simulated license manager records each write on the server itself, with this token.
    if (!token) {
      throw new StartupRefusal(
        `${given(host, 'bench', 'simulated')} needs ${name('token')}: the simulated license manager records its writes on ${serverUrl}`,
      );
    }
    return {
      server: 'given',
      serverUrl,
      credentials,
      bench: {
        kind: 'simulated',
        keys: keys ?? DEFAULT_SIMULATED_KEYS,
        slowMs: slowMs ?? 0,
        ...(licenseManagerUrl === undefined ? {} : { licenseManagerUrl }),
        keepsState: licenseManagerUrl === undefined,
      },
    };
  }

  // Keys are what they are on a real bench: asking for simulated keys means the wrong bench, say so.
  if (slowMs) throw new StartupRefusal(`${name('slow')} applies to a simulated bench only`);
  if (keys) throw new StartupRefusal(`${name('keys')} applies to a simulated bench only`);
  return {
    server: 'given',
    serverUrl,
    credentials,
    bench: {
      kind: 'real',
      licenseManagerUrl: licenseManagerUrl ?? DEFAULT_LICENSE_MANAGER_URL,
      udevRulesPath: udevRulesPath(install),
    },
  };
}
