// settings.get and settings.set against a real agent: saved in config.json, in force at once, kept over a restart; and the idle lock they turn on.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AppSettings, Channel, RequestOf, ResponseOf } from '../../preload/contract.js';
import { AgentCallError, callAgent } from '../../main/agent/control/controlClient.js';
import { createLogger } from '../../main/agent/logger.js';
import { Agent } from '../../main/agent/runtime/agent.js';
import { parseAgentConfig } from '../../main/agent/runtime/agentConfig.js';
import { saveSettings } from '../../main/agent/settings/settingsFile.js';
import { createVault } from '../../main/core/keys/vault/index.js';
import { PASSPHRASE, TEST_KDF } from '../core/keys/vault/vaultFixture.js';

const DEFAULTS: AppSettings = { uploadKiBps: 0, downloadKiBps: 0, startAtLogin: false, notifications: true, lockAfterIdleMinutes: 0, rememberUnlock: false, theme: 'system' };
/** Written by hand before the agent starts, key order and all: settings.set must keep it. */
const OWN_KEYS = { deviceName: 'laptop', watch: false, remotePollSeconds: 3600 };

let base: string;
let dataDir: string;
let agent: Agent;
/** The idle lock's time: it moves only when a test moves it. */
const clock = { ms: 0, now: () => clock.ms };

async function startAgent(): Promise<Agent> {
  return Agent.start({ dataDir, storePort: 0, storeHttpsPort: 0, apiPort: 0, env: { COFFER_PASSPHRASE: PASSPHRASE }, logger: createLogger('silent'), idleLock: { clock, checkEveryMs: 20 } });
}

function call<C extends Channel>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>> {
  return callAgent({ apiUrl: agent.apiUrl, token: readFileSync(join(dataDir, 'agent.token'), 'utf8').trim() }, channel, request);
}

const configText = (): string => readFileSync(join(dataDir, 'config.json'), 'utf8');

async function refusal(promise: Promise<unknown>): Promise<AgentCallError> {
  const err = await promise.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(AgentCallError);
  return err as AgentCallError;
}

beforeAll(async () => {
  base = mkdtempSync(join(tmpdir(), 'coffer-settings-'));
  dataDir = join(base, 'data');
  mkdirSync(dataDir);
  writeFileSync(join(dataDir, 'config.json'), JSON.stringify(OWN_KEYS, null, 2));
  (await createVault(dataDir, PASSPHRASE, { kdf: TEST_KDF })).vault.close();
  agent = await startAgent();
});
afterAll(async () => {
  await agent?.stop();
  rmSync(base, { recursive: true, force: true });
});

