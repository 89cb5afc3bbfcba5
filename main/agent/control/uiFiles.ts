// The built renderer (dist/renderer) served read-only to a browser on loopback: GET and HEAD, no directory walks.
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname, extname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { uiResponseHeaders } from './uiHeaders.js';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.woff2': 'font/woff2',
};

/** dist/renderer of this package, found from this module whether it runs from dist/ or from its source. */
export function defaultUiDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) return join(process.cwd(), 'dist', 'renderer');
    dir = parent;
  }
  return join(dir, 'dist', 'renderer');
}

/**
 * The file under `root` a URL path names, or undefined: only plain names of known types, no
 * dot-files, no `..`, no encoded separators, and nothing a symbolic link takes outside the root.
 * `/` is index.html (the UI routes with the URL's fragment, so no other path falls back to it).
 */
export function resolveUiFile(root: string, urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  const relative = decoded === '/' ? 'index.html' : decoded.slice(1);
  const parts = relative.split('/');
  if (parts.some((part) => part === '' || part.startsWith('.') || part.includes('\\') || part.includes('\0'))) return undefined;
  if (!(extname(relative) in CONTENT_TYPES)) return undefined;
  try {
    const realRoot = realpathSync(root);
    const real = realpathSync(join(realRoot, ...parts));
    if (!real.startsWith(realRoot + sep) || !statSync(real).isFile()) return undefined;
    return real;
  } catch {
    return undefined;
  }
}

/** Answers a GET or HEAD for the UI; false when the request is not one (the caller answers it). */
export function serveUiFile(req: IncomingMessage, res: ServerResponse, root: string, pathname: string): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  const file = resolveUiFile(root, pathname);
  if (!file) {
    const body = existsSync(join(root, 'index.html')) ? 'Not found' : 'The UI is not built: run npm run build';
    res.writeHead(404, uiResponseHeaders('text/plain; charset=utf-8'));
    res.end(req.method === 'HEAD' ? undefined : body);
    return true;
  }
  const body = readFileSync(file);
  res.writeHead(200, { ...uiResponseHeaders(CONTENT_TYPES[extname(file)]!), 'Content-Length': String(body.length) });
  res.end(req.method === 'HEAD' ? undefined : body);
  return true;
}
