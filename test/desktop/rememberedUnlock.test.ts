// Remembering the vault unlock: sealed on disk by the key store, used at start, forgotten when it no longer opens the vault or the setting is off.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createVault } from '../../main/core/keys/vault/index.js';
import { createLogger } from '../../main/agent/logger.js';
import { Agent } from '../../main/agent/runtime/agent.js';
import { agentHandlers } from '../../main/agent/runtime/agentHandlers.js';
import { RememberedUnlock, rememberingUnlocks, sealerUsable, unlockWithRemembered, type SecretSealer } from '../../main/desktop/rememberedUnlock.js';
import { adoptDesktopSettings, applyingSettings, DESKTOP_SETTINGS_FILE, rememberUnlockSetting } from '../../main/desktop/desktopSettings.js';
import { CONFIG_FILE } from '../../main/agent/runtime/agentConfig.js';
import type { AppSettings } from '../../preload/contract.js';
import { PASSPHRASE, TEST_KDF } from '../core/keys/vault/vaultFixture.js';

/** Stands in for the OS key store (Electron's safeStorage cannot run under Node): AES-GCM under a key only it holds. */
function keyStore(available = true): SecretSealer {
  const key = randomBytes(32);
  return {
    available,
    seal(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]);
    },
    open(sealed) {
      const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, 12));
      decipher.setAuthTag(sealed.subarray(12, 28));
      return Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]).toString('utf8');
    },
  };
}

let dir: string;
let file: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'coffer-remember-'));
  file = join(dir, 'desktop-unlock.sealed');
});
afterEach(() => rmSync(file, { force: true }));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the remembered passphrase', () => {
  it('is stored sealed, readable by its owner only, and recalled', () => {
    const remembered = new RememberedUnlock(file, keyStore());
    expect(remembered.remember(PASSPHRASE)).toBe(true);
    expect(readFileSync(file).includes(Buffer.from(PASSPHRASE))).toBe(false);
    expect(statSync(file).mode & 0o077).toBe(0);
    expect(remembered.recall()).toBe(PASSPHRASE);
    remembered.forget();
    expect(existsSync(file)).toBe(false);
    expect(remembered.recall()).toBeUndefined();
  });

  it('is never written when the key store offers no protection', () => {
    const remembered = new RememberedUnlock(file, keyStore(false));
    expect(remembered.remember(PASSPHRASE)).toBe(false);
    expect(existsSync(file)).toBe(false);
  });

  it('is forgotten when the key store cannot open it (another machine, a reset keychain)', () => {
    new RememberedUnlock(file, keyStore()).remember(PASSPHRASE);
    expect(new RememberedUnlock(file, keyStore()).recall()).toBeUndefined();
    expect(existsSync(file)).toBe(false);
    writeFileSync(file, 'not sealed at all');
    expect(new RememberedUnlock(file, keyStore()).recall()).toBeUndefined();
  });
});

describe('whether safeStorage protects anything', () => {
  it('needs encryption, and on Linux a real key store rather than the basic_text fallback', () => {
    expect(sealerUsable('darwin', true, undefined)).toBe(true);
    expect(sealerUsable('win32', true, undefined)).toBe(true);
    expect(sealerUsable('win32', false, undefined)).toBe(false);
    expect(sealerUsable('linux', true, 'gnome_libsecret')).toBe(true);
    expect(sealerUsable('linux', true, 'kwallet6')).toBe(true);
    expect(sealerUsable('linux', true, 'basic_text')).toBe(false);
    expect(sealerUsable('linux', true, 'unknown')).toBe(false);
    expect(sealerUsable('linux', false, 'gnome_libsecret')).toBe(false);
  });
});

