// Encrypted backups: round trips by passphrase and by recovery key, refusals, and tampering detected.
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  BackupCorruptError,
  createVault,
  importBackup,
  openVault,
  RecoveryKeyError,
  VAULT_FILE,
  VaultExistsError,
  WrongPassphraseError,
  type Vault,
} from '../../../../main/core/keys/vault/index.js';
import { eventRecorder, OTHER_PASSPHRASE, PASSPHRASE, TEST_KDF, tempDirs, type TempDirs } from './vaultFixture.js';

let dirs: TempDirs;
let backupDir: string;
beforeEach(() => {
  dirs = tempDirs();
  backupDir = dirs.make('backups');
  mkdirSync(backupDir);
});
afterEach(() => dirs.cleanup());

const CREDENTIAL = { accessKeyId: 'AKIABACKUP', secretAccessKey: 'backup-secret-value-123' };

/** A vault with two master key versions, file keys under both, a credential and a folder. */
async function populated(): Promise<{ vault: Vault; recoveryKey: string; dir: string; keys: Map<string, Buffer> }> {
  const dir = dirs.make();
  const { vault, recoveryKey } = await createVault(dir, PASSPHRASE, { kdf: TEST_KDF });
  const keys = new Map<string, Buffer>();
  keys.set('a.txt', vault.createFileKey('f1', 'a.txt').key);
  vault.rotateMasterKey();
  keys.set('b.txt', vault.createFileKey('f1', 'b.txt').key);
  vault.putCredential('remote', CREDENTIAL);
  vault.folders.add('/data/f1', '{"sse":"SSE-C"}');
  return { vault, recoveryKey, dir, keys };
}

async function expectSameContents(restored: Vault, original: Vault, keys: Map<string, Buffer>): Promise<void> {
  expect(restored.masterKeys()).toEqual(original.masterKeys());
  for (const [objectKey, key] of keys) expect(restored.fileKey('f1', objectKey)).toEqual(key);
  expect(restored.credential('remote')).toEqual(CREDENTIAL);
  expect(restored.folders.list()).toEqual(original.folders.list());
}

