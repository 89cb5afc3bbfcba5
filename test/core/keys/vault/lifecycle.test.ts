// A vault's life on a real file: create, lock, unlock each way, change passphrase, and the events it records.
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodeEvent } from '../../../../main/core/audit/eventCodec.js';
import {
  createVault,
  openVault,
  parseRecoveryKey,
  RecoveryKeyError,
  VAULT_FILE,
  VaultExistsError,
  VaultLockedError,
  VaultMissingError,
  WrongPassphraseError,
} from '../../../../main/core/keys/vault/index.js';
import { caught, eventRecorder, OTHER_PASSPHRASE, PASSPHRASE, TEST_KDF, tempDirs, type TempDirs } from './vaultFixture.js';

let dirs: TempDirs;
beforeEach(() => {
  dirs = tempDirs();
});
afterEach(() => dirs.cleanup());

describe('vault lifecycle', () => {
  it('creates an unlocked vault with one master key version, a 0600 file and nothing else left behind', async () => {
    const dir = dirs.make();
    const { vault, recoveryKey } = await createVault(dir, PASSPHRASE, { kdf: TEST_KDF });
    expect(vault.isUnlocked).toBe(true);
    expect(parseRecoveryKey(recoveryKey)).toHaveLength(32);
    const versions = vault.masterKeys();
    expect(versions).toHaveLength(1);
    expect(versions[0]).toMatchObject({ id: expect.stringMatching(/^[0-9a-f]{16}$/), current: true });
    expect(vault.currentMasterKey().id).toBe(versions[0]!.id);
    expect(vault.kdfParams()).toEqual(TEST_KDF);
    expect(statSync(join(dir, VAULT_FILE)).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(readdirSync(dir).filter((f) => f.includes('.tmp'))).toEqual([]);
    vault.close();
  });

  it('opens locked, and refuses key operations until unlocked with the passphrase', async () => {
    const dir = dirs.make();
    const created = await createVault(dir, PASSPHRASE, { kdf: TEST_KDF });
    const fileKey = created.vault.createFileKey('folder-1', 'a.txt').key;
    created.vault.close();

    const vault = openVault(dir);
    expect(vault.isUnlocked).toBe(false);
    expect(vault.masterKeys()).toHaveLength(1);
    expect(vault.fileKeyCount()).toBe(1);
    expect(() => vault.fileKey('folder-1', 'a.txt')).toThrow(VaultLockedError);
    expect(() => vault.currentMasterKey()).toThrow(VaultLockedError);
    expect(() => vault.rotateMasterKey()).toThrow(VaultLockedError);
    expect(() => vault.credential('x')).toThrow(VaultLockedError);
    await vault.unlock(PASSPHRASE);
    expect(vault.fileKey('folder-1', 'a.txt')).toEqual(fileKey);
    vault.close();
  });

  it('rejects a wrong passphrase with WrongPassphraseError and stays locked', async () => {
    const dir = dirs.make();
    (await createVault(dir, PASSPHRASE, { kdf: TEST_KDF })).vault.close();
    const vault = openVault(dir);
    const err = await caught(() => vault.unlock('not the passphrase'));
    expect(err).toBeInstanceOf(WrongPassphraseError);
    expect(err.message).toMatch(/^wrong passphrase: it does not open the vault/);
    expect(vault.isUnlocked).toBe(false);
    vault.close();
  });

  it('unlocks with the recovery key and with a key file holding it; rejects another vault’s key and a typo', async () => {
    const dir = dirs.make();
    const { vault: created, recoveryKey } = await createVault(dir, PASSPHRASE, { kdf: TEST_KDF });
    const key = created.createFileKey('f', 'k').key;
    created.close();
    const other = await createVault(dirs.make(), PASSPHRASE, { kdf: TEST_KDF });
    other.vault.close();

    const vault = openVault(dir);
    vault.unlockWithRecoveryKey(recoveryKey.toLowerCase().replace(/-/g, ' '));
    expect(vault.fileKey('f', 'k')).toEqual(key);
    vault.lock();
    const keyFile = join(dir, 'vault.key');
    writeFileSync(keyFile, `${recoveryKey}\n`, { mode: 0o600 });
    vault.unlockWithKeyFile(keyFile);
    expect(vault.fileKey('f', 'k')).toEqual(key);
    vault.lock();
    expect(() => vault.unlockWithRecoveryKey(other.recoveryKey)).toThrow(WrongPassphraseError);
    expect(() => vault.unlockWithRecoveryKey(other.recoveryKey)).toThrow(/wrong recovery key/);
    expect(() => vault.unlockWithRecoveryKey(`${recoveryKey.slice(0, 3)}${recoveryKey[3] === '7' ? '8' : '7'}${recoveryKey.slice(4)}`)).toThrow(RecoveryKeyError);
    expect(vault.isUnlocked).toBe(false);
    vault.close();
  });

  it('wipes master keys and handed-out references on lock', async () => {
    const { vault } = await createVault(dirs.make(), PASSPHRASE, { kdf: TEST_KDF });
    const master = vault.currentMasterKey().key;
    expect(master.equals(Buffer.alloc(32))).toBe(false);
    vault.lock();
    expect(master.equals(Buffer.alloc(32))).toBe(true);
    expect(vault.isUnlocked).toBe(false);
    vault.close();
  });

  it('changes the passphrase: the old one stops working, the new one and the recovery key work, keys are unchanged', async () => {
    const dir = dirs.make();
    const { vault, recoveryKey } = await createVault(dir, PASSPHRASE, { kdf: TEST_KDF });
    const fileKey = vault.createFileKey('f', 'k').key;
    const before = vault.masterKeys();
    await expect(vault.changePassphrase('wrong passphrase', OTHER_PASSPHRASE)).rejects.toThrow(WrongPassphraseError);
    await expect(vault.changePassphrase(PASSPHRASE, 'short')).rejects.toThrow(/at least 8 characters/);
    await vault.changePassphrase(PASSPHRASE, OTHER_PASSPHRASE);
    vault.close();

    const reopened = openVault(dir);
    await expect(reopened.unlock(PASSPHRASE)).rejects.toThrow(WrongPassphraseError);
    await reopened.unlock(OTHER_PASSPHRASE);
    expect(reopened.fileKey('f', 'k')).toEqual(fileKey);
    expect(reopened.masterKeys()).toEqual(before);
    reopened.lock();
    reopened.unlockWithRecoveryKey(recoveryKey);
    expect(reopened.fileKey('f', 'k')).toEqual(fileKey);
    reopened.close();
  });

  it('refuses to create over an existing vault, leaving it untouched, and to open a missing one', async () => {
    const dir = dirs.make();
    const { vault } = await createVault(dir, PASSPHRASE, { kdf: TEST_KDF });
    const id = vault.currentMasterKey().id;
    vault.close();
    await expect(createVault(dir, OTHER_PASSPHRASE, { kdf: TEST_KDF })).rejects.toThrow(VaultExistsError);
    const reopened = openVault(dir);
    await reopened.unlock(PASSPHRASE);
    expect(reopened.currentMasterKey().id).toBe(id);
    reopened.close();

    const empty = dirs.make();
    expect(() => openVault(empty)).toThrow(VaultMissingError);
    expect(() => openVault(empty)).toThrow(/no vault at .*vault\.sqlite; create one with: coffer vault init/);
    expect(existsSync(empty)).toBe(false);
  });

  it('refuses a passphrase under 8 characters at creation, creating nothing', async () => {
    const dir = dirs.make();
    await expect(createVault(dir, 'seven77', { kdf: TEST_KDF })).rejects.toThrow(RangeError);
    expect(existsSync(join(dir, VAULT_FILE))).toBe(false);
  });

  it('emits loggable admin events for init, unlock, failed unlock, passphrase change and lock, with no key material', async () => {
    const dir = dirs.make();
    const recorder = eventRecorder();
    const options = { kdf: TEST_KDF, onEvent: recorder.onEvent, principal: 'tester' };
    const { vault, recoveryKey } = await createVault(dir, PASSPHRASE, options);
    vault.createFileKey('f', 'k');
    vault.close();
    const reopened = openVault(dir, options);
    await expect(reopened.unlock('bad passphrase!')).rejects.toThrow();
    await reopened.unlock(PASSPHRASE);
    await reopened.changePassphrase(PASSPHRASE, OTHER_PASSPHRASE);
    reopened.close();
    expect(recorder.operations()).toEqual(['VaultInit', 'VaultLock', 'VaultUnlockFailed', 'VaultUnlock', 'ChangePassphrase', 'VaultLock']);
    expect(recorder.events[0]).toMatchObject({ category: 'admin', outcome: 'success', principal: 'tester', keyId: 'vault-master-key', keyVersion: expect.stringMatching(/^[0-9a-f]{16}$/) });
    expect(recorder.events[2]).toMatchObject({ outcome: 'failure', errorCode: 'WrongPassphrase' });
    expect(recorder.events[3]!.details).toEqual({ method: 'passphrase', masterKeyVersions: 1 });
    const logged = recorder.events.map((e) => encodeEvent(e).json).join('\n');
    for (const secret of [PASSPHRASE, OTHER_PASSPHRASE, recoveryKey, recoveryKey.replace(/-/g, '')]) expect(logged).not.toContain(secret);
  });
});
