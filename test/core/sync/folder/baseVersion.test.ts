// The synced base records the remote version id the store reported, through every way the engine writes a base.
import { createHash } from 'node:crypto';
import { readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { NO_AUDIT } from '../../../../main/core/audit/auditEvent.js';
import { changeFolderMode } from '../../../../main/core/sync/folder/changeFolderMode.js';
import { requestModeChange } from '../../../../main/core/sync/folder/modeChangeSettings.js';
import { META_MTIME, META_SHA256 } from '../../../../main/core/sync/folder/remoteLayout.js';
import { MemoryBucket } from '../../../../main/core/sync/remote/memoryBucket.js';
import type { ObjectHead, ObjectStore } from '../../../../main/core/sync/remote/objectStore.js';
import { withRetries } from '../../../../main/core/sync/remote/retry.js';
import { FOLDER_ID, openMemoryDevice, type MemoryDevice, type MemoryDeviceOptions } from './memoryDevice.js';

const MIB = 1024 * 1024;

let devices: MemoryDevice[] = [];

afterEach(async () => {
  for (const d of devices) await d.close();
  devices = [];
});

function device(name: string, bucket: MemoryBucket, options?: MemoryDeviceOptions): MemoryDevice {
  const opened = openMemoryDevice(name, bucket, options);
  devices.push(opened);
  return opened;
}

function versionedBucket(): MemoryBucket {
  return new MemoryBucket({ exists: true, versioned: true });
}

/** The version id the bucket holds as current for `key` (the folder has no prefix). */
function currentVersion(bucket: MemoryBucket, key: string): string | undefined {
  return bucket.objects.get(key)?.versionId;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

describe('on a versioned bucket the base records the store\'s version id', () => {
  it('after an upload, and a new one after the next upload of an edit', async () => {
    const bucket = versionedBucket();
    const a = device('laptop', bucket);
    a.write('docs/a.txt', 'first');
    await a.cycle();
    const first = a.base('docs/a.txt')?.versionId;
    expect(first).toEqual(expect.any(String));
    expect(first).toBe(currentVersion(bucket, 'docs/a.txt'));

    a.write('docs/a.txt', 'second, longer');
    await a.cycle();
    const second = a.base('docs/a.txt')?.versionId;
    expect(second).toBe(currentVersion(bucket, 'docs/a.txt'));
    expect(second).not.toBe(first);
  });

  it('after a multipart upload', async () => {
    const bucket = versionedBucket();
    const a = device('laptop', bucket, { multipartThresholdBytes: MIB, partSizeBytes: MIB / 4 });
    a.write('big.bin', Buffer.alloc(MIB + 1, 7));
    await a.cycle();
    expect(bucket.requests('CompleteMultipartUpload')).toBe(1);
    expect(a.base('big.bin')?.versionId).toEqual(expect.any(String));
    expect(a.base('big.bin')?.versionId).toBe(currentVersion(bucket, 'big.bin'));
  });

  it('after a download, the same id the uploader recorded', async () => {
    const bucket = versionedBucket();
    const a = device('laptop', bucket);
    const b = device('desktop', bucket);
    a.write('notes.md', 'from the laptop');
    await a.cycle();
    await b.cycle();
    expect(readFileSync(join(b.root, 'notes.md'), 'utf8')).toBe('from the laptop');
    expect(b.base('notes.md')?.versionId).toEqual(expect.any(String));
    expect(b.base('notes.md')?.versionId).toBe(a.base('notes.md')?.versionId);
  });

  it('after a rename (a server-side copy): the new key\'s version, and the old path\'s base is gone', async () => {
    const bucket = versionedBucket();
    const a = device('laptop', bucket);
    a.write('old/name.txt', 'moving content');
    await a.cycle();
    const before = a.base('old/name.txt')?.versionId;
    renameSync(join(a.root, 'old'), join(a.root, 'new'));
    const outcome = await a.cycle();
    expect(outcome?.actions).toEqual([{ type: 'rename-remote', from: 'old/name.txt', to: 'new/name.txt' }]);
    expect(a.base('old/name.txt')).toBeUndefined();
    const after = a.base('new/name.txt')?.versionId;
    expect(after).toEqual(expect.any(String));
    expect(after).toBe(currentVersion(bucket, 'new/name.txt'));
    expect(after).not.toBe(before);
  });

  it('after a conflict both sides resolved to the same bytes (a HEAD, no transfer)', async () => {
    const bucket = versionedBucket();
    const a = device('laptop', bucket);
    const b = device('desktop', bucket);
    a.write('same.txt', 'identical');
    b.write('same.txt', 'identical');
    await a.cycle();
    const gets = bucket.requests('GetObject');
    await b.cycle();
    expect(bucket.requests('GetObject')).toBe(gets);
    expect(b.base('same.txt')?.versionId).toEqual(expect.any(String));
    expect(b.base('same.txt')?.versionId).toBe(currentVersion(bucket, 'same.txt'));
  });

  it('after a conflict where the remote wins the path', async () => {
    const bucket = versionedBucket();
    const a = device('laptop', bucket);
    const b = device('desktop', bucket);
    a.write('plan.txt', 'v1');
    await a.cycle();
    await b.cycle();
    a.write('plan.txt', 'v2 from the laptop');
    await a.cycle();
    b.write('plan.txt', 'v2 from the desktop');
    await b.cycle();
    expect(readFileSync(join(b.root, 'plan.txt'), 'utf8')).toBe('v2 from the laptop');
    expect(b.base('plan.txt')?.versionId).toBe(a.base('plan.txt')?.versionId);
    expect(b.base('plan.txt')?.versionId).toBe(currentVersion(bucket, 'plan.txt'));
  });

  it('a conflict fetches the version its HEAD compared, even when another write lands before the GET', async () => {
    const bucket = versionedBucket();
    const a = device('laptop', bucket);
    let intrude = false;
    const gets: { versionId: string | undefined; got: string | undefined }[] = [];
    const decorate = (store: ObjectStore): ObjectStore => ({
      ...store,
      async head(key, encryption): Promise<ObjectHead | undefined> {
        const head = await store.head(key, encryption);
        if (intrude && key === 'plan.txt') {
          intrude = false;
          // A third device's write between the HEAD and the GET.
          await a.store.putBytes(key, Buffer.from('v3 from elsewhere'), {
            encryption: { mode: 'sse-s3' },
            metadata: { [META_SHA256]: sha256('v3 from elsewhere'), [META_MTIME]: String(Date.now()) },
          });
        }
        return head;
      },
      async getFile(key, file, options): Promise<ObjectHead> {
        const head = await store.getFile(key, file, options);
        if (key === 'plan.txt') gets.push({ versionId: options?.versionId, got: head.versionId });
        return head;
      },
    });
    const b = device('desktop', bucket, { decorate });
    a.write('plan.txt', 'v1');
    await a.cycle();
    await b.cycle();
    a.write('plan.txt', 'v2 from the laptop');
    await a.cycle();
    const checked = a.base('plan.txt')!.versionId!;
    b.write('plan.txt', 'v2 from the desktop');
    gets.length = 0;
    intrude = true;
    await b.cycle();
    const newest = currentVersion(bucket, 'plan.txt');
    expect(newest).not.toBe(checked);
    // The conflict's GET was pinned to what the HEAD saw; the cycle the conflict triggers then sees
    // the newer write as a remote change and fetches it unpinned.
    expect(gets).toEqual([
      { versionId: checked, got: checked },
      { versionId: undefined, got: newest },
    ]);
    expect(readFileSync(join(b.root, 'plan.txt'), 'utf8')).toBe('v3 from elsewhere');
    expect(b.base('plan.txt')?.versionId).toBe(newest);
  });

  it('after a mode change re-encrypts the object in place', async () => {
    const bucket = versionedBucket();
    const a = device('laptop', bucket);
    a.write('kept.txt', 'same bytes, new encryption');
    await a.cycle();
    const before = a.base('kept.txt')!;
    const outcome = await changeFolderMode({
      concurrency: 2,
      retry: (fn) => withRetries(fn, { attempts: 3, baseMs: 5 }),
      settings: requestModeChange(a.settings, { mode: 'sse-kms', kmsKeyId: 'alias/coffer-test' }, new Date()),
      store: a.store,
      index: a.index,
      audit: NO_AUDIT,
      device: 'laptop',
      fromKeys: {},
      saveSettings: () => undefined,
    });
    expect(outcome.completed).toBe(true);
    const after = a.index.baseEntries(FOLDER_ID).find((b) => b.path === 'kept.txt')!;
    expect(after.etag).not.toBe(before.etag);
    expect(after.versionId).toBe(currentVersion(bucket, 'kept.txt'));
    expect(after.versionId).not.toBe(before.versionId);
  });
});

describe('on an unversioned bucket the base records no version id', () => {
  it('through upload, download, rename and conflict', async () => {
    const bucket = new MemoryBucket({ exists: true });
    const a = device('laptop', bucket);
    const b = device('desktop', bucket);
    a.write('one.txt', 'one');
    a.write('two.txt', 'two');
    await a.cycle();
    await b.cycle();
    renameSync(join(a.root, 'two.txt'), join(a.root, 'three.txt'));
    a.write('one.txt', 'one, edited on the laptop');
    await a.cycle();
    b.write('one.txt', 'one, edited on the desktop');
    await b.cycle();
    const bases = [...a.index.baseEntries(FOLDER_ID), ...b.index.baseEntries(FOLDER_ID)];
    expect(bases.map((base) => base.path).sort()).toContain('three.txt');
    expect(bases.length).toBeGreaterThanOrEqual(4);
    for (const base of bases) expect(base, base.path).not.toHaveProperty('versionId');
  });
});
