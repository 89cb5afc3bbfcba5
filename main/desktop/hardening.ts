// Electron's side of the hardening: one hook on every web contents, and the session's permission handlers.
import { app, shell, type Session } from 'electron';
import { externalUrlToOpen, navigationAllowed, permissionGranted } from './navigationPolicy.js';

/**
 * Registers the one `web-contents-created` hook: navigation away from the app origin and redirects
 * are stopped, <webview> is never attached, and every new window is denied (Electron security
 * checklist items 12, 13, 14). A new window for an
 * https: link opens in the system browser instead (externalUrlToOpen says why only https:).
 */
export function guardEveryWebContents(): void {
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event) => {
      if (!navigationAllowed(event.url)) event.preventDefault();
    });
    contents.on('will-frame-navigate', (event) => {
      if (!navigationAllowed(event.url)) event.preventDefault();
    });
    contents.on('will-redirect', (event) => {
      if (!navigationAllowed(event.url)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      const external = externalUrlToOpen(url);
      // Reviewed: only an https: URL, parsed and re-serialised by externalUrlToOpen, reaches the OS.
      if (external !== undefined) void shell.openExternal(external); // eng-disable OPEN_EXTERNAL_JS_CHECK
      return { action: 'deny' };
    });
  });
}

/** Denies every permission the page asks for or is checked for, but those permissionGranted allows; no device access at all. */
export function denyPermissions(session: Session): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    callback(permissionGranted(permission, details.requestingUrl, details.isMainFrame));
  });
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin, details) =>
    permissionGranted(permission, details.requestingUrl ?? requestingOrigin, details.isMainFrame),
  );
  session.setDevicePermissionHandler(() => false);
}
