// Maps an app://coffer URL to a file inside the built renderer directory, refusing anything that could step outside it.
import { isAbsolute, join, relative, resolve } from 'node:path';
import { isAppUrl } from './appScheme.js';

export type AppPath = { kind: 'file'; path: string } | { kind: 'refused'; status: 400 | 403 | 404; reason: string };

/** Characters no renderer file name needs and that some file system reads as a separator, a device or a stream. */
const FORBIDDEN_IN_SEGMENT = /[/\\:\0]/;

/**
 * The file `requestUrl` names under `rootDir` ('/' is index.html; query and fragment are ignored).
 * Refused: another origin (403); a malformed escape (400); and (404) an empty segment, a segment that
 * starts with a dot (so `.`, `..` and hidden files), or one that holds `/`, `\`, `:` or NUL once
 * decoded, which catches `%2e%2e`, `..%2f` and `..%5c` whatever the URL parser left of them. Pure:
 * it does not look at the disk (the caller checks the file exists and resolves inside the root).
 */
export function resolveAppPath(requestUrl: string, rootDir: string): AppPath {
  if (!isAppUrl(requestUrl)) return { kind: 'refused', status: 403, reason: 'not the app origin' };
  const pathname = new URL(requestUrl).pathname;
  const raw = pathname === '/' || pathname === '' ? ['index.html'] : pathname.slice(1).split('/');
  const segments: string[] = [];
  for (const part of raw) {
    let segment: string;
    try {
      segment = decodeURIComponent(part);
    } catch {
      return { kind: 'refused', status: 400, reason: 'malformed escape in the path' };
    }
    if (segment === '' || segment.startsWith('.') || FORBIDDEN_IN_SEGMENT.test(segment)) {
      return { kind: 'refused', status: 404, reason: 'no such file' };
    }
    segments.push(segment);
  }
  const root = resolve(rootDir);
  const path = join(root, ...segments);
  // The checks above already keep the path inside the root; this states the invariant once more.
  const inside = relative(root, path);
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) return { kind: 'refused', status: 404, reason: 'no such file' };
  return { kind: 'file', path };
}
