/**
 * electron/main.ts run for real under a stand-in for the 'electron' module: the embedded default, the
 * station and the contract start as they would in Electron, and the test plays the parts Chromium
 * would (frames, navigations, permission prompts) against the handlers main.ts installed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ELECTRON_EVENT_CHANNEL, ELECTRON_INVOKE_CHANNEL } from '../../shared/ipc/preload-bridge';

type Listener = (...args: any[]) => any;

const fake = vi.hoisted(() => {
  class Emitter {
    readonly listeners = new Map<string, Listener[]>();
    on(event: string, listener: Listener) {
      this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
      return this;
    }
    once(event: string, listener: Listener) {
      return this.on(event, listener);
    }
    emit(event: string, ...args: any[]) {
      for (const listener of this.listeners.get(event) ?? []) listener(...args);
    }
  }

  const frame = (url: () => string, parent: object | null, id: number) => ({
    get url() {
      return url();
    },
    parent,
    frameTreeNodeId: id,
    isDestroyed: () => false,
  });

  class FakeWebContents extends Emitter {
    url = '';
    readonly sent: [string, ...unknown[]][] = [];
    readonly mainFrame = frame(() => this.url, null, 1);
    windowOpenHandler: Listener | null = null;
    send(channel: string, ...args: unknown[]) {
      this.sent.push([channel, ...args]);
    }
    getURL() {
      return this.url;
    }
    isDestroyed() {
      return false;
    }
    setWindowOpenHandler(handler: Listener) {
      this.windowOpenHandler = handler;
    }
  }

  class FakeBrowserWindow extends Emitter {
    static all: FakeBrowserWindow[] = [];
    readonly webContents = new FakeWebContents();
    constructor(readonly options: any) {
      super();
      FakeBrowserWindow.all.push(this);
    }
    async loadURL(url: string) {
      this.webContents.url = url;
      this.emit('ready-to-show');
    }
    isDestroyed() {
      return false;
    }
    isMinimized() {
      return false;
    }
    show() {}
    focus() {}
    restore() {}
  }

  const session = {
    permissionRequestHandler: null as Listener | null,
    permissionCheckHandler: null as Listener | null,
    devicePermissionHandler: null as Listener | null,
    beforeRequest: null as Listener | null,
    emitter: new Emitter(),
    setPermissionRequestHandler(h: Listener) {
      this.permissionRequestHandler = h;
    },
    setPermissionCheckHandler(h: Listener) {
      this.permissionCheckHandler = h;
    },
    setDevicePermissionHandler(h: Listener) {
      this.devicePermissionHandler = h;
    },
    webRequest: {
      onBeforeRequest(h: Listener) {
        session.beforeRequest = h;
      },
    },
    on(event: string, listener: Listener) {
      session.emitter.on(event, listener);
    },
  };

  const app = Object.assign(new Emitter(), {
    paths: new Map<string, string>(),
    isPackaged: true,
    sandboxEnabled: false,
    quit: vi.fn(),
    exit: vi.fn(),
    setPath(name: string, value: string) {
      this.paths.set(name, value);
    },
    getPath(name: string) {
      return this.paths.get(name) ?? join(tmpdir(), 'unused');
    },
    getVersion: () => '9.9.9-test',
    enableSandbox() {
      this.sandboxEnabled = true;
    },
    requestSingleInstanceLock: () => true,
    whenReady: () => Promise.resolve(),
  });

  return {
    Emitter,
    FakeWebContents,
    FakeBrowserWindow,
    frame,
    session,
    app,
    ipcHandlers: new Map<string, Listener>(),
    schemes: [] as any[],
    protocolHandlers: new Map<string, Listener>(),
    errorBoxes: [] as [string, string][],
  };
});

vi.mock('electron', () => ({
  app: fake.app,
  BrowserWindow: fake.FakeBrowserWindow,
  dialog: { showErrorBox: (title: string, body: string) => fake.errorBoxes.push([title, body]) },
  ipcMain: {
    handle: (channel: string, handler: Listener) => fake.ipcHandlers.set(channel, handler),
    removeHandler: (channel: string) => fake.ipcHandlers.delete(channel),
  },
  protocol: {
    registerSchemesAsPrivileged: (schemes: any[]) => fake.schemes.push(...schemes),
    handle: (scheme: string, handler: Listener) => fake.protocolHandlers.set(scheme, handler),
  },
  safeStorage: {
    isEncryptionAvailable: () => true,
    getSelectedStorageBackend: () => 'gnome_libsecret',
    encryptString: (plain: string) => Buffer.from(plain).reverse(),
    decryptString: (sealed: Buffer) => Buffer.from(sealed).reverse().toString(),
  },
  session: { defaultSession: fake.session },
}));

let dataDir: string;
let win: InstanceType<typeof fake.FakeBrowserWindow>;

/** An invoke event as Electron builds it, from a frame of the test's choosing. */
function invokeEvent(options: { sender?: InstanceType<typeof fake.FakeWebContents>; frame?: any } = {}) {
  const sender = options.sender ?? win.webContents;
  return { sender, senderFrame: options.frame === undefined ? sender.mainFrame : options.frame };
}

