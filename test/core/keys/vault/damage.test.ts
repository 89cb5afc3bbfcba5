// Damaged, foreign and newer vault files: clear typed errors, and the file left byte for byte as it was.
import Database from 'better-sqlite3';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createVault, openVault, SchemaTooNewError, VAULT_FILE, VaultCorruptError, WrongPassphraseError } from '../../../../main/core/keys/vault/index.js';
import { caught, PASSPHRASE, TEST_KDF, tempDirs, type TempDirs } from './vaultFixture.js';

let dirs: TempDirs;
beforeEach(() => {
  dirs = tempDirs();
});
afterEach(() => dirs.cleanup());

/** A closed vault with a file key, and the bytes of its file. */
async function closedVault(): Promise<{ dir: string; file: string; recoveryKey: string; masterId: string }> {
  const dir = dirs.make();
  const { vault, recoveryKey } = await createVault(dir, PASSPHRASE, { kdf: TEST_KDF });
  vault.createFileKey('photos', 'cat.jpg');
  const masterId = vault.currentMasterKey().id;
  vault.close();
  return { dir, file: join(dir, VAULT_FILE), recoveryKey, masterId };
}

/** Edits the file as damage or an attacker would, outside the vault's code. */
function edit(file: string, sql: string): void {
  const db = new Database(file);
  db.exec(sql);
  db.close();
}

describe('a damaged or foreign vault file', () => {
  it('refuses a file that is not SQLite with VaultCorruptError, leaving its bytes as they were', async () => {
    const { dir, file } = await closedVault();
    const garbage = Buffer.from('this is not a database at all, just some bytes '.repeat(100));
    writeFileSync(file, garbage);
    const err = await caught(() => openVault(dir));
    expect(err).toBeInstanceOf(VaultCorruptError);
    expect(err.message).toMatch(/vault\.sqlite is not a SQLite database; nothing was changed/);
    expect(readFileSync(file).equals(garbage)).toBe(true);
    expect(existsSync(`${file}-wal`)).toBe(false);
  });

  it('refuses an empty file and a SQLite file with a damaged body', async () => {
    const { dir, file } = await closedVault();
    const good = readFileSync(file);
    writeFileSync(file, Buffer.alloc(0));
    expect(() => openVault(dir)).toThrow(VaultCorruptError);
    const damaged = Buffer.from(good);
    damaged.fill(0xa5, 100, damaged.length);
    writeFileSync(file, damaged);
    expect(() => openVault(dir)).toThrow(VaultCorruptError);
    expect(readFileSync(file).equals(damaged)).toBe(true);
  });

  it('refuses another program’s SQLite database without migrating it', async () => {
    const dir = dirs.make();
    const { vault } = await createVault(dir, PASSPHRASE, { kdf: TEST_KDF });
    vault.close();
    const file = join(dir, VAULT_FILE);
    writeFileSync(file, Buffer.alloc(0));
    const foreign = new Database(file);
    foreign.exec("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('hello')");
    foreign.close();
    const before = readFileSync(file);
    expect(() => openVault(dir)).toThrow(/is a SQLite database but not a Coffer vault/);
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('refuses a vault written by a newer Coffer with SchemaTooNewError, leaving it untouched', async () => {
    const { dir, file } = await closedVault();
    edit(file, 'PRAGMA user_version = 7');
    const before = readFileSync(file);
    const err = await caught(() => openVault(dir));
    expect(err).toBeInstanceOf(SchemaTooNewError);
    expect(err.message).toMatch(/schema version 7, newer than this Coffer understands \(1\)/);
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('names a damaged master key version at unlock, stays locked, and changes nothing', async () => {
    const { dir, file, masterId } = await closedVault();
    edit(file, "UPDATE master_keys SET sealed = substr(sealed, 1, 20) || x'00' || substr(sealed, 22)");
    const before = readFileSync(file);
    const vault = openVault(dir);
    const err = await caught(() => vault.unlock(PASSPHRASE));
    expect(err).toBeInstanceOf(VaultCorruptError);
    expect(err.message).toContain(`master key version ${masterId} fails authentication`);
    expect(vault.isUnlocked).toBe(false);
    vault.close();
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('names a damaged file key by folder and object, and refuses to rotate over it', async () => {
    const { dir, file } = await closedVault();
    edit(file, "UPDATE file_keys SET key_id = 'ffffffffffffffff'");
    const vault = openVault(dir);
    await vault.unlock(PASSPHRASE);
    expect(() => vault.fileKey('photos', 'cat.jpg')).toThrow('the vault is damaged: the file key of photos/cat.jpg fails authentication');
    const versions = vault.masterKeys();
    expect(() => vault.rotateMasterKey()).toThrow(VaultCorruptError);
    expect(vault.masterKeys()).toEqual(versions);
    vault.close();
  });

  it('treats a damaged passphrase seal as a wrong passphrase, and still unlocks with the recovery key', async () => {
    const { dir, file, recoveryKey } = await closedVault();
    edit(file, "UPDATE vault_unlock SET sealed_secret = substr(sealed_secret, 1, 30) || x'ff' || substr(sealed_secret, 32)");
    const vault = openVault(dir);
    const err = await caught(() => vault.unlock(PASSPHRASE));
    expect(err).toBeInstanceOf(WrongPassphraseError);
    expect(err.message).toMatch(/unlock with the recovery key/);
    vault.unlockWithRecoveryKey(recoveryKey);
    expect(vault.fileKey('photos', 'cat.jpg')).toHaveLength(32);
    vault.close();
  });

  it('refuses lowered scrypt parameters in the file (they are bound to the seal)', async () => {
    const { dir, file } = await closedVault();
    edit(file, 'UPDATE vault_unlock SET kdf_n = 16');
    const vault = openVault(dir);
    await expect(vault.unlock(PASSPHRASE)).rejects.toThrow(WrongPassphraseError);
    vault.close();
  });

  it('refuses a vault without its unlock record, or with impossible parameters', async () => {
    const { dir, file } = await closedVault();
    edit(file, 'UPDATE vault_unlock SET kdf_n = 1000');
    expect(() => openVault(dir)).toThrow('the vault is damaged: its unlock record holds impossible scrypt parameters');
    edit(file, 'DELETE FROM vault_unlock');
    expect(() => openVault(dir)).toThrow('the vault is damaged: its unlock record is missing');
  });
});
