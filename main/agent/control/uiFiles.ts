// The built renderer (dist/renderer) served read-only to a browser on loopback: GET and HEAD, no directory walks.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { realFileInside, RENDERER_CONTENT_TYPES, rendererSegments } from './rendererFiles.js';
import { uiResponseHeaders } from './uiHeaders.js';

const TEXT = 'text/plain; charset=utf-8';

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

function answer(req: IncomingMessage, res: ServerResponse, status: number, body: string | Buffer, contentType: string): void {
  res.writeHead(status, { ...uiResponseHeaders(contentType), 'Content-Length': String(Buffer.byteLength(body)) });
  res.end(req.method === 'HEAD' ? undefined : body);
}

/**
 * Answers a GET or HEAD for the UI; false when the request is not one (the caller answers it). A
 * path rendererSegments refuses gets its status; a missing file, or one whose real path leaves
 * `root`, gets 404 (the UI routes with the URL's fragment, so no other path falls back to index.html).
 */
export async function serveUiFile(req: IncomingMessage, res: ServerResponse, root: string, pathname: string): Promise<boolean> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  const named = rendererSegments(pathname);
  if (named.kind === 'refused') {
    answer(req, res, named.status, named.reason, TEXT);
    return true;
  }
  const file = await realFileInside(root, join(root, ...named.segments));
  if (!file) {
    answer(req, res, 404, existsSync(join(root, 'index.html')) ? 'no such file' : 'the UI is not built: run npm run build', TEXT);
    return true;
  }
  try {
    answer(req, res, 200, await readFile(file), RENDERER_CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream');
  } catch {
    answer(req, res, 500, 'the file could not be read', TEXT);
  }
  return true;
}
