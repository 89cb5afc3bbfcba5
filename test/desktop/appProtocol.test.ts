// app://coffer serves the built renderer from its directory, refuses every way out of it, and puts the CSP on every answer.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveAppRequest } from '../../main/desktop/appProtocol.js';
import { CONTENT_SECURITY_POLICY } from '../../main/desktop/csp.js';
import { resolveAppPath } from '../../main/desktop/schemePath.js';

let base: string;
let renderer: string;

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'coffer-scheme-'));
  renderer = join(base, 'renderer');
  mkdirSync(join(renderer, 'assets'), { recursive: true });
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>Coffer</title>');
  writeFileSync(join(renderer, 'assets', 'index-abc.js'), 'console.log(1)');
  writeFileSync(join(renderer, 'assets', 'index-abc.css'), 'body{}');
  writeFileSync(join(renderer, 'assets', 'a file.svg'), '<svg/>');
  writeFileSync(join(renderer, '.hidden'), 'hidden');
  writeFileSync(join(base, 'secret.txt'), 'outside the renderer');
  symlinkSync(join(base, 'secret.txt'), join(renderer, 'assets', 'link.txt'));
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('resolving a path of the app scheme', () => {
  it('maps the root to index.html and a path to the file under the root', () => {
    expect(resolveAppPath('app://coffer/', renderer)).toEqual({ kind: 'file', path: join(renderer, 'index.html') });
    expect(resolveAppPath('app://coffer/assets/index-abc.js?v=1#x', renderer)).toEqual({ kind: 'file', path: join(renderer, 'assets', 'index-abc.js') });
    expect(resolveAppPath('app://coffer/assets/a%20file.svg', renderer)).toEqual({ kind: 'file', path: join(renderer, 'assets', 'a file.svg') });
  });

  it('refuses traversal, plain or encoded, with either separator', () => {
    const attempts = [
      'app://coffer/..%2fsecret.txt',
      'app://coffer/..%2Fsecret.txt',
      'app://coffer/assets/..%2f..%2fsecret.txt',
      'app://coffer/..%5csecret.txt',
      'app://coffer/assets%2f..%2f..%2fsecret.txt',
      'app://coffer/%2e%2e%2fsecret.txt',
      'app://coffer/a\\..\\..\\secret.txt',
      'app://coffer/%00index.html',
      'app://coffer/C:%5cWindows%5cwin.ini',
      'app://coffer/.hidden',
      'app://coffer/assets//index-abc.js',
    ];
    for (const url of attempts) {
      const result = resolveAppPath(url, renderer);
      expect(result.kind, url).toBe('refused');
    }
  });

  it('keeps dot segments that the URL parser resolves inside the root', () => {
    // The parser turns these into /secret.txt, a name inside the root (which does not exist there).
    for (const url of ['app://coffer/../secret.txt', 'app://coffer/%2e%2e/secret.txt', 'app://coffer/.%2e/secret.txt', 'app://coffer/assets/../../secret.txt']) {
      expect(resolveAppPath(url, renderer), url).toEqual({ kind: 'file', path: join(renderer, 'secret.txt') });
    }
  });

  it('refuses another origin and malformed escapes', () => {
    expect(resolveAppPath('app://coffer.evil/index.html', renderer)).toMatchObject({ kind: 'refused', status: 403 });
    expect(resolveAppPath('file:///etc/passwd', renderer)).toMatchObject({ kind: 'refused', status: 403 });
    expect(resolveAppPath('app://coffer/%E0%A4%A', renderer)).toMatchObject({ kind: 'refused', status: 400 });
  });
});

describe('serving the app scheme', () => {
  it('serves the built files with their type and the CSP header', async () => {
    const page = await serveAppRequest('app://coffer/', renderer);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(await page.text()).toContain('<title>Coffer</title>');
    const script = await serveAppRequest('app://coffer/assets/index-abc.js', renderer);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await script.text()).toBe('console.log(1)');
    expect((await serveAppRequest('app://coffer/assets/index-abc.css', renderer)).headers.get('content-type')).toBe('text/css; charset=utf-8');
  });

  it('answers refusals and missing files with an error status, still under the CSP', async () => {
    const cases: [string, number][] = [
      ['app://coffer/..%2fsecret.txt', 404],
      ['app://coffer/missing.js', 404],
      ['app://coffer/assets', 404],
      ['app://evil/index.html', 403],
    ];
    for (const [url, status] of cases) {
      const res = await serveAppRequest(url, renderer);
      expect(res.status, url).toBe(status);
      expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
      expect(await res.text()).not.toContain('outside the renderer');
    }
  });

  it('does not follow a symbolic link out of the renderer directory', async () => {
    const res = await serveAppRequest('app://coffer/assets/link.txt', renderer);
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain('outside the renderer');
  });

  it('accepts only GET and HEAD', async () => {
    expect((await serveAppRequest('app://coffer/', renderer, 'POST')).status).toBe(405);
    const head = await serveAppRequest('app://coffer/', renderer, 'HEAD');
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('shows a built-in page under the same policy while the renderer is not built', async () => {
    const unbuilt = join(base, 'not-built');
    const res = await serveAppRequest('app://coffer/', unbuilt);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    const html = await res.text();
    expect(html).toContain('not built yet');
    expect(html).toContain('http-equiv="Content-Security-Policy"');
    expect(html).not.toMatch(/<script|<style|style=/);
    expect((await serveAppRequest('app://coffer/assets/index-abc.js', unbuilt)).status).toBe(404);
  });
});
