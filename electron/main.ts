/**
 * The Electron shell: app lifecycle, the one window, and the Electron transport of the station
 * contract. Everything the station does lives in electron/core/ (host-agnostic); the policy this file
 * applies lives, testable without Electron, in electron/main/app-security.ts and app-protocol.ts.
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  protocol,
  safeStorage,
  session,
  type IpcMainInvokeEvent,
} from 'electron';
import { StationErrorCode, type IpcResult } from '../shared/ipc/result';
import { ELECTRON_EVENT_CHANNEL, ELECTRON_INVOKE_CHANNEL } from '../shared/ipc/preload-bridge';
import { createStation, type Station, type StationConfig } from './core/station';
import { serveAppRequest } from './main/app-protocol';
import {
  APP_ENTRY_URL,
  APP_SCHEME,
  REFUSED_SENDER_RESULT,
  isAppUrl,
  isTrustedIpcSender,
  secureWebPreferences,
} from './main/app-security';
import { hardenSession, hardenWebContents } from './main/hardening';
import { betterSqliteNativeBinding } from './main/native-binding';
import { createSafeStorageSecretStore } from './main/safe-storage-secrets';
import { claimDataDir } from './startup/claim-data-dir';
import { openBench } from './startup/open-bench';
import { resolveStartup, type ResolvedStartup } from './startup/resolve-startup';
import { requestFromEnv, thisMachine } from './startup/startup-request';

/** dist/electron/ in the work tree, app.asar/dist/electron/ when packaged. */
const bundleDir = dirname(fileURLToPath(import.meta.url));
const appRoot = resolve(bundleDir, '..', '..');
const rendererRoot = join(appRoot, 'dist', 'renderer');
const preloadPath = join(bundleDir, 'preload.cjs');

/**
 * The start-up the environment asks for (KEYBENCH_SERVER_URL…, KEYBENCH_DATA_DIR, by the rules browser
 * mode applies to its flags: electron/startup/), decided before 'ready' because the data folder is
 * Electron's userData, which must be set before then. A refusal waits for the error box (openStation).
 */
function decideStartup(): { startup: ResolvedStartup } | { refused: unknown } {
  try {
    return {
      startup: resolveStartup(
        requestFromEnv(
          process.env,
          { appRoot, ...(app.isPackaged ? { packagedResources: process.resourcesPath } : {}) },
          { ...thisMachine(), userData: app.getPath('userData') },
        ),
      ),
    };
  } catch (error) {
    return { refused: error };
  }
}
const decided = decideStartup();
// A test or a second station profile can run from its own folder (the e2e spec gives each run one).
if ('startup' in decided && decided.startup.dataDir !== app.getPath('userData')) {
  app.setPath('userData', decided.startup.dataDir);
}

// Before 'ready': every renderer sandboxed, and app:// a standard, secure origin of its own.
app.enableSandbox();
protocol.registerSchemesAsPrivileged([
  {
    scheme: APP_SCHEME,
    privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true, codeCache: true },
  },
]);

let mainWindow: BrowserWindow | null = null;
let station: Station | null = null;
/** Undone last-first at quit: the IPC binding, then the station, then the embedded server. */
const cleanups: (() => Promise<void> | void)[] = [];

function log(message: string, error?: unknown): void {
  console.error(`[keybench] ${message}`, ...(error === undefined ? [] : [error]));
}

/** Opens the station on the embedded default, or on the server and bench the environment names. */
async function openStation(): Promise<Station> {
  // First of all, before the data folder is touched: a start-up the environment cannot have is refused
  // in the error box, in the variables' names.
  if ('refused' in decided) throw decided.refused;
  const { dataDir, stationName, decision } = decided.startup;
  // The embedded server and the keys' memory live in this folder too, and a second station (browser
  // mode pointed here) must be refused before any of them is opened.
  const dataDirLock = claimDataDir(dataDir);
  // Undone last: the station releases it when it closes; this covers a start that failed before.
  cleanups.push(() => dataDirLock.release());
  const nativeBinding = betterSqliteNativeBinding(appRoot, app.isPackaged);

  const started = await openBench(decision, {
    dataDir,
    ...(nativeBinding === undefined ? {} : { nativeBinding }),
    warn: (message) => log(message),
  });
  cleanups.push(() => started.close());
  const { serverUrl, credentials, bench } = started;

  const config: StationConfig = {
    dataDir,
    dataDirLock,
    host: 'electron',
    serverUrl,
    credentials,
    bench,
    secretStore: createSafeStorageSecretStore(safeStorage),
    stationName,
    version: app.getVersion(),
    nativeBinding,
    log,
  };
  const opened = await createStation(config);
  cleanups.push(() => opened.close());
  return opened;
}

