// The agent serves the built UI to a browser on loopback: strict headers, no token needed for files, the token for every call.
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UI_CONTENT_SECURITY_POLICY } from '../../main/agent/control/uiHeaders.js';
import { openUiSession, type UiSession } from './uiSession.js';

let ui: UiSession;
let origin: string;

beforeAll(async () => {
  ui = await openUiSession('serving');
  origin = new URL(ui.uiUrl).origin;
});
afterAll(async () => ui?.close());

describe('the UI the agent serves', () => {
  it('is served at / with the CSP and no-sniff headers, and its assets load from files only', async () => {
    const page = await fetch(`${origin}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toBe(UI_CONTENT_SECURITY_POLICY);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    const html = await page.text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toContain('<style');
    const script = /src="\.\/(assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const asset = await fetch(`${origin}/${script}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  });

  it('refuses paths outside the build, dot-files and unknown types, and every API call without the token', async () => {
    for (const path of ['/../agent.token', '/%2e%2e/agent.token', '/assets/..%2f..%2fagent.token', '/.hidden.js', '/index.html%00.js', '/agent.token']) {
      const response = await fetch(`${origin}${path}`);
      expect(response.status, path).toBe(404);
      expect(await response.text()).not.toMatch(/[A-Za-z0-9_-]{43}/);
    }
    const call = await fetch(`${origin}/api/status.get`, { method: 'POST', body: '{}' });
    expect(call.status).toBe(401);
    // fetch() cannot set Host; a DNS-rebinding page would arrive with its own name there.
    const rebound = await new Promise<number>((resolve, reject) => {
      http.get(`${origin}/`, { headers: { Host: 'evil.example:80' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      }).on('error', reject);
    });
    expect(rebound).toBe(421);
  });

  it('loads in Chromium, takes the token out of the address bar and reaches the agent with it, without a CSP violation', async () => {
    const { page } = ui;
    await page.getByRole('heading', { level: 1 }).first().waitFor();
    expect(new URL(page.url()).hash).toBe('#/');
    expect(page.url()).not.toContain('token');
    expect(await page.getByText('Coffer cannot reach its agent').count()).toBe(0);
    await ui.screenshot('first-page');
    expect(ui.pageErrors).toEqual([]);
  });
});
