// Answers app://coffer requests from the built renderer directory, with the security headers on every response.
import { readFile, stat } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import { realFileInside, RENDERER_CONTENT_TYPES } from '../agent/control/rendererFiles.js';
import { appResponseHeaders } from './csp.js';
import { notBuiltPage } from './notBuiltPage.js';
import { resolveAppPath } from './schemePath.js';

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
    return answer(200, notBuiltPage(rendererDir), RENDERER_CONTENT_TYPES['.html']!);
  }
  const file = await realFileInside(rendererDir, target.path);
  if (!file) return answer(404, 'no such file', TEXT);
  try {
    const body = await readFile(file);
    return answer(200, method === 'HEAD' ? '' : body, RENDERER_CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream');
  } catch {
    return answer(500, 'the file could not be read', TEXT);
  }
}

