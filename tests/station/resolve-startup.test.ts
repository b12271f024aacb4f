/**
 * The one set of start-up rules both hosts apply (electron/startup/resolve-startup.ts): browser mode
 * to its flags, the desktop app to its environment. Each rule is checked from both hosts, so the two
 * cannot drift apart again, and each refusal in the words the operator reads.
 */
import { DEFAULT_SIMULATED_KEYS } from '../../shared/station/models';
import { describe, expect, it } from 'vitest';
import { resolveStartup, StartupRefusal, type StartupDecision } from '../../electron/startup/resolve-startup';
import { requestFromEnv, requestFromFlags, STARTUP_INPUTS } from '../../electron/startup/startup-request';
import { DEFAULT_LICENSE_MANAGER_URL } from '../../shared/license-manager/default-address';

const install = { appRoot: '/srv/keybench' };
const machine = { cwd: '/home/op/work', home: '/home/op', hostname: 'bench-pc-7' };
const USER_DATA = '/home/op/.config/Keybench';
const SERVER = 'http://10.0.0.5:8780';
const LM = 'http://127.0.0.1:4111';

type Inputs = Partial<Record<keyof typeof STARTUP_INPUTS, string>>;

/** Everything browser mode starts with, given these flags (and, for the token's fallback, this environment). */
const webStartup = (flags: Inputs, env: Record<string, string> = {}) =>
  resolveStartup(requestFromFlags(flags, env, install, machine));

/** Everything the desktop app starts with, given the same choices as its environment variables. */
const desktopStartup = (inputs: Inputs, env: Record<string, string> = {}) =>
  resolveStartup(
    requestFromEnv(
      {
        ...env,
        ...Object.fromEntries(
          Object.entries(inputs).map(([input, value]) => [
            STARTUP_INPUTS[input as keyof typeof STARTUP_INPUTS].env,
            value,
          ]),
        ),
      },
      install,
      { ...machine, userData: USER_DATA },
    ),
  );

/** Browser mode's server and bench. */
const web = (flags: Inputs, env: Record<string, string> = {}) => webStartup(flags, env).decision;
/** The desktop app's server and bench. */
const desktop = (inputs: Inputs) => desktopStartup(inputs).decision;

const hosts = [
  ['browser mode', web],
  ['the desktop app', desktop],
] as const;

function credentialsOf(decision: StartupDecision) {
  if (decision.server !== 'given') throw new Error('the embedded default was chosen');
  return decision.credentials;
}

function refusal(start: () => unknown): string {
  try {
    start();
  } catch (error) {
    expect(error).toBeInstanceOf(StartupRefusal);
    return (error as Error).message;
  }
  throw new Error('the start-up was not refused');
}

describe.each(hosts)('%s starts', (_name, start) => {
  it('the embedded default with eight simulated keys when no server is named', () => {
    expect(DEFAULT_SIMULATED_KEYS).toBe(8);
    expect(start({})).toEqual({
      server: 'embedded',
      bench: { kind: 'simulated', keys: 8, slowMs: 0, keepsState: true },
    });
    // A token alone names no server: it is not a reason to refuse the demo.
    expect(start({ token: 't' }).server).toBe('embedded');
  });

  it('the embedded default with the keys and pace asked for, and with --bench simulated', () => {
    expect(start({ keys: '3', slow: '250', bench: 'simulated' })).toEqual({
      server: 'embedded',
      bench: { kind: 'simulated', keys: 3, slowMs: 250, keepsState: true },
    });
    expect(start({ keys: '0' }).bench).toMatchObject({ keys: 0 });
  });

  it('a given server with the real bench on the default license manager, the URL without trailing slashes', () => {
    expect(start({ server: `${SERVER}//`, token: 'tok' })).toEqual({
      server: 'given',
      serverUrl: SERVER,
      credentials: { token: 'tok' },
      bench: {
        kind: 'real',
        licenseManagerUrl: DEFAULT_LICENSE_MANAGER_URL,
        udevRulesPath: '/srv/keybench/resources/linux/70-guardant.rules',
      },
    });
    expect(DEFAULT_LICENSE_MANAGER_URL).toBe('http://127.0.0.1:3189');
    expect(start({ server: SERVER, token: 'tok', bench: 'real', lm: `${LM}/` }).bench).toMatchObject({
      kind: 'real',
      licenseManagerUrl: LM,
    });
  });

  it('a simulated bench against a given server, keeping its state unless another license manager writes', () => {
    expect(start({ server: SERVER, token: 'tok', bench: 'simulated', keys: '2' })).toEqual({
      server: 'given',
      serverUrl: SERVER,
      credentials: { token: 'tok' },
      bench: { kind: 'simulated', keys: 2, slowMs: 0, keepsState: true },
    });
    expect(start({ server: SERVER, token: 'tok', bench: 'simulated', lm: LM }).bench).toEqual({
      kind: 'simulated',
      keys: 8,
      slowMs: 0,
      licenseManagerUrl: LM,
      keepsState: false,
    });
  });

  it('treats blank inputs as unset', () => {
    expect(start({ server: '  ', bench: ' ', keys: '' })).toEqual(start({}));
  });
});

