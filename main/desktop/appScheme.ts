// The app's own origin, app://coffer: the scheme the renderer is served from, and the one test of "is this our page".
import type { Privileges } from 'electron';

export const APP_SCHEME = 'app';
export const APP_HOST = 'coffer';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/**
 * Registered before the app is ready. `standard` gives the scheme an origin, relative URLs and
 * storage; `secure` makes it a secure context like https; `supportFetchAPI` lets the page's module
 * scripts load. Never `bypassCSP` (the policy must apply) nor `corsEnabled`: the page only loads its
 * own files, and same-origin loads need no CORS (Electron security checklist, item 18: no file://).
 */
export const APP_SCHEME_PRIVILEGES: Privileges = { standard: true, secure: true, supportFetchAPI: true };

/**
 * True when `url` is on the app's origin: scheme `app:`, host exactly `coffer`, no port and no
 * credentials. Parsed with URL, never compared as a string prefix, so `app://coffer.evil/`,
 * `app://coffer@evil/` and `app://evil/coffer` are all refused; an unparsable URL is refused.
 */
export function isAppUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return parsed.protocol === `${APP_SCHEME}:` && parsed.hostname === APP_HOST && parsed.port === '' && parsed.username === '' && parsed.password === '';
}
