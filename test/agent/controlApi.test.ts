// The agent's control API refuses what a hostile local page or process would send: no token, a wrong Host, another Origin.
import http from 'node:http';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../main/agent/logger.js';
import { Agent } from '../../main/agent/runtime/agent.js';

let dataDir: string;
let agent: Agent;
let token: string;
let port: number;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'coffer-api-'));
  agent = await Agent.start({ dataDir, storePort: 0, storeHttpsPort: 0, apiPort: 0, env: {}, logger: createLogger('silent') });
  token = readFileSync(join(dataDir, 'agent.token'), 'utf8').trim();
  port = Number(new URL(agent.apiUrl).port);
});
afterAll(async () => {
  await agent.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

function call(path: string, headers: Record<string, string>, body = '{}', method = 'POST'): Promise<{ status: number; json: { ok: boolean; error?: { code: string; message: string }; value?: unknown } }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method, headers: { 'content-type': 'application/json', ...headers } }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode!, json: JSON.parse(text) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const good = (): Record<string, string> => ({ host: `127.0.0.1:${port}`, authorization: `Bearer ${token}` });

describe('the control API', () => {
  it('keeps its token in a file only its owner can read', () => {
    expect(statSync(join(dataDir, 'agent.token')).mode & 0o077).toBe(0);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('answers a request with the token, the loopback Host and no Origin', async () => {
    const res = await call('/api/status.get', good());
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ ok: true, value: { vault: { exists: false, unlocked: false }, folders: [] } });
  });

  it('refuses a missing or wrong token', async () => {
    expect((await call('/api/status.get', { host: `127.0.0.1:${port}` })).status).toBe(401);
    const wrong = await call('/api/status.get', { host: `127.0.0.1:${port}`, authorization: `Bearer ${'x'.repeat(43)}` });
    expect(wrong.status).toBe(401);
    expect(wrong.json.error?.code).toBe('Unauthorized');
  });

  it('refuses a Host that is not this loopback listener (DNS rebinding)', async () => {
    for (const host of ['evil.example:80', `evil.example:${port}`, `127.0.0.1:${port + 1}`, '127.0.0.1']) {
      const res = await call('/api/status.get', { ...good(), host });
      expect(res.status, host).toBe(421);
    }
    expect((await call('/api/status.get', { ...good(), host: `localhost:${port}` })).status).toBe(200);
  });

  it('refuses another Origin, even with the right token', async () => {
    for (const origin of ['https://evil.example', `http://evil.example:${port}`, `http://127.0.0.1:${port + 1}`, 'null']) {
      const res = await call('/api/status.get', { ...good(), origin });
      expect(res.status, origin).toBe(403);
    }
    expect((await call('/api/status.get', { ...good(), origin: `http://127.0.0.1:${port}` })).status).toBe(200);
  });

  it('refuses unknown channels, GET, bad JSON and invalid fields with typed errors', async () => {
    expect((await call('/api/nope', good())).json.error?.code).toBe('UnknownChannel');
    expect((await call('/api/status.get', good(), '', 'GET')).status).toBe(405);
    expect((await call('/api/status.get', good(), '{not json')).json.error?.code).toBe('MalformedRequest');
    const invalid = await call('/api/folders.pause', good(), JSON.stringify({ folderId: '../../etc' }));
    expect(invalid.json.error).toMatchObject({ code: 'InvalidRequest', message: expect.stringContaining('folderId') });
    const unknownField = await call('/api/status.get', good(), JSON.stringify({ extra: 1 }));
    expect(unknownField.json.error?.code).toBe('InvalidRequest');
    expect((await call('/api/folders.add', good(), JSON.stringify({ localPath: '/tmp/x' }))).json.error?.code).toBe('NoVault');
  });
});