describe('refusals, in the words of the host that was given them', () => {
  it('a server that is not an http(s) URL', () => {
    expect(refusal(() => web({ server: 'station', token: 't' }))).toBe(
      '--server station is not an http(s) URL',
    );
    expect(refusal(() => desktop({ server: 'file:///etc/passwd' }))).toBe(
      'KEYBENCH_SERVER_URL=file:///etc/passwd is not an http(s) URL',
    );
    expect(refusal(() => web({ server: 'http://bad host', token: 't' }))).toMatch(
      /^--server http:\/\/bad host/,
    );
  });

  it('a license manager that is not an http(s) URL', () => {
    expect(refusal(() => web({ server: SERVER, token: 't', lm: 'ftp://x' }))).toBe(
      '--lm ftp://x is not an http(s) URL',
    );
    expect(refusal(() => desktop({ server: SERVER, lm: 'localhost:3189' }))).toBe(
      'KEYBENCH_LICENSE_MANAGER_URL=localhost:3189 is not an http(s) URL',
    );
  });

  it('a bench that is neither real nor simulated', () => {
    expect(refusal(() => web({ bench: 'virtual' }))).toBe('--bench is real or simulated, not virtual');
    expect(refusal(() => desktop({ bench: 'usb' }))).toBe('KEYBENCH_BENCH is real or simulated, not usb');
  });

  it('a key count or a pace out of range', () => {
    expect(refusal(() => web({ keys: '1001' }))).toBe('--keys 1001 is not 0–1000');
    expect(refusal(() => web({ keys: '-1' }))).toBe('--keys -1 is not 0–1000');
    expect(refusal(() => desktop({ keys: '2.5' }))).toBe('KEYBENCH_KEYS=2.5 is not 0–1000');
    expect(refusal(() => web({ slow: '60001' }))).toBe('--slow 60001 is not 0–60000 ms');
    expect(refusal(() => desktop({ slow: 'fast' }))).toBe('KEYBENCH_SLOW_MS=fast is not 0–60000 ms');
  });

  it('a server without a token in browser mode, which keeps a login typed in Settings in memory only', () => {
    expect(refusal(() => web({ server: SERVER }))).toBe('--server needs --token (or KEYBENCH_API_TOKEN)');
    // The environment's token stands in for --token.
    expect(credentialsOf(web({ server: SERVER }, { KEYBENCH_API_TOKEN: 'from-env' }))).toEqual({
      token: 'from-env',
    });
    // --token wins over the environment's.
    expect(credentialsOf(web({ server: SERVER, token: 'flag' }, { KEYBENCH_API_TOKEN: 'env' }))).toEqual({
      token: 'flag',
    });
  });

  it('a simulated bench on a server without a token, even in the desktop app', () => {
    // The desktop app seals a login typed in Settings: it may start on a server without a token.
    expect(credentialsOf(desktop({ server: SERVER }))).toEqual({});
    expect(refusal(() => desktop({ server: SERVER, bench: 'simulated' }))).toBe(
      `KEYBENCH_BENCH=simulated needs KEYBENCH_API_TOKEN: the simulated license manager records its writes on ${SERVER}`,
    );
  });

  it('a real bench or another license manager without a server', () => {
    expect(refusal(() => web({ bench: 'real' }))).toBe(
      "--bench real needs --server (the embedded default's bench is simulated)",
    );
    expect(refusal(() => desktop({ bench: 'real' }))).toBe(
      "KEYBENCH_BENCH=real needs KEYBENCH_SERVER_URL (the embedded default's bench is simulated)",
    );
    expect(refusal(() => web({ lm: LM }))).toBe(
      "--lm needs --server (the embedded default's bench has its own license manager)",
    );
    expect(refusal(() => desktop({ lm: LM }))).toBe(
      "KEYBENCH_LICENSE_MANAGER_URL needs KEYBENCH_SERVER_URL (the embedded default's bench has its own license manager)",
    );
  });

  it('simulated keys or pace asked of a real bench', () => {
    expect(refusal(() => web({ server: SERVER, token: 't', slow: '100' }))).toBe(
      '--slow applies to a simulated bench only',
    );
    expect(refusal(() => desktop({ server: SERVER, keys: '4' }))).toBe(
      'KEYBENCH_KEYS applies to a simulated bench only',
    );
    // Zero asks for nothing a real bench lacks.
    expect(web({ server: SERVER, token: 't', slow: '0', keys: '0' }).bench.kind).toBe('real');
  });
});

