// Changing a folder's mode against the real embedded store: s3 -> c-vault -> kms -> c-key with identical bytes, resume, crash recovery.
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Vault } from '../../../../main/core/keys/vault/index.js';
import { changeFolderMode, type ModeChangeOptions } from '../../../../main/core/sync/folder/changeFolderMode.js';
import type { FolderKeys } from '../../../../main/core/sync/folder/folderCipher.js';
import type { FolderSettings } from '../../../../main/core/sync/folder/folderSettings.js';
import { copyInPlace } from '../../../../main/core/sync/folder/inPlaceCopy.js';
import { requestModeChange, settingsAfterChange, type ModeTarget } from '../../../../main/core/sync/folder/modeChangeSettings.js';
import { FILE_KEY_TAG } from '../../../../main/core/sync/folder/remoteLayout.js';
import { startStoreFixture, type StoreFixture } from '../../../support/storeFixture.js';
import { openSyncDevice, type SyncDevice } from '../../../support/syncDevice.js';
import { fileKeysOf, headStatus, jobRun, storedBytes, storedHead, storedTags, TestClock, VaultDirs, writeFile } from './jobFixture.js';

let fixture: StoreFixture;
let vaults: VaultDirs;
let devices: SyncDevice[] = [];
let bucketCounter = 0;

beforeAll(async () => {
  fixture = await startStoreFixture();
});
afterAll(async () => {
  await fixture.close();
});
afterEach(async () => {
  for (const d of devices) await d.close();
  devices = [];
  vaults?.cleanup();
});

const FILES: Record<string, Buffer> = {
  'notes.txt': Buffer.from('plain words'),
  'photos/big.bin': randomBytes(300_000),
  'empty.dat': Buffer.alloc(0),
};

/** A sse-s3 folder with FILES uploaded and one more deleted into the remote trash. */
async function s3Folder(): Promise<{ a: SyncDevice; vault: Vault; clock: TestClock }> {
  vaults = new VaultDirs();
  const clock = new TestClock();
  const { vault } = await vaults.create(clock);
  const a = await openSyncDevice(fixture, { name: 'laptop', bucket: `mode-${++bucketCounter}`, mode: 'sse-s3' });
  devices.push(a);
  for (const [path, content] of Object.entries(FILES)) writeFile(a, path, content);
  writeFile(a, 'trashed.txt', 'deleted but kept');
  await a.cycle();
  rmSync(join(a.root, 'trashed.txt'));
  await a.cycle();
  return { a, vault, clock };
}

interface Run {
  settings: FolderSettings;
  saved?: FolderSettings;
}

function options(a: SyncDevice, vault: Vault, run: Run, fromKeys: FolderKeys, extra: Partial<ModeChangeOptions> = {}): ModeChangeOptions {
  return {
    ...jobRun(),
    settings: run.settings,
    store: a.store,
    index: a.index,
    audit: { record: (e) => void a.events.push(e) },
    device: a.name,
    vault,
    fromKeys,
    saveSettings: (s) => void (run.saved = s),
    ...extra,
  };
}

async function objectKeys(a: SyncDevice): Promise<string[]> {
  const keys: string[] = [];
  for await (const o of a.store.list()) if (!o.key.startsWith('.coffer/')) keys.push(o.key);
  return keys.sort();
}

const target = (mode: ModeTarget['mode'], extra: Partial<ModeTarget> = {}): ModeTarget => ({ mode, ...extra });