describe('the settings channels', () => {
  it('give the defaults while config.json sets none of them', async () => {
    expect(await call('settings.get', {})).toEqual(DEFAULTS);
  });

  it('save a change into config.json atomically, keeping its other keys and pinning no default', async () => {
    const answer = await call('settings.set', { theme: 'dark', notifications: false, uploadKiBps: 256 });
    expect(answer).toEqual({ ...DEFAULTS, theme: 'dark', notifications: false, uploadKiBps: 256 });
    await call('settings.set', { lockAfterIdleMinutes: 30 });
    const text = configText();
    const expected = { ...OWN_KEYS, theme: 'dark', notifications: false, uploadKiBps: 256, lockAfterIdleMinutes: 30 };
    expect(JSON.parse(text)).toEqual(expected);
    expect(Object.keys(JSON.parse(text)).slice(0, 3)).toEqual(Object.keys(OWN_KEYS));
    expect(text).toBe(`${JSON.stringify(JSON.parse(text), null, 2)}\n`);
    expect(parseAgentConfig(text)).toMatchObject(expected);
    expect(statSync(join(dataDir, 'config.json')).mode & 0o777).toBe(0o600);
    expect(readdirSync(dataDir).filter((name) => name.startsWith('.coffer-tmp-'))).toEqual([]);
    expect(await call('settings.get', {})).toEqual({ ...DEFAULTS, theme: 'dark', notifications: false, uploadKiBps: 256, lockAfterIdleMinutes: 30 });
  });

  it('put bandwidth limits in force on the shared throttles at once', async () => {
    await call('settings.set', { uploadKiBps: 64, downloadKiBps: 128 });
    expect(agent.throttle.up.bytesPerSecond).toBe(64 * 1024);
    expect(agent.throttle.down.bytesPerSecond).toBe(128 * 1024);
    await call('settings.set', { uploadKiBps: 0 });
    expect(agent.throttle.up.bytesPerSecond).toBe(0);
    expect(agent.throttle.down.bytesPerSecond).toBe(128 * 1024);
  });

  it('refuse bad values and change nothing', async () => {
    const before = configText();
    const settings = await call('settings.get', {});
    const bad: unknown[] = [{ theme: 'purple' }, { lockAfterIdleMinutes: 1.5 }, { lockAfterIdleMinutes: -1 }, { uploadKiBps: -1 }, { notifications: 'yes' }, { colour: 'blue' }, { deviceName: 'other' }];
    for (const request of bad) {
      const err = await refusal(call('settings.set', request as Partial<AppSettings>));
      expect(err.code, JSON.stringify(request)).toBe('InvalidRequest');
    }
    expect(configText()).toBe(before);
    expect(await call('settings.get', {})).toEqual(settings);
  });

  it('refuse to save over a config.json that no longer parses, and leave it for its owner to fix', async () => {
    const good = configText();
    const broken = '{\n  "deviceName": "laptop",\n  "quietMs": "fast"\n}\n';
    writeFileSync(join(dataDir, 'config.json'), broken);
    try {
      const err = await refusal(call('settings.set', { theme: 'light' }));
      expect(err.code).toBe('ConfigInvalid');
      expect(err.message).toMatch(/line 3: quietMs/);
      expect(configText()).toBe(broken);
      expect((await call('settings.get', {})).theme).toBe('dark');
    } finally {
      writeFileSync(join(dataDir, 'config.json'), good);
    }
  });

  it('write only the change into a data dir that has no config.json yet', () => {
    const dir = mkdtempSync(join(tmpdir(), 'coffer-settings-new-'));
    try {
      expect(saveSettings(dir, { startAtLogin: true, theme: undefined })).toMatchObject({ ...DEFAULTS, startAtLogin: true, storePort: 9000 });
      expect(JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'))).toEqual({ startAtLogin: true });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the idle lock', () => {
  let folderId: string;

  beforeAll(async () => {
    const folder = await call('folders.add', { localPath: join(base, 'vault-folder'), mode: 'sse-c-vault' });
    folderId = folder.id;
  });

  const unlocked = async (): Promise<boolean> => (await call('status.get', {})).vault.unlocked;

  it('locks the vault after the set minutes without a request, the UI polling aside, and holds back the folders that need it', async () => {
    expect(await unlocked()).toBe(true);
    expect((await call('status.get', {})).folders.find((f) => f.id === folderId)?.state).not.toBe('error');
    await call('settings.set', { lockAfterIdleMinutes: 1 });
    clock.ms += 45_000;
    await call('keys.list', {});
    clock.ms += 45_000;
    await agent.idleLock!.check();
    expect(await unlocked()).toBe(true);
    clock.ms += 14_000;
    await call('conflicts.list', {});
    await agent.idleLock!.check();
    expect(await unlocked()).toBe(true);
    clock.ms += 1_000;
    // Sixty seconds since keys.list: the agent's own timer locks, however often status.get asks.
    await vi.waitFor(async () => expect(await unlocked()).toBe(false), { timeout: 10_000, interval: 20 });
    const folder = (await call('status.get', {})).folders.find((f) => f.id === folderId)!;
    expect(folder).toMatchObject({ state: 'error', reason: expect.stringMatching(/vault is locked/) });
  });

  it('never locks with the setting at 0', async () => {
    await call('vault.unlock', { passphrase: PASSPHRASE });
    await call('settings.set', { lockAfterIdleMinutes: 0 });
    clock.ms += 7 * 24 * 3_600_000;
    await agent.idleLock!.check();
    expect(await unlocked()).toBe(true);
  });
});

describe('after a restart', () => {
  it('the saved settings are read again and in force', async () => {
    const saved = await call('settings.get', {});
    expect(saved).toMatchObject({ theme: 'dark', downloadKiBps: 128, lockAfterIdleMinutes: 0 });
    await agent.stop();
    agent = await startAgent();
    expect(await call('settings.get', {})).toEqual(saved);
    expect(agent.throttle.down.bytesPerSecond).toBe(128 * 1024);
    expect(agent.throttle.up.bytesPerSecond).toBe(0);
  });
});
