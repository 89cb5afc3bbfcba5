// The built renderer's files, as both the agent (to a browser) and the desktop app (app://coffer) serve them.
import { realpath, stat } from 'node:fs/promises';
import { isAbsolute, relative } from 'node:path';

export const RENDERER_CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

/** Characters no renderer file name needs and that some file system reads as a separator, a device or a stream. */
const FORBIDDEN_IN_SEGMENT = /[/\\:\0]/;

export type RendererSegments = { kind: 'segments'; segments: string[] } | { kind: 'refused'; status: 400 | 404; reason: string };

/**
 * The path segments a URL path names under the renderer directory ('/' is index.html). Refused: a
 * malformed escape (400); and (404) an empty segment, a segment that starts with a dot (so `.`,
 * `..` and hidden files), or one that holds `/`, `\`, `:` or NUL once decoded, which catches
 * `%2e%2e`, `..%2f` and `..%5c` whatever the URL parser left of them. Pure: no disk access.
 */
export function rendererSegments(pathname: string): RendererSegments {
  const raw = pathname === '/' || pathname === '' ? ['index.html'] : pathname.slice(1).split('/');
  const segments: string[] = [];
  for (const part of raw) {
    let segment: string;
    try {
      segment = decodeURIComponent(part);
    } catch {
      return { kind: 'refused', status: 400, reason: 'malformed escape in the path' };
    }
    if (segment === '' || segment.startsWith('.') || FORBIDDEN_IN_SEGMENT.test(segment)) return { kind: 'refused', status: 404, reason: 'no such file' };
    segments.push(segment);
  }
  return { kind: 'segments', segments };
}

/** The real path of `path` when it is a regular file whose real location (after symbolic links) is inside `root`'s; otherwise undefined. */
export async function realFileInside(root: string, path: string): Promise<string | undefined> {
  try {
    const [realRoot, realFile] = await Promise.all([realpath(root), realpath(path)]);
    const inside = relative(realRoot, realFile);
    if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) return undefined;
    return (await stat(realFile)).isFile() ? realFile : undefined;
  } catch {
    return undefined;
  }
}
