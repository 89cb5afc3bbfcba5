// An agent whose folders all sync with a remote store runs no embedded store: every store-key and KMS channel says so.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Channel } from '../../preload/contract.js';
import { AgentCallError, callAgent } from '../../main/agent/control/controlClient.js';
import { createLogger } from '../../main/agent/logger.js';
import { Agent } from '../../main/agent/runtime/agent.js';
import { addFolderRecord } from '../../main/agent/runtime/folderRecords.js';
import { createVault } from '../../main/core/keys/vault/index.js';
import { PASSPHRASE, TEST_KDF } from '../core/keys/vault/vaultFixture.js';

let base: string;
/** The remote: another agent's embedded store. */
let remote: Agent;
let agent: Agent;
let api: { apiUrl: string; token: string };

function startAgent(dataDir: string): Promise<Agent> {
  return Agent.start({ dataDir, storePort: 0, storeHttpsPort: 0, apiPort: 0, env: { COFFER_PASSPHRASE: PASSPHRASE }, logger: createLogger('silent') });
}

beforeAll(async () => {
  base = mkdtempSync(join(tmpdir(), 'coffer-key-channels-remote-'));
  remote = await startAgent(join(base, 'remote'));
  const dataDir = join(base, 'data');
  mkdirSync(dataDir);
  writeFileSync(join(dataDir, 'config.json'), JSON.stringify({ deviceName: 'remote-only', watch: false, remotePollSeconds: 3600 }));
  const { vault } = await createVault(dataDir, PASSPHRASE, { kdf: TEST_KDF });
  const { accessKeyId, secretAccessKey } = remote.store!.credentials;
  addFolderRecord(vault, { localPath: join(base, 'folder'), store: remote.store!.running.httpUrl, pathStyle: true, accessKeyId, secretAccessKey }, dataDir, {});
  vault.close();
  agent = await startAgent(dataDir);
  api = { apiUrl: agent.apiUrl, token: readFileSync(join(dataDir, 'agent.token'), 'utf8').trim() };
});

afterAll(async () => {
  await agent?.stop();
  await remote?.stop();
  rmSync(base, { recursive: true, force: true });
});

const KEY = { keyId: 'alias/anything' };
const CALLS: [Channel, object][] = [
  ['keys.store', {}],
  ['keys.rotateStore', {}],
  ['kms.list', {}],
  ['kms.create', { alias: 'photos' }],
  ['kms.rotate', KEY],
  ['kms.setRotation', { ...KEY, enabled: true }],
  ['kms.impact', KEY],
  ['kms.disable', KEY],
  ['kms.enable', KEY],
  ['kms.scheduleDeletion', KEY],
  ['kms.cancelDeletion', KEY],
];

describe('an agent without an embedded store', () => {
  it('runs its remote folder and no store of its own', async () => {
    expect(agent.store).toBeUndefined();
    const status = await callAgent(api, 'status.get', {});
    expect(status.store).toBeUndefined();
    expect(status.folders).toHaveLength(1);
  });

  it('answers NoEmbeddedStore on every store-key and KMS channel', async () => {
    for (const [channel, request] of CALLS) {
      const outcome = await callAgent(api, channel, request as never).then(
        () => undefined,
        (err: unknown) => (err instanceof AgentCallError ? err.code : String(err)),
      );
      expect(outcome, channel).toBe('NoEmbeddedStore');
    }
  });
});
