// Keyring export and merge between devices that share a recovery secret, including independent rotations.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sealKey } from '../../../../main/core/crypto/keyWrap.js';
import { createVault, KeyringError, NoMasterKeyError, openVault, parseRecoveryKey, recoverVault, VaultLockedError } from '../../../../main/core/keys/vault/index.js';
import { masterKeysKek, sealedFor } from '../../../../main/core/keys/vault/vaultKeys.js';
import { eventRecorder, PASSPHRASE, TEST_KDF, tempDirs, type TempDirs } from './vaultFixture.js';

let dirs: TempDirs;
beforeEach(() => {
  dirs = tempDirs();
});
afterEach(() => dirs.cleanup());

describe('keyring export and merge', () => {
  it('exports every version sealed, as JSON-able data with no key bytes in the clear', async () => {
    const { vault } = await createVault(dirs.make(), PASSPHRASE, { kdf: TEST_KDF });
    vault.rotateMasterKey();
    const doc = vault.exportKeyring();
    expect(JSON.parse(JSON.stringify(doc))).toEqual(doc);
    expect(doc.format).toBe('coffer-vault-keyring');
    expect(doc.keys.map((k) => k.id)).toEqual(vault.masterKeys().map((v) => v.id));
    const text = JSON.stringify(doc);
    const key = vault.currentMasterKey().key;
    expect(text).not.toContain(key.toString('base64'));
    expect(text).not.toContain(key.toString('hex'));
    vault.close();
  });

  it('merges two devices that rotated independently into the union, each opening the other’s file keys', async () => {
    const { vault: laptop, recoveryKey } = await createVault(dirs.make(), PASSPHRASE, { kdf: TEST_KDF });
    const desktop = await recoverVault(dirs.make(), recoveryKey, PASSPHRASE, { kdf: TEST_KDF });
    expect(desktop.masterKeys()).toEqual([]);
    expect(() => desktop.currentMasterKey()).toThrow(NoMasterKeyError);
    expect(() => desktop.currentMasterKey()).toThrow('no master key yet; merge the keyring from the store');
    expect(() => desktop.createFileKey('f', 'x')).toThrow(NoMasterKeyError);
    expect(desktop.mergeKeyring(laptop.exportKeyring())).toBe(1);
    const shared = laptop.currentMasterKey().id;

    // Both rotate at the same time, without seeing each other.
    const laptopNew = laptop.rotateMasterKey().id;
    const desktopNew = desktop.rotateMasterKey().id;
    const fromLaptop = laptop.createFileKey('f', 'laptop.txt');
    const fromDesktop = desktop.createFileKey('f', 'desktop.txt');

    expect(laptop.mergeKeyring(desktop.exportKeyring())).toBe(1);
    expect(desktop.mergeKeyring(laptop.exportKeyring())).toBe(1);
    expect(laptop.mergeKeyring(desktop.exportKeyring())).toBe(0);
    const ids = (v: typeof laptop): string[] => v.masterKeys().map((m) => m.id).sort();
    expect(ids(laptop)).toEqual([shared, laptopNew, desktopNew].sort());
    expect(ids(desktop)).toEqual(ids(laptop));
    // Both agree on which version is current: the order is (createdAt, id) on both.
    expect(laptop.masterKeys()).toEqual(desktop.masterKeys());
    expect(laptop.openWrappedFileKey(fromDesktop.descriptor)).toEqual(fromDesktop.key);
    expect(desktop.openWrappedFileKey(fromLaptop.descriptor)).toEqual(fromLaptop.key);
    laptop.close();
    desktop.close();
  });

  it('refuses another vault’s keyring, an altered entry and a malformed document, merging nothing', async () => {
    const recorder = eventRecorder();
    const { vault, recoveryKey } = await createVault(dirs.make(), PASSPHRASE, { kdf: TEST_KDF });
    const { vault: stranger } = await createVault(dirs.make(), PASSPHRASE, { kdf: TEST_KDF });
    const second = await recoverVault(dirs.make(), recoveryKey, PASSPHRASE, { kdf: TEST_KDF, onEvent: recorder.onEvent });

    expect(() => second.mergeKeyring(stranger.exportKeyring())).toThrow(KeyringError);
    expect(() => second.mergeKeyring(stranger.exportKeyring())).toThrow(/does not open with this vault's recovery secret/);
    const good = vault.exportKeyring();
    const mixed = { ...good, keys: [...good.keys, ...stranger.exportKeyring().keys] };
    expect(() => second.mergeKeyring(mixed)).toThrow(KeyringError);
    const moved = { ...good, keys: good.keys.map((k) => ({ ...k, createdAt: new Date(Date.parse(k.createdAt) + 1).toISOString() })) };
    expect(() => second.mergeKeyring(moved)).toThrow(KeyringError);
    expect(() => second.mergeKeyring({ format: 'something-else', keys: [] })).toThrow(/not a vault keyring/);
    expect(() => second.mergeKeyring(null)).toThrow(KeyringError);
    expect(second.masterKeys()).toEqual([]);

    expect(second.mergeKeyring(good)).toBe(1);
    expect(recorder.operations()).toEqual(['VaultRecover', 'MergeVaultKeyring']);
    expect(second.ensureMasterKey()).toBe(good.keys[0]!.id);

    // The same id properly sealed over different bytes is a conflict, not a silent pick.
    const entry = good.keys[0]!;
    const kek = masterKeysKek(parseRecoveryKey(recoveryKey));
    const forged = sealKey(kek, Buffer.alloc(32, 9), sealedFor.masterKey(entry.id, Date.parse(entry.createdAt)));
    expect(() => second.mergeKeyring({ ...good, keys: [{ ...entry, sealed: forged.toString('base64') }] })).toThrow(/differs from this vault's version/);
    for (const v of [vault, stranger, second]) v.close();
  });

  it('needs the vault unlocked to merge, but not to export', async () => {
    const dir = dirs.make();
    const { vault } = await createVault(dir, PASSPHRASE, { kdf: TEST_KDF });
    const doc = vault.exportKeyring();
    vault.close();
    const locked = openVault(dir);
    expect(locked.exportKeyring()).toEqual(doc);
    expect(() => locked.mergeKeyring(doc)).toThrow(VaultLockedError);
    locked.close();
  });

  it('ensureMasterKey makes a first version only when there is none', async () => {
    const { vault, recoveryKey } = await createVault(dirs.make(), PASSPHRASE, { kdf: TEST_KDF });
    expect(vault.ensureMasterKey()).toBe(vault.currentMasterKey().id);
    expect(vault.masterKeys()).toHaveLength(1);
    const fresh = await recoverVault(dirs.make(), recoveryKey, PASSPHRASE, { kdf: TEST_KDF });
    const id = fresh.ensureMasterKey();
    expect(fresh.masterKeys().map((v) => v.id)).toEqual([id]);
    expect(fresh.createFileKey('f', 'k').descriptor.startsWith(`${id}.`)).toBe(true);
    // Another device's vault accepts it: it opens under the shared recovery secret.
    expect(vault.mergeKeyring(fresh.exportKeyring())).toBe(1);
    vault.close();
    fresh.close();
  });
});