/** The contract over ipcMain: one handler, the sender checked before anything is dispatched. */
function bindContract(open: Station): void {
  ipcMain.handle(
    ELECTRON_INVOKE_CHANNEL,
    async (event: IpcMainInvokeEvent, channel: unknown, request: unknown): Promise<IpcResult<unknown>> => {
      if (!isTrustedSender(event)) {
        log(
          `refused IPC ${String(channel).slice(0, 64)} from ${event.senderFrame?.url ?? 'a destroyed frame'}`,
        );
        return REFUSED_SENDER_RESULT;
      }
      try {
        return await open.dispatch(channel, request);
      } catch (error) {
        log('dispatch failed', error);
        return {
          ok: false,
          error: { code: StationErrorCode.Internal, message: 'The station failed on this request.' },
        };
      }
    },
  );
  cleanups.push(() => ipcMain.removeHandler(ELECTRON_INVOKE_CHANNEL));

  const offEvents = open.events.onAny((event, payload) => {
    const contents = mainWindow && !mainWindow.isDestroyed() ? mainWindow.webContents : null;
    // Pushed to our own page only: never to whatever a window might show after a failed navigation.
    if (contents && !contents.isDestroyed() && isAppUrl(contents.getURL())) {
      contents.send(ELECTRON_EVENT_CHANNEL, event, payload);
    }
  });
  cleanups.push(offEvents);
}

function isTrustedSender(event: IpcMainInvokeEvent): boolean {
  const frame = event.senderFrame;
  const top = event.sender.mainFrame;
  return isTrustedIpcSender({
    frameExists: frame !== null && !frame.isDestroyed(),
    isMainFrame:
      frame !== null &&
      frame.parent === null &&
      (frame === top || frame.frameTreeNodeId === top.frameTreeNodeId),
    isStationWindow:
      mainWindow !== null && !mainWindow.isDestroyed() && event.sender === mainWindow.webContents,
    frameUrl: frame?.url ?? '',
  });
}

async function createWindow(): Promise<void> {
  const win = new BrowserWindow({
    title: 'Keybench',
    width: 1360,
    height: 860,
    minWidth: 1024,
    minHeight: 640,
    show: false,
    webPreferences: secureWebPreferences(preloadPath, { devTools: !app.isPackaged }),
  });
  mainWindow = win;
  win.once('ready-to-show', () => win.show());
  win.on('closed', () => {
    if (mainWindow === win) mainWindow = null;
  });
  await win.loadURL(APP_ENTRY_URL);
}

let shutDown = false;
async function shutdown(): Promise<void> {
  for (const cleanup of cleanups.splice(0).reverse()) {
    try {
      await cleanup();
    } catch (error) {
      log('shutdown step failed', error);
    }
  }
}

function explainStartFailure(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/NODE_MODULE_VERSION|was compiled against a different Node\.js version/.test(message)) {
    return (
      'The SQLite module is built for Node.js, not for Electron. Run "npm run build:electron-native" ' +
      `and start again.\n\n${message}`
    );
  }
  return message;
}

async function start(): Promise<void> {
  await app.whenReady();
  hardenSession(session.defaultSession);
  protocol.handle(APP_SCHEME, (request) => serveAppRequest(rendererRoot, request));
  try {
    station = await openStation();
  } catch (error) {
    log('the station could not start', error);
    dialog.showErrorBox('Keybench could not start', explainStartFailure(error));
    await shutdown();
    app.exit(1);
    return;
  }
  bindContract(station);
  await createWindow();
}

if (!app.requestSingleInstanceLock()) {
  // Another Keybench owns this data folder (its SQLite files, the bench): hand over to it.
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));
  app.on('window-all-closed', () => app.quit());
  app.on('activate', () => {
    if (station && !mainWindow) void createWindow();
  });
  app.on('will-quit', (event) => {
    if (shutDown) return;
    // Close the outbox, the database and the embedded server before the process goes.
    event.preventDefault();
    void shutdown().finally(() => {
      shutDown = true;
      app.quit();
    });
  });
  start().catch((error: unknown) => {
    log('startup failed', error);
    dialog.showErrorBox('Keybench could not start', explainStartFailure(error));
    app.exit(1);
  });
}