describe('vault backup', () => {
  it('round-trips the whole vault through a 0600 file, opened by the passphrase', async () => {
    const { vault, keys } = await populated();
    const file = join(backupDir, 'vault.backup.json');
    expect(vault.exportBackup(file)).toEqual({ masterKeys: 2, fileKeys: 2, credentials: 1, folders: 1 });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(backupDir)).toEqual(['vault.backup.json']);
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain(CREDENTIAL.secretAccessKey);
    expect(JSON.parse(text)).toMatchObject({ format: 'coffer-vault-backup', version: 1, kdf: { algorithm: 'scrypt', N: TEST_KDF.N, r: 8, p: 1 } });

    const recorder = eventRecorder();
    const target = dirs.make();
    const restored = await importBackup(target, file, { passphrase: PASSPHRASE }, { onEvent: recorder.onEvent });
    expect(restored.isUnlocked).toBe(true);
    await expectSameContents(restored, vault, keys);
    expect(recorder.operations()).toEqual(['ImportVaultBackup']);
    expect(statSync(join(target, VAULT_FILE)).mode & 0o777).toBe(0o600);
    restored.close();
    // The restored vault keeps the passphrase it had.
    const reopened = openVault(target);
    await reopened.unlock(PASSPHRASE);
    reopened.close();
    vault.close();
  });

  it('is opened by the recovery key too, even after the passphrase it was made under is forgotten', async () => {
    const { vault, recoveryKey, keys } = await populated();
    const file = join(backupDir, 'b.json');
    vault.exportBackup(file);
    const restored = await importBackup(dirs.make(), file, { recoveryKey });
    await expectSameContents(restored, vault, keys);
    restored.close();
    vault.close();
  });

  it('opens with the passphrase of the moment it was exported, not a later one', async () => {
    const { vault } = await populated();
    const file = join(backupDir, 'b.json');
    vault.exportBackup(file);
    await vault.changePassphrase(PASSPHRASE, OTHER_PASSPHRASE);
    await expect(importBackup(dirs.make(), file, { passphrase: OTHER_PASSPHRASE })).rejects.toThrow(WrongPassphraseError);
    (await importBackup(dirs.make(), file, { passphrase: PASSPHRASE })).close();
    vault.close();
  });

  it('refuses to overwrite an existing vault unless forced, and then replaces it whole', async () => {
    const { vault, keys } = await populated();
    const file = join(backupDir, 'b.json');
    vault.exportBackup(file);
    const target = dirs.make();
    const { vault: other } = await createVault(target, OTHER_PASSPHRASE, { kdf: TEST_KDF });
    other.createFileKey('x', 'y');
    other.close();
    const before = readFileSync(join(target, VAULT_FILE));
    await expect(importBackup(target, file, { passphrase: PASSPHRASE })).rejects.toThrow(VaultExistsError);
    expect(readFileSync(join(target, VAULT_FILE)).equals(before)).toBe(true);

    const restored = await importBackup(target, file, { passphrase: PASSPHRASE }, { force: true });
    await expectSameContents(restored, vault, keys);
    expect(restored.fileKey('x', 'y')).toBeUndefined();
    restored.close();
    expect(readdirSync(target).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    vault.close();
  });

  it('rejects a wrong passphrase, another vault’s recovery key and a mistyped one, writing nothing', async () => {
    const { vault } = await populated();
    const { vault: stranger, recoveryKey: strangerKey } = await createVault(dirs.make(), PASSPHRASE, { kdf: TEST_KDF });
    const file = join(backupDir, 'b.json');
    vault.exportBackup(file);
    const target = dirs.make();
    await expect(importBackup(target, file, { passphrase: 'not the passphrase' })).rejects.toThrow(WrongPassphraseError);
    await expect(importBackup(target, file, { recoveryKey: strangerKey })).rejects.toThrow(/wrong recovery key: it does not open this backup/);
    await expect(importBackup(target, file, { recoveryKey: strangerKey.slice(0, -1) })).rejects.toThrow(RecoveryKeyError);
    expect(existsSync(target)).toBe(false);
    vault.close();
    stranger.close();
  });

  it('refuses a file that is not a backup, and one whose header or contents were altered', async () => {
    const { vault, recoveryKey } = await populated();
    const file = join(backupDir, 'b.json');
    vault.exportBackup(file);
    const original = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    const variant = (name: string, change: (doc: Record<string, unknown>) => void): string => {
      const doc = structuredClone(original);
      change(doc);
      const path = join(backupDir, name);
      writeFileSync(path, JSON.stringify(doc));
      return path;
    };
    const target = dirs.make();
    const notJson = join(backupDir, 'not.json');
    writeFileSync(notJson, 'hello');
    await expect(importBackup(target, notJson, { passphrase: PASSPHRASE })).rejects.toThrow(/is not JSON/);
    await expect(importBackup(target, variant('fmt.json', (d) => (d.format = 'x')), { passphrase: PASSPHRASE })).rejects.toThrow(/is not a vault backup/);
    const payload = Buffer.from(original.payload as string, 'base64');
    payload[payload.length - 20]! ^= 1;
    const flipped = variant('payload.json', (d) => (d.payload = payload.toString('base64')));
    await expect(importBackup(target, flipped, { passphrase: PASSPHRASE })).rejects.toThrow(BackupCorruptError);
    await expect(importBackup(target, flipped, { passphrase: PASSPHRASE })).rejects.toThrow(/contents fail authentication/);
    // The creation time is bound to the contents: editing the header breaks them too.
    const redated = variant('date.json', (d) => (d.createdAt = '2001-01-01T00:00:00.000Z'));
    await expect(importBackup(target, redated, { recoveryKey })).rejects.toThrow(/contents fail authentication/);
    const weakened = variant('kdf.json', (d) => ((d.kdf as { N: number }).N = 2));
    await expect(importBackup(target, weakened, { passphrase: PASSPHRASE })).rejects.toThrow(WrongPassphraseError);
    expect(existsSync(target)).toBe(false);
    vault.close();
  });
});

