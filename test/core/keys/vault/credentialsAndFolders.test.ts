// Remote credentials (sealed) and folder settings (plain rows) in a real vault file.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createVault, openVault, VAULT_FILE, VaultCorruptError, VaultLockedError } from '../../../../main/core/keys/vault/index.js';
import { PASSPHRASE, TEST_KDF, tempDirs, type TempDirs } from './vaultFixture.js';

let dirs: TempDirs;
beforeEach(() => {
  dirs = tempDirs();
});
afterEach(() => dirs.cleanup());

const CREDENTIAL = { accessKeyId: 'AKIAVAULTTEST0001', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYVAULTSECRET' };

describe('remote credentials', () => {
  it('stores access key pairs sealed, by id, and returns them after a reopen', async () => {
    const dir = dirs.make();
    const { vault } = await createVault(dir, PASSPHRASE, { kdf: TEST_KDF });
    vault.putCredential('r2-backup', CREDENTIAL);
    vault.putCredential('minio', { accessKeyId: 'minio', secretAccessKey: 'minio-secret-1' });
    vault.putCredential('minio', { accessKeyId: 'minio', secretAccessKey: 'minio-secret-2' });
    expect(vault.credential('r2-backup')).toEqual(CREDENTIAL);
    expect(vault.credential('minio')!.secretAccessKey).toBe('minio-secret-2');
    expect(vault.credential('nope')).toBeUndefined();
    expect(() => vault.putCredential('', CREDENTIAL)).toThrow(TypeError);
    expect(() => vault.putCredential('x', { accessKeyId: 'a', secretAccessKey: '' })).toThrow(TypeError);
    vault.close();

    const raw = new Database(join(dir, VAULT_FILE), { readonly: true });
    const stored = Buffer.concat(raw.prepare('SELECT sealed FROM credentials').pluck().all() as Buffer[]);
    raw.close();
    expect(stored.includes(Buffer.from(CREDENTIAL.secretAccessKey))).toBe(false);
    expect(stored.includes(Buffer.from(CREDENTIAL.accessKeyId))).toBe(false);

    const reopened = openVault(dir);
    expect(reopened.credentialIds()).toEqual(['minio', 'r2-backup']);
    expect(() => reopened.credential('r2-backup')).toThrow(VaultLockedError);
    await reopened.unlock(PASSPHRASE);
    expect(reopened.credential('r2-backup')).toEqual(CREDENTIAL);
    expect(reopened.deleteCredential('minio')).toBe(true);
    expect(reopened.credentialIds()).toEqual(['r2-backup']);
    reopened.close();
  });

  it('reports a credential sealed for another id as damaged, naming the id but not the secret', async () => {
    const dir = dirs.make();
    const { vault } = await createVault(dir, PASSPHRASE, { kdf: TEST_KDF });
    vault.putCredential('a', CREDENTIAL);
    vault.putCredential('b', { accessKeyId: 'other', secretAccessKey: 'other-secret' });
    const raw = new Database(join(dir, VAULT_FILE));
    raw.prepare("UPDATE credentials SET sealed = (SELECT sealed FROM credentials WHERE id = 'a') WHERE id = 'b'").run();
    raw.close();
    expect(() => vault.credential('b')).toThrow(VaultCorruptError);
    expect(() => vault.credential('b')).toThrow(/credential b fails authentication/);
    vault.close();
  });
});

describe('folder settings', () => {
  it('adds, reads, lists, updates and removes folders, locked or not', async () => {
    const dir = dirs.make();
    let clock = Date.UTC(2025, 2, 1);
    const { vault } = await createVault(dir, PASSPHRASE, { kdf: TEST_KDF, now: () => new Date(clock) });
    vault.lock();
    const photos = vault.folders.add('/home/ada/Photos', '{"remote":"embedded","sse":"SSE-C"}');
    expect(photos).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{16}$/),
      localPath: '/home/ada/Photos',
      settings: '{"remote":"embedded","sse":"SSE-C"}',
      createdAt: new Date(clock),
      updatedAt: new Date(clock),
    });
    clock += 1000;
    const docs = vault.folders.add('/home/ada/Docs', '{}');
    expect(() => vault.folders.add('/home/ada/Photos', '{}')).toThrow(/UNIQUE/);
    expect(() => vault.folders.add('/home/ada/Music', '{oops')).toThrow('folder settings must be a JSON document');
    expect(vault.folders.list().map((f) => f.localPath)).toEqual(['/home/ada/Photos', '/home/ada/Docs']);
    clock += 1000;
    const updated = vault.folders.update(photos.id, { settings: '{"paused":true}' });
    expect(updated).toMatchObject({ localPath: '/home/ada/Photos', settings: '{"paused":true}', updatedAt: new Date(clock), createdAt: photos.createdAt });
    expect(vault.folders.update(docs.id, { localPath: '/home/ada/Documents' })!.localPath).toBe('/home/ada/Documents');
    expect(vault.folders.update('missing', { settings: '{}' })).toBeUndefined();
    expect(vault.folders.remove(docs.id)).toBe(true);
    expect(vault.folders.remove(docs.id)).toBe(false);
    vault.close();
    const reopened = openVault(dir);
    expect(reopened.folders.get(photos.id)!.settings).toBe('{"paused":true}');
    expect(reopened.folders.list()).toHaveLength(1);
    reopened.close();
  });
});
