// Maps an app://coffer URL to a file inside the built renderer directory, refusing anything that could step outside it.
import { isAbsolute, join, relative, resolve } from 'node:path';
import { rendererSegments } from '../agent/control/rendererFiles.js';
import { isAppUrl } from './appScheme.js';

export type AppPath = { kind: 'file'; path: string } | { kind: 'refused'; status: 400 | 403 | 404; reason: string };

/**
 * The file `requestUrl` names under `rootDir` ('/' is index.html; query and fragment are ignored).
 * Refused: another origin (403), and whatever rendererSegments refuses (400, 404). Pure: it does not
 * look at the disk (the caller checks the file exists and resolves inside the root).
 */
export function resolveAppPath(requestUrl: string, rootDir: string): AppPath {
  if (!isAppUrl(requestUrl)) return { kind: 'refused', status: 403, reason: 'not the app origin' };
  const named = rendererSegments(new URL(requestUrl).pathname);
  if (named.kind === 'refused') return named;
  const root = resolve(rootDir);
  const path = join(root, ...named.segments);
  // The checks above already keep the path inside the root; this states the invariant once more.
  const inside = relative(root, path);
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) return { kind: 'refused', status: 404, reason: 'no such file' };
  return { kind: 'file', path };
}
