import type { Session, WebContents } from 'electron';
import { APP_ORIGIN, isAllowedNavigation, isAllowedRendererRequest } from './app-security';

/**
 * Session-wide refusals (Electron's security checklist): no permission is ever granted, no device is
 * handed to a page (the station reaches USB from main, never through WebUSB/WebHID), no request leaves
 * for the network, and only files the renderer itself made (blob: of our origin, the shift-log CSV)
 * may be downloaded.
 */
export function hardenSession(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
  session.webRequest.onBeforeRequest((details, callback) => {
    callback({ cancel: !isAllowedRendererRequest(details.url) });
  });
  session.on('will-download', (event, item) => {
    if (!item.getURL().startsWith(`blob:${APP_ORIGIN}/`)) event.preventDefault();
  });
}

/**
 * Applied to every webContents the app ever creates (the window, DevTools, anything a bug might open):
 * no new windows, no navigation away from our own origin in any frame, no <webview>.
 */
export function hardenWebContents(contents: WebContents): void {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-navigate', (event, url) => {
    if (!isAllowedNavigation(url)) event.preventDefault();
  });
  contents.on('will-frame-navigate', (event) => {
    if (!isAllowedNavigation(event.url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAllowedNavigation(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}
