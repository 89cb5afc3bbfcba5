// The renderer's Content Security Policy: strict defaults, nothing that lets script in from elsewhere.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UI_CONTENT_SECURITY_POLICY } from '../../main/agent/control/uiHeaders.js';
import { appResponseHeaders, CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY_META } from '../../main/desktop/csp.js';

function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy.split(';').map((part) => {
      const [name, ...values] = part.trim().split(/\s+/);
      return [name!, values];
    }),
  );
}

describe('the content security policy', () => {
  const policy = directives(CONTENT_SECURITY_POLICY);

  it('defaults to self and sets object, base, frames and forms to none', () => {
    expect(policy.get('default-src')).toEqual(["'self'"]);
    for (const name of ['object-src', 'base-uri', 'frame-ancestors', 'form-action', 'frame-src']) expect(policy.get(name), name).toEqual(["'none'"]);
  });

  it('runs script only from the app itself: no eval, no inline, no other origin', () => {
    expect(policy.get('script-src')).toEqual(["'self'"]);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|wasm-unsafe-eval|unsafe-hashes|strict-dynamic|\*|https?:|blob:/);
  });

  it('allows inline styles only as attributes, and keeps every fetch on the app origin', () => {
    expect(policy.get('style-src')).toEqual(["'self'"]);
    expect(policy.get('style-src-attr')).toEqual(["'unsafe-inline'"]);
    expect(policy.get('connect-src')).toEqual(["'self'"]);
    expect(policy.get('img-src')).toEqual(["'self'", 'data:']);
    expect(policy.get('font-src')).toEqual(["'self'"]);
    const inline = [...policy].filter(([, values]) => values.includes("'unsafe-inline'")).map(([name]) => name);
    expect(inline).toEqual(['style-src-attr']);
  });

  it('names each directive once', () => {
    const names = CONTENT_SECURITY_POLICY.split(';').map((part) => part.trim().split(/\s+/)[0]);
    expect(new Set(names).size).toBe(names.length);
  });

  it('has a meta-tag form without frame-ancestors, otherwise the same', () => {
    const meta = directives(CONTENT_SECURITY_POLICY_META);
    expect(meta.has('frame-ancestors')).toBe(false);
    for (const [name, values] of policy) if (name !== 'frame-ancestors') expect(meta.get(name), name).toEqual(values);
  });

  it('goes out on every response with nosniff, no referrer and no caching of stale builds', () => {
    const headers = appResponseHeaders('text/html; charset=utf-8');
    expect(headers['Content-Security-Policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(headers['X-Content-Type-Options']).toBe('nosniff');
    expect(headers['Referrer-Policy']).toBe('no-referrer');
    expect(headers['Content-Type']).toBe('text/html; charset=utf-8');
  });
});

describe('one policy wherever the UI is served', () => {
  it('is the same from the agent to a browser, from app://coffer, and in the page itself', () => {
    expect(UI_CONTENT_SECURITY_POLICY).toBe(CONTENT_SECURITY_POLICY);
    const html = readFileSync(join(import.meta.dirname, '..', '..', 'renderer', 'index.html'), 'utf8');
    const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1];
    expect(meta).toBe(CONTENT_SECURITY_POLICY_META);
  });
});
