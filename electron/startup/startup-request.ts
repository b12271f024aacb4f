import { homedir, hostname } from 'node:os';
import { z } from 'zod';

/**
 * What a host read at start-up about its data folder, name, server and bench, as the operator typed it: the desktop app
 * from its environment, browser mode from its command line. Both map into this one request so that
 * resolveStartup (resolve-startup.ts) applies the same rules to both; this table is where a flag and
 * its variable are paired, and it names them in the resolver's refusals.
 */
export const STARTUP_INPUTS = {
  server: { flag: '--server', env: 'KEYBENCH_SERVER_URL' },
  token: { flag: '--token', env: 'KEYBENCH_API_TOKEN' },
  bench: { flag: '--bench', env: 'KEYBENCH_BENCH' },
  lm: { flag: '--lm', env: 'KEYBENCH_LICENSE_MANAGER_URL' },
  keys: { flag: '--keys', env: 'KEYBENCH_KEYS' },
  slow: { flag: '--slow', env: 'KEYBENCH_SLOW_MS' },
  data: { flag: '--data', env: 'KEYBENCH_DATA_DIR' },
  name: { flag: '--name', env: 'KEYBENCH_STATION_NAME' },
} as const;
export type StartupInput = keyof typeof STARTUP_INPUTS;

/** Unset, empty and blank are one thing: an exported-but-empty variable must not count as a choice. */
const typed = z
  .string()
  .optional()
  .transform((value) => value?.trim() || undefined);

export const startupRequestSchema = z.object({
  /**
   * Which host asks: names the inputs in refusals (flags or variables), and says whether a login typed
   * in Settings outlives a restart (the desktop app seals it with safeStorage; browser mode keeps it in
   * memory only, so it needs a token on its command line).
   */
  host: z.enum(['electron', 'browser']),
  inputs: z.object({
    server: typed,
    token: typed,
    bench: typed,
    lm: typed,
    keys: typed,
    slow: typed,
    data: typed,
    name: typed,
  }),
  /** Where this installation's files are: the udev rule the operator is told to install is among them. */
  install: z.object({
    /** The work tree, or app.asar's folder when packaged. */
    appRoot: z.string().min(1),
    /** process.resourcesPath of a packaged app (electron-builder's extraResources); unset otherwise. */
    packagedResources: z.string().min(1).optional(),
  }),
  /** What the defaults and a relative data folder are made from (thisMachine() reads it). */
  machine: z.object({
    /** The folder a relative --data / KEYBENCH_DATA_DIR is taken from. */
    cwd: z.string().min(1),
    home: z.string().min(1),
    /** The desktop app's station name unless given one. */
    hostname: z.string(),
    /** Where browser mode keeps its data folder by the XDG rules; unset or blank: ~/.local/share. */
    xdgDataHome: typed,
    /** Electron's userData folder: the desktop app's data folder unless given one. Browser mode has none. */
    userData: z.string().min(1).optional(),
  }),
});
export type StartupRequestInput = z.input<typeof startupRequestSchema>;
export type StartupRequest = z.output<typeof startupRequestSchema>;
export type StartupHost = StartupRequest['host'];
type Install = StartupRequestInput['install'];
type Machine = StartupRequestInput['machine'];

/** This process's machine facts, for the request (xdgDataHome and userData are the hosts' to add). */
export function thisMachine(): Pick<Machine, 'cwd' | 'home' | 'hostname'> {
  return { cwd: process.cwd(), home: homedir(), hostname: hostname() };
}

/** The desktop app's request: its environment, as `npm start` or the packaged app sees it. */
export function requestFromEnv(
  env: Record<string, string | undefined>,
  install: Install,
  machine: Omit<Machine, 'xdgDataHome'> & { userData: string },
): StartupRequestInput {
  return {
    host: 'electron',
    inputs: {
      server: env[STARTUP_INPUTS.server.env],
      token: env[STARTUP_INPUTS.token.env],
      bench: env[STARTUP_INPUTS.bench.env],
      lm: env[STARTUP_INPUTS.lm.env],
      keys: env[STARTUP_INPUTS.keys.env],
      slow: env[STARTUP_INPUTS.slow.env],
      data: env[STARTUP_INPUTS.data.env],
      name: env[STARTUP_INPUTS.name.env],
    },
    install,
    machine,
  };
}

/**
 * Browser mode's request: its flags, with KEYBENCH_API_TOKEN standing in for --token (a token is
 * better kept out of the process list).
 */
export function requestFromFlags(
  flags: Partial<Record<StartupInput, string | undefined>>,
  env: Record<string, string | undefined>,
  install: Install,
  machine: Omit<Machine, 'xdgDataHome' | 'userData'>,
): StartupRequestInput {
  return {
    host: 'browser',
    inputs: {
      server: flags.server,
      token: flags.token ?? env[STARTUP_INPUTS.token.env],
      bench: flags.bench,
      lm: flags.lm,
      keys: flags.keys,
      slow: flags.slow,
      data: flags.data,
      name: flags.name,
    },
    install,
    machine: { ...machine, xdgDataHome: env.XDG_DATA_HOME },
  };
}
