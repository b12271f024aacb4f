import { StationErrorCode, type IpcResult } from '../../shared/ipc/result';

/**
 * The Electron shell's security policy as plain data and predicates. Nothing here imports Electron, so
 * the policy is unit-tested under Node (tests/electron-shell/) and main.ts only applies it.
 */

/** The renderer is served from app://keybench/, a privileged scheme of our own (see app-protocol.ts). */
export const APP_SCHEME = 'app';
export const APP_HOST = 'keybench';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/**
 * The renderer's webPreferences. The renderer is a web page and nothing more: no Node, an isolated
 * preload world, Chromium's sandbox, and no way to open other content inside it.
 */
export function secureWebPreferences(preload: string, options: { devTools: boolean }) {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    spellcheck: false,
    safeDialogs: true,
    devTools: options.devTools,
  } as const;
}

/**
 * The policy every app:// response carries. The renderer talks to the station through the preload
 * bridge only, so it needs no network at all: connect-src falls back to 'self'. It matches the
 * browser-mode host's policy (electron/web-host/web-server.ts) less the WebSocket.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');

/**
 * True for a URL of the app's own origin. Compared by scheme and host, not URL.origin: WHATWG URL
 * gives "null" as the origin of any scheme it does not know, ours included.
 */
export function isAppUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return (
    parsed.protocol === `${APP_SCHEME}:` &&
    parsed.host === APP_HOST &&
    parsed.username === '' &&
    parsed.password === '' &&
    parsed.port === ''
  );
}

/** What main knows about the frame an IPC message came from. */
export interface IpcSenderFacts {
  /** The sending frame still exists (a frame that navigated away or was closed has none). */
  frameExists: boolean;
  /** The frame is its page's top frame: senderFrame === sender.mainFrame and it has no parent. */
  isMainFrame: boolean;
  /** The webContents is the station window's, not DevTools' or any other. */
  isStationWindow: boolean;
  /** The frame's current URL. */
  frameUrl: string;
}

/**
 * The gate in front of every IPC call (VS Code's electron-main/ipcMain.ts does the same): only the
 * station window's top frame, showing our own app:// page, may reach the station. Sub-frames,
 * DevTools, another window and any page that was navigated elsewhere are refused before dispatch.
 */
export function isTrustedIpcSender(facts: IpcSenderFacts): boolean {
  return facts.frameExists && facts.isMainFrame && facts.isStationWindow && isAppUrl(facts.frameUrl);
}

/** A navigation is allowed only within our own origin (a reload, a hash change). */
export function isAllowedNavigation(url: string): boolean {
  return isAppUrl(url);
}

/** The answer to a refused IPC sender: an error value with a code, like every other failure. */
export const REFUSED_SENDER_RESULT: IpcResult<never> = {
  ok: false,
  error: {
    code: StationErrorCode.Forbidden,
    message: 'IPC refused: only the Keybench window itself may call the station',
  },
};

/**
 * Requests the renderer's session may make at all: its own app:// files, data: images, DevTools in
 * development. Everything else (http, https, ws, file) is cancelled, so even a script that slipped
 * past the CSP has no network to reach.
 */
export function isAllowedRendererRequest(url: string): boolean {
  if (isAppUrl(url)) return true;
  return /^(data|devtools|blob):/i.test(url);
}
