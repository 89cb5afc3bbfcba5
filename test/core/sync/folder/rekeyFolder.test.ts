// Per-file key rotation against the real embedded store and a real vault: all, older-than, resume, crash recovery, a second device.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Vault } from '../../../../main/core/keys/vault/index.js';
import { copyInPlace } from '../../../../main/core/sync/folder/inPlaceCopy.js';
import { exchangeKeyring } from '../../../../main/core/sync/folder/keyringExchange.js';
import { rekeyFolder, type RekeyOptions } from '../../../../main/core/sync/folder/rekeyFolder.js';
import { FILE_KEY_TAG } from '../../../../main/core/sync/folder/remoteLayout.js';
import { startStoreFixture, type StoreFixture } from '../../../support/storeFixture.js';
import { openSyncDevice, type SyncDevice } from '../../../support/syncDevice.js';
import { DAY_MS, fileKeysOf, headStatus, jobRun, storedBytes, storedHead, storedTags, TestClock, VaultDirs, writeFile } from './jobFixture.js';

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

async function vaultDevice(name: string, vault: Vault, bucket: string): Promise<SyncDevice> {
  const device = await openSyncDevice(fixture, { name, bucket, mode: 'sse-c-vault', vault: fileKeysOf(vault) });
  devices.push(device);
  return device;
}

async function setUp(files: Record<string, string>): Promise<{ clock: TestClock; vault: Vault; recoveryKey: string; a: SyncDevice }> {
  vaults = new VaultDirs();
  const clock = new TestClock();
  const { vault, recoveryKey } = await vaults.create(clock);
  const a = await vaultDevice('laptop', vault, `rekey-${++bucketCounter}`);
  for (const [path, content] of Object.entries(files)) writeFile(a, path, content);
  await a.cycle();
  return { clock, vault, recoveryKey, a };
}

function rekeyOptions(a: SyncDevice, vault: Vault, clock: TestClock, extra: Partial<RekeyOptions> = {}): RekeyOptions {
  return { ...jobRun(), settings: a.settings, store: a.store, vault, index: a.index, audit: { record: (e) => void a.events.push(e) }, device: a.name, olderThanDays: 0, now: clock.now, ...extra };
}

const heldKey = (vault: Vault, a: SyncDevice, key: string): Buffer => vault.fileKey(a.settings.id, key)!;

