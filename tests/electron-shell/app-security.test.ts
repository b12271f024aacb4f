import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  APP_ENTRY_URL,
  APP_ORIGIN,
  CONTENT_SECURITY_POLICY,
  REFUSED_SENDER_RESULT,
  isAllowedNavigation,
  isAllowedRendererRequest,
  isAppUrl,
  isTrustedIpcSender,
  secureWebPreferences,
  type IpcSenderFacts,
} from '../../electron/main/app-security';

describe('the renderer webPreferences', () => {
  const prefs = secureWebPreferences('/app/dist/electron/preload.cjs', { devTools: false });

  it('isolate the renderer from Node and Electron', () => {
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      preload: '/app/dist/electron/preload.cjs',
      devTools: false,
    });
  });

  it('are the only webPreferences main.ts gives a window, and nothing there turns a protection off', () => {
    const main = readFileSync(new URL('../../electron/main.ts', import.meta.url), 'utf8');
    expect(main).toMatch(/webPreferences: secureWebPreferences\(preloadPath/);
    expect(main.match(/new BrowserWindow\(/g)).toHaveLength(1);
    expect(main.match(/webPreferences/g)).toHaveLength(1);
    for (const weakening of [
      /nodeIntegration\s*:\s*true/,
      /contextIsolation\s*:\s*false/,
      /sandbox\s*:\s*false/,
      /webSecurity\s*:\s*false/,
      /allowRunningInsecureContent\s*:\s*true/,
      /webviewTag\s*:\s*true/,
      /shell\.openExternal/,
    ]) {
      expect(main).not.toMatch(weakening);
    }
  });
});

describe('the content security policy', () => {
  const directives = new Map(
    CONTENT_SECURITY_POLICY.split(';').map((d) => {
      const [name, ...values] = d.trim().split(/\s+/);
      return [name!, values.join(' ')];
    }),
  );

  it('allows our own scripts and styles only, and nothing inline or remote', () => {
    expect(directives.get('default-src')).toBe("'self'");
    expect(directives.get('script-src')).toBe("'self'");
    expect(directives.get('style-src')).toBe("'self'");
    expect(directives.get('object-src')).toBe("'none'");
    expect(directives.get('base-uri')).toBe("'none'");
    expect(directives.get('frame-ancestors')).toBe("'none'");
    expect(directives.get('form-action')).toBe("'none'");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-(inline|eval)|https?:|ws:|\*/);
  });

  it('opens no network to the renderer: connect-src falls back to self', () => {
    expect(directives.has('connect-src')).toBe(false);
  });
});

describe('the app origin', () => {
  it.each([
    [APP_ENTRY_URL, true],
    [`${APP_ORIGIN}/`, true],
    [`${APP_ORIGIN}/assets/index-abc.js`, true],
    [`${APP_ORIGIN}/index.html#/bench`, true],
    ['app://other/index.html', false],
    ['app://keybench:8080/index.html', false],
    ['app://user@keybench/index.html', false],
    ['https://keybench/index.html', false],
    ['file:///opt/Keybench/resources/app.asar/dist/renderer/index.html', false],
    ['devtools://devtools/bundled/devtools_app.html', false],
    ['about:blank', false],
    ['not a url', false],
    ['', false],
  ])('%s → %s', (url, expected) => {
    expect(isAppUrl(url)).toBe(expected);
  });
});

describe('the IPC sender check', () => {
  const trusted: IpcSenderFacts = {
    frameExists: true,
    isMainFrame: true,
    isStationWindow: true,
    frameUrl: APP_ENTRY_URL,
  };

  it('accepts the station window’s top frame showing our page', () => {
    expect(isTrustedIpcSender(trusted)).toBe(true);
    expect(isTrustedIpcSender({ ...trusted, frameUrl: `${APP_ORIGIN}/index.html#settings` })).toBe(true);
  });

  it.each<[string, Partial<IpcSenderFacts>]>([
    ['a sub-frame, even of our own origin', { isMainFrame: false }],
    ['a frame that is gone', { frameExists: false }],
    ['another webContents', { isStationWindow: false }],
    ['DevTools', { frameUrl: 'devtools://devtools/bundled/devtools_app.html' }],
    ['a page of another origin', { frameUrl: 'https://evil.example/' }],
    [
      'a file:// page, whatever its path',
      { frameUrl: 'file:///opt/Keybench/resources/app.asar/dist/renderer/index.html' },
    ],
    ['another file:// path', { frameUrl: 'file:///tmp/payload.html' }],
    ['another app:// host', { frameUrl: 'app://other/index.html' }],
    ['about:blank', { frameUrl: 'about:blank' }],
  ])('refuses %s', (_name, change) => {
    expect(isTrustedIpcSender({ ...trusted, ...change })).toBe(false);
  });

  it('answers a refused sender with an error value the renderer can read', () => {
    expect(REFUSED_SENDER_RESULT).toEqual({
      ok: false,
      error: { code: 'FORBIDDEN', message: expect.stringContaining('refused') },
    });
  });
});

describe('navigation and requests', () => {
  it('lets the window move within our origin only', () => {
    expect(isAllowedNavigation(`${APP_ORIGIN}/index.html#orders`)).toBe(true);
    expect(isAllowedNavigation('https://guardant.example/')).toBe(false);
    expect(isAllowedNavigation('file:///etc/passwd')).toBe(false);
    expect(isAllowedNavigation('javascript:alert(1)')).toBe(false);
  });

  it('cancels every renderer request that would leave the app', () => {
    expect(isAllowedRendererRequest(`${APP_ORIGIN}/assets/index.js`)).toBe(true);
    expect(isAllowedRendererRequest('data:image/png;base64,AAAA')).toBe(true);
    expect(isAllowedRendererRequest(`blob:${APP_ORIGIN}/0b5a`)).toBe(true);
    expect(isAllowedRendererRequest('devtools://devtools/bundled/devtools_app.html')).toBe(true);
    for (const url of [
      'https://example.com/',
      'http://127.0.0.1:8780/v1.0/orders',
      'ws://127.0.0.1:1/ipc',
      'file:///etc/passwd',
    ]) {
      expect(isAllowedRendererRequest(url)).toBe(false);
    }
  });
});
