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
const SERVER = 'http://10.0.0.5:8780';
const LM = 'http://127.0.0.1:4111';

type Inputs = Partial<Record<keyof typeof STARTUP_INPUTS, string>>;

/** Browser mode started with these flags (and, for the token's fallback, this environment). */
const web = (flags: Inputs, env: Record<string, string> = {}) =>
  resolveStartup(requestFromFlags(flags, env, install));

/** The desktop app started with the same choices, as its environment variables. */
const desktop = (inputs: Inputs) =>
  resolveStartup(
    requestFromEnv(
      Object.fromEntries(
        Object.entries(inputs).map(([input, value]) => [
          STARTUP_INPUTS[input as keyof typeof STARTUP_INPUTS].env,
          value,
        ]),
      ),
      install,
    ),
  );

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
      ),
    );
    expect(packaged.bench).toMatchObject({ udevRulesPath: '/opt/Keybench/resources/udev/70-guardant.rules' });
  });
});

describe('a request the host built wrong', () => {
  it('is a programming error, not an operator refusal', () => {
    expect(() => resolveStartup({ host: 'kiosk', inputs: {}, install } as never)).toThrow(/start-up request/);
    expect(() => resolveStartup({ host: 'kiosk', inputs: {}, install } as never)).not.toThrow(StartupRefusal);
  });
});