describe('where the udev rule is', () => {
  it("is the packaged app's resources folder when packaged, the checkout's otherwise", () => {
    const packaged = resolveStartup(
      requestFromEnv(
        { KEYBENCH_SERVER_URL: SERVER },
        { appRoot: '/opt/Keybench/resources/app.asar', packagedResources: '/opt/Keybench/resources' },
        { ...machine, userData: USER_DATA },
      ),
    ).decision;
    expect(packaged.bench).toMatchObject({ udevRulesPath: '/opt/Keybench/resources/udev/70-guardant.rules' });
  });
});

describe('the data folder', () => {
  it("is Electron's userData folder for the desktop app and ~/.local/share/keybench/station in browser mode", () => {
    expect(desktopStartup({}).dataDir).toBe(USER_DATA);
    expect(webStartup({}).dataDir).toBe('/home/op/.local/share/keybench/station');
  });

  it('follows XDG_DATA_HOME in browser mode, unless it is blank', () => {
    expect(webStartup({}, { XDG_DATA_HOME: '/data/xdg' }).dataDir).toBe('/data/xdg/keybench/station');
    expect(webStartup({}, { XDG_DATA_HOME: ' ' }).dataDir).toBe('/home/op/.local/share/keybench/station');
    // The desktop app's folder is Electron's to place.
    expect(desktopStartup({}, { XDG_DATA_HOME: '/data/xdg' }).dataDir).toBe(USER_DATA);
  });

  it('is the one named by --data or KEYBENCH_DATA_DIR, a relative one taken from the working folder', () => {
    for (const start of [webStartup, desktopStartup]) {
      expect(start({ data: '/srv/station-2' }).dataDir).toBe('/srv/station-2');
      expect(start({ data: 'profiles/b/' }).dataDir).toBe('/home/op/work/profiles/b');
      // Blank is unset: the default, not the working folder.
      expect(start({ data: '  ' }).dataDir).toBe(start({}).dataDir);
    }
  });

  it('is named with any server and bench choice, which it does not change', () => {
    const startup = webStartup({ data: '/srv/s', server: SERVER, token: 'tok' });
    expect(startup.dataDir).toBe('/srv/s');
    expect(startup.decision).toEqual(web({ server: SERVER, token: 'tok' }));
  });
});

describe("the station's name", () => {
  it("is the machine's name on the desktop and Bench 1 in browser mode, as before", () => {
    expect(desktopStartup({}).stationName).toBe('bench-pc-7');
    expect(webStartup({}).stationName).toBe('Bench 1');
  });

  it('is the one named by --name or KEYBENCH_STATION_NAME, trimmed; blank is unset', () => {
    expect(webStartup({ name: '  Line 3 ' }).stationName).toBe('Line 3');
    expect(desktopStartup({ name: 'Line 3' }).stationName).toBe('Line 3');
    expect(webStartup({ name: ' ' }).stationName).toBe('Bench 1');
    expect(desktopStartup({ name: '' }).stationName).toBe('bench-pc-7');
  });

  it('is refused when longer than Settings would save', () => {
    expect(webStartup({ name: 'x'.repeat(64) }).stationName).toHaveLength(64);
    expect(refusal(() => webStartup({ name: 'x'.repeat(65) }))).toBe('--name is longer than 64 characters');
    expect(refusal(() => desktopStartup({ name: 'x'.repeat(65) }))).toBe(
      'KEYBENCH_STATION_NAME is longer than 64 characters',
    );
  });
});

describe('the flag ↔ variable table', () => {
  it('pairs --data with KEYBENCH_DATA_DIR and --name with KEYBENCH_STATION_NAME', () => {
    expect(STARTUP_INPUTS.data).toEqual({ flag: '--data', env: 'KEYBENCH_DATA_DIR' });
    expect(STARTUP_INPUTS.name).toEqual({ flag: '--name', env: 'KEYBENCH_STATION_NAME' });
  });
});

describe('a request the host built wrong', () => {
  it('is a programming error, not an operator refusal', () => {
    expect(() => resolveStartup({ host: 'kiosk', inputs: {}, install, machine } as never)).toThrow(
      /start-up request/,
    );
    expect(() => resolveStartup({ host: 'kiosk', inputs: {}, install, machine } as never)).not.toThrow(
      StartupRefusal,
    );
  });

  it("is a desktop request without Electron's userData folder", () => {
    const request = { host: 'electron', inputs: {}, install, machine } as const;
    expect(() => resolveStartup(request)).toThrow(/userData/);
    expect(() => resolveStartup(request)).not.toThrow(StartupRefusal);
  });
});