describe('unlocking a real vault at start', () => {
  let dataDir: string;
  let agent: Agent;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'coffer-remember-agent-'));
    (await createVault(dataDir, PASSPHRASE, { kdf: TEST_KDF })).vault.close();
    agent = await Agent.start({ dataDir, storePort: 0, storeHttpsPort: 0, apiPort: 0, env: {}, logger: createLogger('silent') });
  });
  afterAll(async () => {
    await agent.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('remembers after an unlock only while the setting is on', async () => {
    const handlers = agentHandlers(agent);
    const remembered = new RememberedUnlock(file, keyStore());
    let setting = false;
    const remembering = rememberingUnlocks(handlers, remembered, () => setting, () => undefined);
    await remembering['vault.unlock']({ passphrase: PASSPHRASE });
    expect(existsSync(file)).toBe(false);
    await handlers['vault.lock']({});
    setting = true;
    await expect(remembering['vault.unlock']({ passphrase: 'not the passphrase at all' })).rejects.toThrow();
    expect(existsSync(file)).toBe(false);
    await remembering['vault.unlock']({ passphrase: PASSPHRASE });
    expect(remembered.recall()).toBe(PASSPHRASE);
    await handlers['vault.lock']({});
  });

  it('unlocks a locked vault with what it remembers, and does nothing when there is nothing to do', async () => {
    const handlers = agentHandlers(agent);
    const sealer = keyStore();
    expect(await unlockWithRemembered(handlers, new RememberedUnlock(file, sealer))).toBe('nothing');
    new RememberedUnlock(file, sealer).remember(PASSPHRASE);
    expect(await unlockWithRemembered(handlers, new RememberedUnlock(file, sealer))).toBe('unlocked');
    expect((await handlers['status.get']({})).vault.unlocked).toBe(true);
    expect(await unlockWithRemembered(handlers, new RememberedUnlock(file, sealer))).toBe('nothing');
    await handlers['vault.lock']({});
  });

  it('forgets a remembered passphrase unused when the setting is off', async () => {
    const handlers = agentHandlers(agent);
    const remembered = new RememberedUnlock(file, keyStore());
    remembered.remember(PASSPHRASE);
    expect(await unlockWithRemembered(handlers, remembered, false)).toBe('nothing');
    expect(existsSync(file)).toBe(false);
    expect((await handlers['status.get']({})).vault.unlocked).toBe(false);
  });

  it('forgets a passphrase that no longer opens the vault', async () => {
    const handlers = agentHandlers(agent);
    const remembered = new RememberedUnlock(file, keyStore());
    remembered.remember('the passphrase before it was changed');
    expect(await unlockWithRemembered(handlers, remembered)).toBe('refused');
    expect(existsSync(file)).toBe(false);
    expect((await handlers['status.get']({})).vault.unlocked).toBe(false);
  });
});

describe('the desktop settings in config.json', () => {
  let dataDir: string;
  let agent: Agent;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'coffer-desktop-settings-'));
    agent = await Agent.start({ dataDir, storePort: 0, storeHttpsPort: 0, apiPort: 0, env: {}, logger: createLogger('silent') });
  });
  afterAll(async () => {
    await agent.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("carry an older install's desktop.json into config.json once, through the agent", async () => {
    expect(await adoptDesktopSettings(dataDir, agent.handlers)).toBe(false);
    expect(existsSync(join(dataDir, CONFIG_FILE))).toBe(false);
    writeFileSync(join(dataDir, DESKTOP_SETTINGS_FILE), JSON.stringify({ rememberUnlock: true }));
    expect(await adoptDesktopSettings(dataDir, agent.handlers)).toBe(true);
    expect(JSON.parse(readFileSync(join(dataDir, CONFIG_FILE), 'utf8'))).toEqual({ rememberUnlock: true });
    expect((await agent.handlers['settings.get']({})).rememberUnlock).toBe(true);
    expect(await adoptDesktopSettings(dataDir, agent.handlers)).toBe(false);
    // Turned off later: config.json now says so, whatever desktop.json still holds.
    await agent.handlers['settings.set']({ rememberUnlock: false });
    expect(rememberUnlockSetting(dataDir)).toBe(false);
    expect(await adoptDesktopSettings(dataDir, agent.handlers)).toBe(false);
  });

  it('hand the saved settings to the desktop after settings.set, and nothing when it is refused', async () => {
    const applied: AppSettings[] = [];
    const failures: unknown[] = [];
    const handlers = applyingSettings(agent.handlers, (settings) => applied.push(settings), (err) => failures.push(err));
    const answer = await handlers['settings.set']({ startAtLogin: true, theme: 'light' });
    expect(answer).toMatchObject({ startAtLogin: true, theme: 'light' });
    expect(applied).toEqual([answer]);
    // Past the request schema (a caller that skips it): the agent's own check still refuses, and nothing is applied.
    await expect(handlers['settings.set']({ theme: 'purple' } as unknown as Partial<AppSettings>)).rejects.toMatchObject({ code: 'InvalidSettings' });
    expect(applied).toHaveLength(1);
    const failing = applyingSettings(agent.handlers, () => {
      throw new Error('no login items here');
    }, (err) => failures.push(err));
    expect(await failing['settings.set']({ startAtLogin: false })).toMatchObject({ startAtLogin: false });
    expect(failures).toEqual([new Error('no login items here')]);
    expect(JSON.parse(readFileSync(join(dataDir, CONFIG_FILE), 'utf8'))).toMatchObject({ startAtLogin: false, theme: 'light' });
  });
});
