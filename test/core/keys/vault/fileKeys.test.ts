// Per-file keys and their descriptors, and master key rotation re-wrapping them on a real vault file.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createVault,
  DESCRIPTOR_LENGTH,
  FileKeyDescriptorError,
  openVault,
  recoverVault,
  UnknownMasterKeyError,
  VAULT_FILE,
  type Vault,
} from '../../../../main/core/keys/vault/index.js';
import { eventRecorder, PASSPHRASE, TEST_KDF, tempDirs, type TempDirs } from './vaultFixture.js';

const DAY_MS = 86_400_000;
let dirs: TempDirs;
let clock: number;
const now = (): Date => new Date(clock);

beforeEach(() => {
  dirs = tempDirs();
  clock = Date.UTC(2025, 0, 1);
});
afterEach(() => dirs.cleanup());

async function newVault(): Promise<{ vault: Vault; recoveryKey: string; dir: string }> {
  const dir = dirs.make();
  return { ...(await createVault(dir, PASSPHRASE, { kdf: TEST_KDF, now })), dir };
}

describe('per-file keys', () => {
  it('creates a random 32-byte key per object with a tag-safe descriptor naming the current master key', async () => {
    const { vault } = await newVault();
    const a = vault.createFileKey('folder-1', 'photos/a.jpg');
    const b = vault.createFileKey('folder-1', 'photos/b.jpg');
    expect(a.key).toHaveLength(32);
    expect(a.key.equals(b.key)).toBe(false);
    expect(a.descriptor).toHaveLength(DESCRIPTOR_LENGTH);
    expect(DESCRIPTOR_LENGTH).toBeLessThanOrEqual(256);
    expect(a.descriptor.startsWith(`${vault.currentMasterKey().id}.`)).toBe(true);
    // S3 tag values allow letters, digits, spaces and + - = . _ : / @
    expect(a.descriptor).toMatch(/^[A-Za-z0-9 +\-=._:/@]+$/);
    expect(vault.fileKey('folder-1', 'photos/a.jpg')).toEqual(a.key);
    expect(vault.fileKeyWithDescriptor('folder-1', 'photos/a.jpg')).toEqual({ key: a.key, descriptor: a.descriptor });
    expect(vault.fileKey('folder-1', 'missing')).toBeUndefined();
    expect(vault.fileKey('folder-2', 'photos/a.jpg')).toBeUndefined();
    vault.close();
  });

  it('opens a descriptor on a second device that merged the keyring, and stores it there', async () => {
    const { vault, recoveryKey } = await newVault();
    const { key, descriptor } = vault.createFileKey('f', 'doc.txt');
    const second = await recoverVault(dirs.make(), recoveryKey, PASSPHRASE, { kdf: TEST_KDF });
    expect(() => second.openWrappedFileKey(descriptor)).toThrow(UnknownMasterKeyError);
    expect(second.mergeKeyring(vault.exportKeyring())).toBe(1);
    expect(second.openWrappedFileKey(descriptor)).toEqual(key);
    second.storeFileKey('f', 'doc.txt', descriptor);
    expect(second.fileKey('f', 'doc.txt')).toEqual(key);
    vault.close();
    second.close();
  });

  it('refuses malformed and altered descriptors, and binds each to its file key id', async () => {
    const { vault } = await newVault();
    const { descriptor } = vault.createFileKey('f', 'a');
    expect(() => vault.openWrappedFileKey('nonsense')).toThrow(FileKeyDescriptorError);
    expect(() => vault.openWrappedFileKey(`${descriptor}x`)).toThrow(FileKeyDescriptorError);
    const [masterId, payload] = descriptor.split('.') as [string, string];
    const bytes = Buffer.from(payload, 'base64url');
    const flipped = (i: number): string => {
      const copy = Buffer.from(bytes);
      copy[i]! ^= 1;
      return `${masterId}.${copy.toString('base64url')}`;
    };
    // Byte 0 is in the file key id (bound as associated data), byte 40 in the sealed key itself.
    expect(() => vault.openWrappedFileKey(flipped(0))).toThrow(/fails authentication/);
    expect(() => vault.openWrappedFileKey(flipped(40))).toThrow(FileKeyDescriptorError);
    expect(() => vault.storeFileKey('f', 'b', flipped(40))).toThrow(FileKeyDescriptorError);
    expect(vault.fileKey('f', 'b')).toBeUndefined();
    vault.close();
  });

  it('replaces the key of an object on create, deletes, and lists keys older than N days', async () => {
    const { vault } = await newVault();
    const first = vault.createFileKey('f', 'old.txt');
    vault.createFileKey('g', 'old-elsewhere.txt');
    clock += 10 * DAY_MS;
    vault.createFileKey('f', 'new.txt');
    const replaced = vault.createFileKey('f', 'old.txt');
    expect(replaced.key.equals(first.key)).toBe(false);
    clock += 1 * DAY_MS;
    vault.createFileKey('f', 'older-replaced-later.txt');
    clock += 30 * DAY_MS;

    expect(vault.fileKeysOlderThan(40).map((k) => k.objectKey)).toEqual(['old-elsewhere.txt']);
    expect(vault.fileKeysOlderThan(20).map((k) => `${k.folderId}/${k.objectKey}`)).toEqual(['g/old-elsewhere.txt', 'f/new.txt', 'f/old.txt', 'f/older-replaced-later.txt']);
    expect(vault.fileKeysOlderThan(20, 'g')).toHaveLength(1);
    const info = vault.fileKeysOlderThan(0, 'f')[0]!;
    expect(info).toEqual({ folderId: 'f', objectKey: 'new.txt', keyId: expect.stringMatching(/^[0-9a-f]{16}$/), masterKeyId: vault.currentMasterKey().id, createdAt: new Date(Date.UTC(2025, 0, 11)) });
    expect(vault.deleteFileKey('f', 'new.txt')).toBe(true);
    expect(vault.deleteFileKey('f', 'new.txt')).toBe(false);
    expect(vault.fileKeyCount()).toBe(3);
    vault.close();
  });
});