async function invoke(channel: unknown, request: unknown, event = invokeEvent()) {
  const handler = fake.ipcHandlers.get(ELECTRON_INVOKE_CHANNEL);
  if (!handler) throw new Error('main.ts bound no invoke handler');
  return handler(event, channel, request);
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'keybench-main-'));
  process.env.KEYBENCH_DATA_DIR = dataDir;
  delete process.env.KEYBENCH_SERVER_URL;
  delete process.env.KEYBENCH_STATION_NAME;
  await import('../../electron/main');
  await vi.waitFor(
    () => {
      expect(fake.errorBoxes).toEqual([]);
      expect(fake.FakeBrowserWindow.all).toHaveLength(1);
      expect(fake.FakeBrowserWindow.all[0]!.webContents.url).not.toBe('');
    },
    { timeout: 30_000, interval: 50 },
  );
  win = fake.FakeBrowserWindow.all[0]!;
  // The embedded default's demo keys, once the simulated license manager has read them.
  await vi.waitFor(async () => expect((await invoke('keys:list', {})).value).toHaveLength(8), {
    timeout: 30_000,
    interval: 100,
  });
}, 60_000);

afterAll(async () => {
  // The app quitting: main.ts holds the quit until the station and the embedded server are closed.
  const preventDefault = vi.fn();
  fake.app.emit('will-quit', { preventDefault });
  expect(preventDefault).toHaveBeenCalled();
  await vi.waitFor(() => expect(fake.app.quit).toHaveBeenCalled(), { timeout: 20_000 });
  expect(fake.ipcHandlers.has(ELECTRON_INVOKE_CHANNEL)).toBe(false);
  rmSync(dataDir, { recursive: true, force: true });
});

describe('before ready', () => {
  it('puts the data in the folder it was given, sandboxes every renderer and registers app://', () => {
    expect(fake.app.paths.get('userData')).toBe(dataDir);
    expect(fake.app.sandboxEnabled).toBe(true);
    expect(fake.schemes).toEqual([
      expect.objectContaining({
        scheme: 'app',
        privileges: expect.objectContaining({ standard: true, secure: true }),
      }),
    ]);
  });
});

