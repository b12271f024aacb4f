import { z } from 'zod';

/**
 * What a host read at start-up about its server and bench, as the operator typed it: the desktop app
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
  }),
  /** Where this installation's files are: the udev rule the operator is told to install is among them. */
  install: z.object({
    /** The work tree, or app.asar's folder when packaged. */
    appRoot: z.string().min(1),
    /** process.resourcesPath of a packaged app (electron-builder's extraResources); unset otherwise. */
    packagedResources: z.string().min(1).optional(),
  }),
});
export type StartupRequestInput = z.input<typeof startupRequestSchema>;
export type StartupRequest = z.output<typeof startupRequestSchema>;
export type StartupHost = StartupRequest['host'];
type Install = StartupRequestInput['install'];

/** The desktop app's request: its environment, as `npm start` or the packaged app sees it. */
export function requestFromEnv(
  env: Record<string, string | undefined>,
  install: Install,
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
    },
    install,
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
    },
    install,
  };
}
