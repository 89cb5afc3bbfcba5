// First run through the control API: an agent with no vault creates one (the recovery key shown once), or recovers it on a new data dir.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Channel, RequestOf, ResponseOf } from '../../preload/contract.js';
import { AgentCallError, callAgent } from '../../main/agent/control/controlClient.js';
import { createLogger } from '../../main/agent/logger.js';
import { Agent } from '../../main/agent/runtime/agent.js';
import { openVault, vaultPath } from '../../main/core/keys/vault/index.js';

const PASSPHRASE = 'first run passphrase';
const NEW_PASSPHRASE = 'passphrase on the second machine';
const RECOVERY_KEY_SHAPE = /^([0-9A-Z]{5}-){10}[0-9A-Z]{5}$/;

let root: string;
const agents: Agent[] = [];

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'coffer-first-run-'));
});
afterAll(async () => {
  for (const agent of agents) await agent.stop();
  rmSync(root, { recursive: true, force: true });
});

interface Running {
  agent: Agent;
  dataDir: string;
  call<C extends Channel>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>>;
  /** The error code a refused call answers with (fails the test if the call succeeds). */
  refusal<C extends Channel>(channel: C, request: RequestOf<C>): Promise<AgentCallError>;
}

/** An agent on a fresh data dir with no vault, as on a first start. */
async function startAgent(name: string): Promise<Running> {
  const dataDir = join(root, name);
  mkdirSync(dataDir);
  writeFileSync(join(dataDir, 'config.json'), JSON.stringify({ deviceName: name, watch: false, remotePollSeconds: 3600 }));
  const agent = await Agent.start({ dataDir, storePort: 0, storeHttpsPort: 0, apiPort: 0, env: {}, logger: createLogger('silent') });
  agents.push(agent);
  const token = readFileSync(join(dataDir, 'agent.token'), 'utf8').trim();
  const call = <C extends Channel>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>> => callAgent({ apiUrl: agent.apiUrl, token }, channel, request);
  const refusal = async <C extends Channel>(channel: C, request: RequestOf<C>): Promise<AgentCallError> => {
    const err = await call(channel, request).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err, `${channel} should have been refused`).toBeInstanceOf(AgentCallError);
    return err as AgentCallError;
  };
  return { agent, dataDir, call, refusal };
}

/** Vault files in the data dir, temporary ones included. */
const vaultFiles = (dataDir: string): string[] => readdirSync(dataDir).filter((name) => name.includes('vault'));

async function vaultEvents(agent: Agent): Promise<{ operation: string; principal?: string }[]> {
  await agent.auditLog.flush();
  return agent.auditLog.query({ category: 'admin', operations: ['VaultInit', 'VaultRecover'] }, { limit: 100 }).events.map((r) => r.event);
}

describe('first run through the control API', () => {
  let recoveryKey: string;
  let first: Running;

  it('creates the vault: unlocked, one master key, the recovery key in groups of five, recorded with the device as principal', async () => {
    first = await startAgent('laptop');
    expect((await first.call('status.get', {})).vault).toEqual({ exists: false, unlocked: false });

    const short = await first.refusal('vault.create', { passphrase: 'short' });
    expect(short).toMatchObject({ code: 'WeakPassphrase', message: 'a passphrase needs at least 8 characters' });
    expect(vaultFiles(first.dataDir)).toEqual([]);

    ({ recoveryKey } = await first.call('vault.create', { passphrase: PASSPHRASE }));
    expect(recoveryKey).toMatch(RECOVERY_KEY_SHAPE);
    expect((await first.call('status.get', {})).vault).toEqual({ exists: true, unlocked: true });
    expect((await first.call('keys.list', {})).vault).toHaveLength(1);
    expect(await vaultEvents(first.agent)).toEqual([expect.objectContaining({ operation: 'VaultInit', principal: 'laptop' })]);

    // The passphrase is the one that opens it.
    await first.call('vault.lock', {});
    expect((await first.refusal('vault.unlock', { passphrase: 'not the passphrase' })).code).toBe('WrongPassphraseError');
    await first.call('vault.unlock', { passphrase: PASSPHRASE });
    expect((await first.call('status.get', {})).vault.unlocked).toBe(true);
  });

  it('refuses a second vault on the same data dir and leaves the first as it was', async () => {
    const before = readFileSync(vaultPath(first.dataDir));
    const again = await first.refusal('vault.create', { passphrase: 'another long passphrase' });
    expect(again.code).toBe('VaultExists');
    const recover = await first.refusal('vault.recover', { recoveryKey, passphrase: NEW_PASSPHRASE });
    expect(recover.code).toBe('VaultExists');
    expect(readFileSync(vaultPath(first.dataDir)).equals(before)).toBe(true);
    expect((await first.call('keys.list', {})).vault).toHaveLength(1);
  });

  it('refuses a mistyped or short recovery key on a fresh data dir and writes nothing', async () => {
    const fresh = await startAgent('mistyped');
    // One character changed: the checksum catches it.
    const at = recoveryKey.search(/[0-9A-Z]/);
    const swapped = recoveryKey[at] === 'A' ? 'B' : 'A';
    const typo = recoveryKey.slice(0, at) + swapped + recoveryKey.slice(at + 1);
    const refused = await fresh.refusal('vault.recover', { recoveryKey: typo, passphrase: NEW_PASSPHRASE });
    expect(refused.code).toBe('RecoveryKeyError');
    expect(refused.message).toMatch(/typo|checksum/);
    expect(refused.message).not.toContain(typo.slice(0, 11));
    const cut = await fresh.refusal('vault.recover', { recoveryKey: recoveryKey.slice(0, 20), passphrase: NEW_PASSPHRASE });
    expect(cut.code).toBe('RecoveryKeyError');
    const weak = await fresh.refusal('vault.recover', { recoveryKey, passphrase: 'short' });
    expect(weak.code).toBe('WeakPassphrase');
    expect(vaultFiles(fresh.dataDir)).toEqual([]);
    expect(existsSync(vaultPath(fresh.dataDir))).toBe(false);
    expect((await fresh.call('status.get', {})).vault).toEqual({ exists: false, unlocked: false });
    expect(await vaultEvents(fresh.agent)).toEqual([]);
  });

  it('recovers the vault on a fresh data dir with the recovery key, under a new passphrase', async () => {
    const second = await startAgent('desktop');
    expect(await second.call('vault.recover', { recoveryKey, passphrase: NEW_PASSPHRASE })).toBeNull();
    expect((await second.call('status.get', {})).vault).toEqual({ exists: true, unlocked: true });
    expect(await vaultEvents(second.agent)).toEqual([expect.objectContaining({ operation: 'VaultRecover', principal: 'desktop' })]);

    await second.call('vault.lock', {});
    expect((await second.refusal('vault.unlock', { passphrase: PASSPHRASE })).code).toBe('WrongPassphraseError');
    await second.call('vault.unlock', { passphrase: NEW_PASSPHRASE });
    expect((await second.call('status.get', {})).vault.unlocked).toBe(true);
    expect((await second.refusal('vault.create', { passphrase: 'yet another passphrase' })).code).toBe('VaultExists');

    // The same recovery secret: the key printed on the first machine opens the recovered file.
    await second.agent.stop();
    agents.splice(agents.indexOf(second.agent), 1);
    const reopened = openVault(second.dataDir);
    try {
      reopened.unlockWithRecoveryKey(recoveryKey);
      expect(reopened.isUnlocked).toBe(true);
    } finally {
      reopened.close();
    }
  });
});
