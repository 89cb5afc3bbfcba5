// Answers app://coffer requests from the built renderer directory, with the security headers on every response.
import { readFile, realpath, stat } from 'node:fs/promises';
import { extname, isAbsolute, join, relative, resolve } from 'node:path';
import { appResponseHeaders } from './csp.js';
import { notBuiltPage } from './notBuiltPage.js';
import { resolveAppPath } from './schemePath.js';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
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

const TEXT = 'text/plain; charset=utf-8';

function answer(status: number, body: string | Buffer, contentType: string): Response {
  return new Response(body, { status, headers: appResponseHeaders(contentType) });
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** The real path of `path` when it is a regular file whose real location is inside `root`'s; otherwise undefined. */
async function fileInside(root: string, path: string): Promise<string | undefined> {
  try {
    const [realRoot, realFile] = await Promise.all([realpath(root), realpath(path)]);
    const inside = relative(realRoot, realFile);
    if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) return undefined;
    return (await stat(realFile)).isFile() ? realFile : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The response to one request of the app scheme. GET and HEAD only (405 otherwise). A path
 * resolveAppPath refuses gets its status; a file that is missing, not a regular file, or whose real
 * path (after symbolic links) leaves `rendererDir` gets 404. While `rendererDir` has no index.html,
 * the entry page is a built-in notice instead. Never throws: a read failure is a 500 without details.
 */
export async function serveAppRequest(requestUrl: string, rendererDir: string, method = 'GET'): Promise<Response> {
  if (method !== 'GET' && method !== 'HEAD') return answer(405, 'method not allowed', TEXT);
  const target = resolveAppPath(requestUrl, rendererDir);
  if (target.kind === 'refused') return answer(target.status, target.reason, TEXT);
  const entry = join(resolve(rendererDir), 'index.html');
  if (target.path === entry && !(await exists(entry))) {
    return answer(200, notBuiltPage(rendererDir), CONTENT_TYPES['.html']!);
  }
  const file = await fileInside(rendererDir, target.path);
  if (!file) return answer(404, 'no such file', TEXT);
  try {
    const body = await readFile(file);
    return answer(200, method === 'HEAD' ? '' : body, CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream');
  } catch {
    return answer(500, 'the file could not be read', TEXT);
  }
}