describe('coffer folder set-mode (core)', () => {
  it('moves sse-s3 -> sse-c-vault -> sse-kms -> sse-c-key, bytes identical after each and HEAD showing the new encryption', async () => {
    const { a, vault, clock } = await s3Folder();
    const bucket = a.settings.bucket;
    const keys = await objectKeys(a);
    expect(keys.some((k) => k.startsWith('.coffer-trash/'))).toBe(true);
    const trashKey = keys.find((k) => k.startsWith('.coffer-trash/'))!;
    const expected = new Map<string, Buffer>([...Object.entries(FILES), [trashKey, Buffer.from('deleted but kept')]]);
    const folderId = a.settings.id;

    // sse-s3 -> sse-c-vault
    const toVault: Run = { settings: requestModeChange(a.settings, target('sse-c-vault'), clock.now()) };
    const first = await changeFolderMode(options(a, vault, toVault, {}));
    expect(first).toMatchObject({ completed: true, total: keys.length, changed: keys.length, failed: 0 });
    expect(toVault.saved).toMatchObject({ mode: 'sse-c-vault' });
    expect(toVault.saved?.pendingMode).toBeUndefined();
    for (const [key, bytes] of expected) {
      const fileKey = vault.fileKey(folderId, key)!;
      expect((await storedBytes(fixture, bucket, key, fileKey)).equals(bytes)).toBe(true);
      expect((await storedHead(fixture, bucket, key, fileKey)).SSECustomerAlgorithm).toBe('AES256');
      expect(await headStatus(fixture, bucket, key)).toBe(400);
      expect((await storedTags(fixture, bucket, key))[FILE_KEY_TAG]).toBe(vault.fileKeyWithDescriptor(folderId, key)!.descriptor);
    }
    expect((await storedHead(fixture, bucket, '.coffer/keyring.json')).ServerSideEncryption).toBe('AES256');

    // sse-c-vault -> sse-kms with a customer managed key
    const cmk = fixture.store.services.kms.createKey({ alias: `alias/mode-${bucketCounter}`, description: 'mode change test' });
    const toKms: Run = { settings: requestModeChange(toVault.saved!, target('sse-kms', { kmsKeyId: cmk.arn }), clock.now()) };
    expect(await changeFolderMode(options(a, vault, toKms, { vault: fileKeysOf(vault) }))).toMatchObject({ completed: true, failed: 0 });
    expect(toKms.saved).toMatchObject({ mode: 'sse-kms', kmsKeyId: cmk.arn });
    for (const [key, bytes] of expected) {
      expect((await storedBytes(fixture, bucket, key)).equals(bytes)).toBe(true);
      expect(await storedHead(fixture, bucket, key)).toMatchObject({ ServerSideEncryption: 'aws:kms', SSEKMSKeyId: cmk.arn });
      expect((await storedTags(fixture, bucket, key))[FILE_KEY_TAG]).toBeUndefined();
      expect((await storedHead(fixture, bucket, key)).Metadata?.[FILE_KEY_TAG]).toBeUndefined();
      expect(vault.fileKey(folderId, key)).toBeUndefined();
    }

    // sse-kms -> sse-c-key
    const userKey = randomBytes(32);
    const fingerprint = 'f'.repeat(64);
    const toUser: Run = { settings: requestModeChange(toKms.saved!, target('sse-c-key', { sseCKeyFingerprint: fingerprint, sseCKeyFile: '/keys/user.key' }), clock.now()) };
    expect(await changeFolderMode(options(a, vault, toUser, {}, { toUserKey: userKey }))).toMatchObject({ completed: true, failed: 0 });
    expect(toUser.saved).toMatchObject({ mode: 'sse-c-key', sseCKeyFingerprint: fingerprint, sseCKeyFile: '/keys/user.key' });
    expect(toUser.saved?.kmsKeyId).toBeUndefined();
    for (const [key, bytes] of expected) {
      expect((await storedBytes(fixture, bucket, key, userKey)).equals(bytes)).toBe(true);
      expect((await storedHead(fixture, bucket, key, userKey)).SSECustomerAlgorithm).toBe('AES256');
      expect(await headStatus(fixture, bucket, key)).toBe(400);
    }
    expect(a.events.filter((e) => e.operation === 'SyncChangeMode').map((e) => [e.outcome, e.details?.from, e.details?.to])).toEqual([
      ['success', 'sse-s3', 'sse-c-vault'],
      ['success', 'sse-c-vault', `sse-kms (key ${cmk.arn})`],
      ['success', `sse-kms (key ${cmk.arn})`, 'sse-c-key'],
    ]);
    expect(a.index.jobDetail(folderId, 'change-mode')).toBeUndefined();
    // A device set up in the new mode reads every file.
    const sync = await openSyncDevice(fixture, { name: 'laptop-again', bucket, mode: 'sse-c-key', userKey });
    devices.push(sync);
    await sync.cycle();
    expect(sync.sync.errors).toEqual([]);
  });

  it('an aborted change keeps its target and progress, and the next run finishes only the rest', async () => {
    const { a, vault, clock } = await s3Folder();
    const keys = await objectKeys(a);
    const run: Run = { settings: requestModeChange(a.settings, target('sse-c-vault'), clock.now()) };
    const abort = new AbortController();
    const first = await changeFolderMode(options(a, vault, run, {}, { concurrency: 1, signal: abort.signal, onProgress: (p) => void (p.done >= 2 && abort.abort()) }));
    expect(first).toMatchObject({ completed: false, aborted: true, changed: 2, total: keys.length });
    expect(run.saved).toBeUndefined();
    expect(first.settings.pendingMode?.mode).toBe('sse-c-vault');
    expect(a.index.jobFinished(a.settings.id, 'change-mode').size).toBe(2);
    expect(a.events.some((e) => e.operation === 'SyncChangeMode')).toBe(false);

    const progress: number[] = [];
    const second = await changeFolderMode(options(a, vault, run, {}, { onProgress: (p) => progress.push(p.done) }));
    expect(second).toMatchObject({ completed: true, changed: keys.length - 2, total: keys.length });
    expect(progress[0]).toBe(2);
    expect(progress.at(-1)).toBe(keys.length);
    for (const key of keys) expect(vault.fileKey(a.settings.id, key)).toBeDefined();
    expect((await storedBytes(fixture, a.settings.bucket, 'photos/big.bin', vault.fileKey(a.settings.id, 'photos/big.bin'))).equals(FILES['photos/big.bin']!)).toBe(true);
  });

  it('recognises an object copied just before a crash: into sse-c-vault from its tag, out of it by reading without a key', async () => {
    const { a, vault, clock } = await s3Folder();
    const bucket = a.settings.bucket;
    const toVault: Run = { settings: requestModeChange(a.settings, target('sse-c-vault'), clock.now()) };
    a.index.beginJob(a.settings.id, 'change-mode', JSON.stringify(toVault.settings.pendingMode));
    // The crash: notes.txt is copied under a minted key that the vault never stored, and no progress row says so.
    const minted = vault.mintFileKey(a.settings.id, 'notes.txt');
    await copyInPlace(a.store, 'notes.txt', { source: undefined, target: { mode: 'sse-c', key: minted.key }, descriptor: minted.descriptor });
    const etag = (await storedHead(fixture, bucket, 'notes.txt', minted.key)).ETag;
    expect(await changeFolderMode(options(a, vault, toVault, {}))).toMatchObject({ completed: true, failed: 0 });
    expect(vault.fileKey(a.settings.id, 'notes.txt')!.equals(minted.key)).toBe(true);
    expect((await storedHead(fixture, bucket, 'notes.txt', minted.key)).ETag).toBe(etag);

    const vaultSettings = toVault.saved!;
    const toS3: Run = { settings: requestModeChange(vaultSettings, target('sse-s3'), clock.now()) };
    a.index.beginJob(a.settings.id, 'change-mode', JSON.stringify(toS3.settings.pendingMode));
    const held = vault.fileKey(a.settings.id, 'notes.txt')!;
    await copyInPlace(a.store, 'notes.txt', { source: { mode: 'sse-c', key: held }, target: { mode: 'sse-s3' }, descriptor: null });
    expect(await changeFolderMode(options(a, vault, toS3, { vault: fileKeysOf(vault) }))).toMatchObject({ completed: true, failed: 0 });
    expect((await storedBytes(fixture, bucket, 'notes.txt')).equals(FILES['notes.txt']!)).toBe(true);
    expect(vault.fileKey(a.settings.id, 'notes.txt')).toBeUndefined();
  });

  it('refuses a second, different change while one is pending, the same encryption, and a change with nothing pending', async () => {
    const { a, vault, clock } = await s3Folder();
    const pending = requestModeChange(a.settings, target('sse-kms'), clock.now());
    expect(requestModeChange(pending, target('sse-kms'), clock.now())).toBe(pending);
    expect(() => requestModeChange(pending, target('sse-c-vault'), clock.now())).toThrow(/under way/);
    expect(() => requestModeChange(a.settings, target('sse-s3'), clock.now())).toThrow(/already/);
    expect(() => requestModeChange(a.settings, target('sse-c-key'), clock.now())).toThrow(/sseCKeyFingerprint/);
    expect(() => settingsAfterChange(a.settings)).toThrow(/no mode change is pending/);
    await expect(changeFolderMode(options(a, vault, { settings: a.settings }, {}))).rejects.toThrow(/no mode change is pending/);
    const toUser = requestModeChange(a.settings, target('sse-c-key', { sseCKeyFingerprint: 'a'.repeat(64), sseCKeyFile: '/k' }), clock.now());
    await expect(changeFolderMode(options(a, vault, { settings: toUser }, {}))).rejects.toThrow(/needs the new SSE-C key/);
  });
});
