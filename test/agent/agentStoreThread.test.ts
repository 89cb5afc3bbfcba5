// An agent with "storeThread": true: its folders sync through the store thread, the history holds both threads' events at once, and a store-key rotation made by the agent reaches the thread's next upload.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Channel, RequestOf, ResponseOf } from '../../preload/contract.js';
import { callAgent } from '../../main/agent/control/controlClient.js';
import { createLogger } from '../../main/agent/logger.js';
import { Agent } from '../../main/agent/runtime/agent.js';
import { createVault } from '../../main/core/keys/vault/index.js';
import { PASSPHRASE, TEST_KDF } from '../core/keys/vault/vaultFixture.js';

let base: string;
let folder: string;
let agent: Agent;
let api: { apiUrl: string; token: string };

function call<C extends Channel>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>> {
  return callAgent(api, channel, request);
}

beforeAll(async () => {
  base = mkdtempSync(join(tmpdir(), 'coffer-agent-store-thread-'));
  const dataDir = join(base, 'data');
  folder = join(base, 'Documents');
  mkdirSync(dataDir);
  mkdirSync(folder);
  writeFileSync(join(dataDir, 'config.json'), JSON.stringify({ deviceName: 'threaded', watch: false, remotePollSeconds: 3600, storeThread: true }));
  (await createVault(dataDir, PASSPHRASE, { kdf: TEST_KDF })).vault.close();
  agent = await Agent.start({ dataDir, storePort: 0, storeHttpsPort: 0, apiPort: 0, env: { COFFER_PASSPHRASE: PASSPHRASE }, logger: createLogger('silent') });
  api = { apiUrl: agent.apiUrl, token: readFileSync(join(dataDir, 'agent.token'), 'utf8').trim() };
});

afterAll(async () => {
  await agent?.stop();
  rmSync(base, { recursive: true, force: true });
});

it('syncs through the store thread; the history shows both sides at once; a rotation reaches the next upload', async () => {
  expect(agent.store?.thread).toBeDefined();
  await call('folders.add', { localPath: folder, bucket: 'threaded' });
  writeFileSync(join(folder, 'first.txt'), 'one');
  await call('folders.syncNow', {});

  // No wait: the read itself flushes the store thread's queue before it looks.
  const puts = await call('history.list', { filter: { bucket: 'threaded', operation: 'PutObject', keyPrefix: 'first.txt' } });
  const uploads = await call('history.list', { filter: { category: 'sync', keyPrefix: 'first.txt' } });
  expect(puts.events.map((e) => e.operation)).toEqual(['PutObject']);
  expect(uploads.events.map((e) => e.operation)).toContain('SyncUpload');
  const firstVersion = puts.events[0]!.keyVersion;

  const rotated = await call('keys.rotateStore', {});
  writeFileSync(join(folder, 'second.txt'), 'two');
  await call('folders.syncNow', {});
  const second = await call('history.list', { filter: { bucket: 'threaded', operation: 'PutObject', keyPrefix: 'second.txt' } });
  expect(second.events[0]?.keyVersion).toBe(String(rotated.version));
  expect(second.events[0]?.keyVersion).not.toBe(firstVersion);
});
