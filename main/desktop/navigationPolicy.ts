// What the renderer may navigate to, open outside the app, or be granted: decisions as pure functions of URLs.
import { isAppUrl } from './appScheme.js';

/** In-app navigation only: a page that tries to leave app://coffer is stopped (Electron security checklist, item 13). */
export function navigationAllowed(url: string): boolean {
  return isAppUrl(url);
}

/**
 * The URL to hand to the system browser for a link the page asked to open in a new window, or
 * undefined to drop it. Only https: without credentials in the URL. Other schemes are refused
 * because the OS passes them to whatever handler is registered: file: and smb: can launch
 * programs, custom schemes reach other apps' URL handlers, and http: would carry the user to an
 * unauthenticated page (Electron security checklist, item 15).
 */
export function externalUrlToOpen(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'https:' || parsed.username !== '' || parsed.password !== '' || parsed.hostname === '') return undefined;
  return parsed.href;
}

/**
 * Permissions the app's own page may have: only writing to the clipboard (copying a key id or a
 * fingerprint), and only from the app's main frame. Everything else is denied, whoever asks:
 * camera, microphone, geolocation, notifications (the main process shows those), USB, HID…
 * (Electron security checklist, item 5).
 */
export function permissionGranted(permission: string, requestingUrl: string | undefined, isMainFrame: boolean): boolean {
  return permission === 'clipboard-sanitized-write' && isMainFrame && requestingUrl !== undefined && isAppUrl(requestingUrl);
}