describe('master key rotation', () => {
  it('re-wraps every file key under the new version in one go; old descriptors and keys still open', async () => {
    const recorder = eventRecorder();
    const dir = dirs.make();
    const { vault } = await createVault(dir, PASSPHRASE, { kdf: TEST_KDF, onEvent: recorder.onEvent });
    const first = vault.currentMasterKey().id;
    const made = Array.from({ length: 25 }, (_, i) => ({ objectKey: `file-${i}`, ...vault.createFileKey(i % 2 ? 'odd' : 'even', `file-${i}`) }));

    const rotated = vault.rotateMasterKey();
    expect(rotated.rewrapped).toBe(25);
    expect(rotated.id).not.toBe(first);
    expect(vault.masterKeys().map((v) => [v.id, v.current])).toEqual([
      [first, false],
      [rotated.id, true],
    ]);
    const db = new Database(join(dir, VAULT_FILE), { readonly: true });
    expect(db.prepare('SELECT DISTINCT master_key_id FROM file_keys').pluck().all()).toEqual([rotated.id]);
    db.close();
    for (const [i, m] of made.entries()) {
      expect(vault.fileKey(i % 2 ? 'odd' : 'even', m.objectKey)).toEqual(m.key);
      expect(vault.openWrappedFileKey(m.descriptor)).toEqual(m.key);
    }
    // The stored descriptor now names the new version and opens to the same key.
    const current = vault.fileKeyWithDescriptor('even', 'file-0')!;
    expect(current.key).toEqual(made[0]!.key);
    expect(current.descriptor.startsWith(`${rotated.id}.`)).toBe(true);
    expect(vault.openWrappedFileKey(current.descriptor)).toEqual(made[0]!.key);
    expect(vault.fileKeyWithDescriptor('even', 'missing')).toBeUndefined();
    expect(vault.createFileKey('even', 'after').descriptor.startsWith(`${rotated.id}.`)).toBe(true);
    expect(vault.rotateMasterKey().rewrapped).toBe(26);
    const rotation = recorder.events.find((e) => e.operation === 'RotateVaultMasterKey')!;
    expect(rotation).toMatchObject({ keyVersion: rotated.id, details: { previousVersion: first, rewrapped: 25 } });
    vault.close();

    const reopened = openVault(dir);
    await reopened.unlock(PASSPHRASE);
    expect(reopened.masterKeys()).toHaveLength(3);
    expect(reopened.fileKey('odd', 'file-1')).toEqual(made[1]!.key);
    reopened.close();
  });

  it('orders a version made in the same millisecond after the current one', async () => {
    const { vault } = await newVault();
    const ids = [vault.currentMasterKey().id, vault.rotateMasterKey().id, vault.rotateMasterKey().id];
    const versions = vault.masterKeys();
    expect(versions.map((v) => v.id)).toEqual(ids);
    expect(new Set(versions.map((v) => v.createdAt.getTime())).size).toBe(3);
    expect(vault.currentMasterKey().id).toBe(ids[2]);
    vault.close();
  });

  it('sees a rotation made through another handle on the same file', async () => {
    const { vault, dir } = await newVault();
    const other = openVault(dir);
    await other.unlock(PASSPHRASE);
    const { id } = other.rotateMasterKey();
    expect(vault.currentMasterKey().id).toBe(id);
    expect(vault.createFileKey('f', 'x').descriptor.startsWith(`${id}.`)).toBe(true);
    other.close();
    vault.close();
  });
});