describe('coffer keys rekey (core)', () => {
  it('gives every object a new key by a copy onto itself: old key refused, bytes, metadata and other tags kept, no download follows', async () => {
    const files = { 'a.txt': 'alpha', 'docs/b.md': 'bravo', 'c.bin': 'charlie'.repeat(1000) };
    const { clock, vault, a } = await setUp(files);
    const bucket = a.settings.bucket;
    const before = new Map(Object.keys(files).map((k) => [k, heldKey(vault, a, k)]));
    const metaBefore = (await storedHead(fixture, bucket, 'a.txt', before.get('a.txt'))).Metadata!;
    clock.advance(1000);
    const progress: { done: number; total: number; current?: string }[] = [];
    const outcome = await rekeyFolder(rekeyOptions(a, vault, clock, { onProgress: (p) => progress.push(p) }));
    expect(outcome).toMatchObject({ changed: 3, skipped: 0, failed: 0, aborted: false, total: 3 });
    expect(progress[0]).toEqual({ done: 0, total: 3 });
    expect(progress.at(-1)).toMatchObject({ done: 3, total: 3 });
    expect(progress.slice(1).map((p) => p.current).sort()).toEqual(Object.keys(files).sort());
    for (const [key, content] of Object.entries(files)) {
      const fresh = heldKey(vault, a, key);
      expect(fresh.equals(before.get(key)!)).toBe(false);
      expect((await storedBytes(fixture, bucket, key, fresh)).toString()).toBe(content);
      expect(await headStatus(fixture, bucket, key, before.get(key))).toBe(403);
      const descriptor = vault.fileKeyWithDescriptor(a.settings.id, key)!.descriptor;
      expect((await storedTags(fixture, bucket, key))[FILE_KEY_TAG]).toBe(descriptor);
      expect((await storedHead(fixture, bucket, key, fresh)).Metadata?.[FILE_KEY_TAG]).toBe(descriptor);
    }
    const metaAfter = (await storedHead(fixture, bucket, 'a.txt', heldKey(vault, a, 'a.txt'))).Metadata!;
    expect({ ...metaAfter, [FILE_KEY_TAG]: '' }).toEqual({ ...metaBefore, [FILE_KEY_TAG]: '' });
    expect(a.events.filter((e) => e.operation === 'SyncRekey').map((e) => e.objectKey).sort()).toEqual(Object.keys(files).sort());
    const summary = a.events.find((e) => e.operation === 'SyncRekeySummary')!;
    expect(summary).toMatchObject({ category: 'sync', outcome: 'success', sseMode: 'SSE-C', details: { rekeyed: 3, skipped: 0, failed: 0, aborted: false } });
    expect(JSON.stringify(a.events)).not.toContain(heldKey(vault, a, 'a.txt').toString('base64'));
    // The base took the new ETags: the folder sees nothing to do.
    expect((await a.cycle())?.actions).toEqual([]);
  });

  it('with --older-than only touches keys older than that many days', async () => {
    const { clock, vault, a } = await setUp({ 'old-1.txt': 'one', 'old-2.txt': 'two' });
    clock.advance(10 * DAY_MS);
    writeFile(a, 'new.txt', 'three');
    await a.cycle();
    const newKey = heldKey(vault, a, 'new.txt');
    clock.advance(DAY_MS);
    const outcome = await rekeyFolder(rekeyOptions(a, vault, clock, { olderThanDays: 5 }));
    expect(outcome).toMatchObject({ changed: 2, total: 2, failed: 0 });
    expect(heldKey(vault, a, 'new.txt').equals(newKey)).toBe(true);
    expect(a.events.filter((e) => e.operation === 'SyncRekey').map((e) => e.objectKey).sort()).toEqual(['old-1.txt', 'old-2.txt']);
    // Re-keyed keys are new now: a second run finds nothing older than five days.
    expect(await rekeyFolder(rekeyOptions(a, vault, clock, { olderThanDays: 5 }))).toMatchObject({ changed: 0, total: 0 });
  });

  it('an aborted run resumes where it stopped: the second run re-keys only the rest', async () => {
    const files = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`f${i}.txt`, `file ${i}`]));
    const { clock, vault, a } = await setUp(files);
    const original = new Map(Object.keys(files).map((k) => [k, heldKey(vault, a, k)]));
    clock.advance(1000);
    const abort = new AbortController();
    const first = await rekeyFolder(
      rekeyOptions(a, vault, clock, { concurrency: 1, signal: abort.signal, onProgress: (p) => void (p.done >= 3 && abort.abort()) }),
    );
    expect(first).toMatchObject({ aborted: true, changed: 3, total: 8 });
    clock.advance(1000);
    const second = await rekeyFolder(rekeyOptions(a, vault, clock));
    expect(second).toMatchObject({ aborted: false, changed: 5, total: 5, failed: 0 });
    for (const [key, content] of Object.entries(files)) {
      const fresh = heldKey(vault, a, key);
      expect(fresh.equals(original.get(key)!)).toBe(false);
      expect((await storedBytes(fixture, a.settings.bucket, key, fresh)).toString()).toBe(content);
    }
    expect(a.events.filter((e) => e.operation === 'SyncRekey')).toHaveLength(8);
    expect(a.events.filter((e) => e.operation === 'SyncRekeySummary').map((e) => e.details?.resumed)).toEqual([false, true]);
  });

  it('completes a run that died after its copy but before storing the new key, from the object tag', async () => {
    const { clock, vault, a } = await setUp({ 'crash.txt': 'survives the crash', 'other.txt': 'fine' });
    const bucket = a.settings.bucket;
    const old = heldKey(vault, a, 'crash.txt');
    // What the job does up to the crash: mint, copy; the vault never hears of the new key.
    const minted = vault.mintFileKey(a.settings.id, 'crash.txt');
    await copyInPlace(a.store, 'crash.txt', { source: { mode: 'sse-c', key: old }, target: { mode: 'sse-c', key: minted.key }, descriptor: minted.descriptor });
    expect(heldKey(vault, a, 'crash.txt').equals(old)).toBe(true);
    const etagAfterCrash = (await storedHead(fixture, bucket, 'crash.txt', minted.key)).ETag;
    clock.advance(1000);
    const outcome = await rekeyFolder(rekeyOptions(a, vault, clock));
    expect(outcome).toMatchObject({ changed: 2, failed: 0 });
    expect(heldKey(vault, a, 'crash.txt').equals(minted.key)).toBe(true);
    // Adopted, not copied again.
    expect((await storedHead(fixture, bucket, 'crash.txt', minted.key)).ETag).toBe(etagAfterCrash);
    expect(a.events.find((e) => e.operation === 'SyncRekey' && e.objectKey === 'crash.txt')?.details).toMatchObject({ completedFromTag: true });
    expect((await storedBytes(fixture, bucket, 'crash.txt', minted.key)).toString()).toBe('survives the crash');
  });

  it('a second device of the same user reads re-keyed files through the tag, whether it held the old keys or none', async () => {
    const files = { 'shared.txt': 'seen on two machines', 'deep/nested.txt': 'nested' };
    const { clock, vault, recoveryKey, a } = await setUp(files);
    const bucket = a.settings.bucket;
    await exchangeKeyring(a.store, vault);
    const desktopVault = await vaults.recover(recoveryKey, clock);
    const desktop = await vaultDevice('desktop', desktopVault, bucket);
    await exchangeKeyring(desktop.store, desktopVault);
    await desktop.cycle();
    const stale = desktopVault.fileKey(desktop.settings.id, 'shared.txt')!;
    clock.advance(1000);
    expect(await rekeyFolder(rekeyOptions(a, vault, clock))).toMatchObject({ changed: 2, failed: 0 });

    await desktop.cycle();
    expect(desktop.sync.errors).toEqual([]);
    for (const [key, content] of Object.entries(files)) expect(readFileSync(join(desktop.root, key), 'utf8')).toBe(content);
    const adopted = desktopVault.fileKey(desktop.settings.id, 'shared.txt')!;
    expect(adopted.equals(stale)).toBe(false);
    expect(adopted.equals(heldKey(vault, a, 'shared.txt'))).toBe(true);

    const laterVault = await vaults.recover(recoveryKey, clock);
    const later = await vaultDevice('tablet', laterVault, bucket);
    await exchangeKeyring(later.store, laterVault);
    await later.cycle();
    expect(later.sync.errors).toEqual([]);
    for (const [key, content] of Object.entries(files)) expect(readFileSync(join(later.root, key), 'utf8')).toBe(content);
  });

  it('a device reads with the key it holds without asking for the tag; only a refused key sends it to the tag', async () => {
    const { clock, vault, recoveryKey, a } = await setUp({ 'notes.txt': 'v1' });
    await exchangeKeyring(a.store, vault);
    const desktopVault = await vaults.recover(recoveryKey, clock);
    const desktop = await vaultDevice('desktop', desktopVault, a.settings.bucket);
    await exchangeKeyring(desktop.store, desktopVault);
    const tagReads: string[] = [];
    desktop.store.client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'GetObjectTaggingCommand') tagReads.push((args.input as { Key: string }).Key);
        return next(args);
      },
      { step: 'initialize', name: 'countTagReadsForTest' },
    );
    await desktop.cycle();
    expect(tagReads).toEqual(['notes.txt']);
    writeFile(a, 'notes.txt', 'v2, same file key');
    await a.cycle();
    await desktop.cycle();
    expect(readFileSync(join(desktop.root, 'notes.txt'), 'utf8')).toBe('v2, same file key');
    expect(tagReads).toEqual(['notes.txt']);
    clock.advance(1000);
    await rekeyFolder(rekeyOptions(a, vault, clock));
    writeFile(a, 'notes.txt', 'v3, after a re-key');
    await a.cycle();
    await desktop.cycle();
    expect(desktop.sync.errors).toEqual([]);
    expect(readFileSync(join(desktop.root, 'notes.txt'), 'utf8')).toBe('v3, after a re-key');
    expect(tagReads).toEqual(['notes.txt', 'notes.txt']);
    expect(desktopVault.fileKey(desktop.settings.id, 'notes.txt')!.equals(heldKey(vault, a, 'notes.txt'))).toBe(true);
  });

  it('refuses folders that are not sse-c-vault and skips objects deleted since their key was made', async () => {
    const { clock, vault, a } = await setUp({ 'kept.txt': 'kept' });
    const gone = vault.createFileKey(a.settings.id, 'never-uploaded.txt');
    gone.key.fill(0);
    clock.advance(1000);
    expect(await rekeyFolder(rekeyOptions(a, vault, clock))).toMatchObject({ changed: 1, skipped: 1, failed: 0 });
    await expect(rekeyFolder(rekeyOptions(a, vault, clock, { settings: { ...a.settings, mode: 'sse-s3' } }))).rejects.toThrow(/only sse-c-vault/);
  });
});