describe('the window', () => {
  it('is the one sandboxed, isolated window showing our app:// page', () => {
    expect(win.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
      devTools: false,
    });
    expect(win.options.webPreferences.preload).toMatch(/preload\.cjs$/);
    expect(win.webContents.url).toBe('app://keybench/index.html');
    expect(fake.protocolHandlers.has('app')).toBe(true);
  });

  it('refuses new windows, foreign navigation and <webview> in every webContents', () => {
    const contents = new fake.FakeWebContents();
    fake.app.emit('web-contents-created', {}, contents);
    expect(contents.windowOpenHandler!({ url: 'https://example.com/' })).toEqual({ action: 'deny' });

    const navigate = (event: string, url: string) => {
      const e = { preventDefault: vi.fn(), url };
      contents.emit(event, e, url);
      return e.preventDefault.mock.calls.length > 0;
    };
    expect(navigate('will-navigate', 'https://example.com/')).toBe(true);
    expect(navigate('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(navigate('will-navigate', 'app://keybench/index.html#orders')).toBe(false);
    expect(navigate('will-frame-navigate', 'https://example.com/')).toBe(true);
    expect(navigate('will-redirect', 'http://127.0.0.1:1/')).toBe(true);
    expect(navigate('will-attach-webview', 'app://keybench/')).toBe(true);
  });
});

describe('the session', () => {
  it('grants no permission and no device', () => {
    const answer = vi.fn();
    fake.session.permissionRequestHandler!(win.webContents, 'media', answer);
    expect(answer).toHaveBeenCalledWith(false);
    expect(fake.session.permissionCheckHandler!(win.webContents, 'usb')).toBe(false);
    expect(fake.session.devicePermissionHandler!({ deviceType: 'usb' })).toBe(false);
  });

  it('lets no request leave for the network', () => {
    const decide = (url: string) => {
      let verdict: any;
      fake.session.beforeRequest!({ url }, (v: any) => (verdict = v));
      return verdict;
    };
    expect(decide('https://example.com/x.js')).toEqual({ cancel: true });
    expect(decide('http://127.0.0.1:8780/v1.0/orders')).toEqual({ cancel: true });
    expect(decide('app://keybench/assets/index.js')).toEqual({ cancel: false });
  });

  it('downloads only what the page itself made (the shift-log CSV)', () => {
    const download = (url: string) => {
      const event = { preventDefault: vi.fn() };
      fake.session.emitter.emit('will-download', event, { getURL: () => url });
      return event.preventDefault.mock.calls.length === 0;
    };
    expect(download('blob:app://keybench/2d1c')).toBe(true);
    expect(download('https://example.com/payload.exe')).toBe(false);
  });
});

describe('the contract over IPC', () => {
  it('answers the station window’s top frame from the running station', async () => {
    const result = await invoke('station:info', {});
    expect(result).toMatchObject({
      ok: true,
      value: { host: 'electron', bench: 'simulated', version: '9.9.9-test' },
    });
  });

  it("goes by the machine's name when KEYBENCH_STATION_NAME names none", async () => {
    expect(await invoke('station:info', {})).toMatchObject({ value: { stationName: hostname() } });
  });

  it('keeps credentials with safeStorage', async () => {
    expect(await invoke('settings:get', {})).toMatchObject({
      ok: true,
      value: { credentialStore: 'safeStorage' },
    });
  });

  it('answers an unknown channel and a malformed request with typed errors', async () => {
    expect(await invoke('fs:readFile', { path: '/etc/passwd' })).toMatchObject({
      ok: false,
      error: { code: 'UNKNOWN_CHANNEL' },
    });
    expect(await invoke('orders:get', { orderId: -1 })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_REQUEST' },
    });
  });

  it('refuses sub-frames, DevTools, other webContents and pages that are not ours before dispatch', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    const subFrame = fake.frame(() => 'app://keybench/index.html', win.webContents.mainFrame, 2);
    const devtools = new fake.FakeWebContents();
    devtools.url = 'devtools://devtools/bundled/devtools_app.html';
    const impostor = new fake.FakeWebContents();
    impostor.url = 'app://keybench/index.html';
    const foreignTop = fake.frame(() => 'https://evil.example/', null, 1);

    for (const event of [
      invokeEvent({ frame: subFrame }),
      invokeEvent({ sender: devtools }),
      invokeEvent({ sender: impostor }),
      invokeEvent({ frame: foreignTop }),
      invokeEvent({ frame: null }),
    ]) {
      expect(await invoke('bench:simulate', { action: 'plug', count: 1 }, event)).toEqual({
        ok: false,
        error: { code: 'FORBIDDEN', message: expect.stringContaining('refused') },
      });
    }
    // None of them plugged a key, and each refusal was logged.
    const keys = await invoke('keys:list', {});
    expect(keys.ok && keys.value).toHaveLength(8);
    expect(logged).toHaveBeenCalledTimes(5);
    expect(logged.mock.calls.map(([line]) => line).join('\n')).toContain('devtools://');
    logged.mockRestore();
  });

  it('forwards station events to the window', async () => {
    win.webContents.sent.length = 0;
    const plugged = await invoke('bench:simulate', { action: 'plug', count: 2 });
    expect(plugged).toMatchObject({ ok: true });
    await vi.waitFor(
      () => {
        const pushes = win.webContents.sent.filter(
          ([channel, event]) => channel === ELECTRON_EVENT_CHANNEL && event === 'keys:changed',
        );
        expect(pushes.length).toBeGreaterThan(0);
        expect(pushes.at(-1)![2]).toHaveLength(10);
      },
      { timeout: 30_000 },
    ); // the keys are read through the license manager: 1 s is not enough under load
  });
});
