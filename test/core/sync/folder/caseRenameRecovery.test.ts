// A respelling interrupted between its steps, and one across a folder's case: the next cycles settle it without losing a version.
import { mkdirSync, readdirSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryBucket } from '../../../../main/core/sync/remote/memoryBucket.js';
import { RemoteError } from '../../../../main/core/sync/remote/objectStore.js';
import { FOLDER_ID, openMemoryDevice, type MemoryDevice } from './memoryDevice.js';

let devices: MemoryDevice[] = [];

afterEach(async () => {
  for (const d of devices) await d.close();
  devices = [];
});

function ignoringCase(name: string, bucket: MemoryBucket): MemoryDevice {
  const opened = openMemoryDevice(name, bucket, { caseInsensitive: true });
  devices.push(opened);
  return opened;
}

function read(device: MemoryDevice, path: string): string {
  return readFileSync(join(device.root, path), 'utf8');
}

function basePaths(device: MemoryDevice): string[] {
  return device.index.baseEntries(FOLDER_ID).map((b) => b.path);
}

function bodyOf(bucket: MemoryBucket, key: string): string | undefined {
  return bucket.objects.get(key)?.body.toString('utf8');
}

/** The bucket's keys, the trash's reduced to the key each holds. */
function keysOf(bucket: MemoryBucket): { files: string[]; trashed: string[] } {
  const keys = [...bucket.objects.keys()].sort();
  return {
    files: keys.filter((k) => !k.startsWith('.coffer-trash/')),
    trashed: keys.filter((k) => k.startsWith('.coffer-trash/')).map((k) => k.replace(/^\.coffer-trash\/\d{4}-\d{2}-\d{2}\//, '')),
  };
}

/** Laptop and desktop synced on `Readme.md`; then the laptop renames it `README.md` and edits it. */
async function renamedOnLaptop(): Promise<{ bucket: MemoryBucket; a: MemoryDevice; b: MemoryDevice }> {
  const bucket = new MemoryBucket({ exists: true });
  const a = ignoringCase('laptop', bucket);
  const b = ignoringCase('desktop', bucket);
  a.write('Readme.md', 'first words');
  await a.cycle();
  await b.cycle();
  renameSync(join(a.root, 'Readme.md'), join(a.root, 'README.md'));
  a.write('README.md', 'second words');
  return { bucket, a, b };
}

const UPLOAD = { type: 'upload', path: 'README.md', reason: 'changed', replacesKey: 'Readme.md', replacesBase: 'Readme.md' };

describe('an interrupted respelling settles on the next cycle', () => {
  it('the old key failed to reach the trash after the upload: the next cycle uploads again and trashes it', async () => {
    const { bucket, a } = await renamedOnLaptop();
    bucket.injectFault('CopyObject', new RemoteError('CopyObject failed (injected)', 'skip', 'InternalError', 500));
    const failed = await a.cycle();
    expect(failed?.skipped).toEqual([{ path: 'README.md', message: 'CopyObject failed (injected)' }]);
    expect(keysOf(bucket)).toEqual({ files: ['README.md', 'Readme.md'], trashed: [] });
    // No base under the new name yet: the old key still reads as the unchanged base version.
    expect(basePaths(a)).toEqual(['Readme.md']);

    const settled = await a.cycle();
    expect(settled?.actions).toEqual([UPLOAD]);
    expect(settled?.skipped).toEqual([]);
    expect(keysOf(bucket)).toEqual({ files: ['README.md'], trashed: ['Readme.md'] });
    expect(bodyOf(bucket, 'README.md')).toBe('second words');
    expect(basePaths(a)).toEqual(['README.md']);
    expect((await a.cycle())?.actions).toEqual([]);
  });

  it('the new base row was lost after the old key went to the trash: a HEAD finds the same bytes and records it, nothing moves', async () => {
    const { bucket, a } = await renamedOnLaptop();
    const oldBase = a.base('Readme.md')!;
    await a.cycle();
    // As if the index batch holding the new base row never committed.
    a.index.removeBase(FOLDER_ID, 'README.md');
    a.index.setBase(FOLDER_ID, oldBase);
    const puts = bucket.requests('PutObject');

    const settled = await a.cycle();
    expect(settled?.skipped).toEqual([]);
    expect(readdirSync(a.root)).toEqual(['README.md']);
    expect(basePaths(a)).toEqual(['README.md']);
    expect(a.base('README.md')?.etag).toBe(bucket.objects.get('README.md')?.etag);
    expect(bucket.requests('PutObject')).toBe(puts);
    expect(a.index.conflicts(FOLDER_ID)).toEqual([]);
    expect((await a.cycle())?.actions).toEqual([]);
  });

  it('the download failed after the local file took the new name: the next cycle downloads over it', async () => {
    const { bucket, a, b } = await renamedOnLaptop();
    await a.cycle();
    bucket.injectFault('GetObject', new RemoteError('GetObject failed (injected)', 'skip', 'InternalError', 500));
    const failed = await b.cycle();
    expect(failed?.skipped).toEqual([{ path: 'README.md', message: 'GetObject failed (injected)' }]);
    expect(readdirSync(b.root)).toEqual(['README.md']);
    expect(read(b, 'README.md')).toBe('first words');
    expect(basePaths(b)).toEqual(['Readme.md']);

    const settled = await b.cycle();
    expect(settled?.actions).toEqual([{ type: 'download', path: 'README.md', reason: 'changed', replacesBase: 'Readme.md' }]);
    expect(settled?.skipped).toEqual([]);
    expect(read(b, 'README.md')).toBe('second words');
    expect(basePaths(b)).toEqual(['README.md']);
    expect((await b.cycle())?.actions).toEqual([]);
  });
});

describe('the same case rename made on both devices', () => {
  it('leaves the second with one base row, under the new name', async () => {
    const bucket = new MemoryBucket({ exists: true });
    const a = ignoringCase('laptop', bucket);
    const b = ignoringCase('desktop', bucket);
    a.write('notes.txt', 'same bytes');
    await a.cycle();
    await b.cycle();
    renameSync(join(a.root, 'notes.txt'), join(a.root, 'Notes.txt'));
    renameSync(join(b.root, 'notes.txt'), join(b.root, 'Notes.txt'));
    await a.cycle();
    // The copy gave the object a new ETag (as S3 may), so the desktop fetches it over its renamed file.
    const recorded = await b.cycle();
    expect(recorded?.actions).toEqual([{ type: 'download', path: 'Notes.txt', reason: 'changed', replacesBase: 'notes.txt' }]);
    expect(readdirSync(b.root)).toEqual(['Notes.txt']);
    expect(basePaths(b)).toEqual(['Notes.txt']);
    expect((await b.cycle())?.actions).toEqual([]);
  });
});

describe('a folder renamed by case', () => {
  it('moves its keys on the store; the other device updates its files in place under its own folder name, and both stay quiet', async () => {
    const bucket = new MemoryBucket({ exists: true });
    const a = ignoringCase('laptop', bucket);
    const b = ignoringCase('desktop', bucket);
    a.write('Docs/edited.txt', 'v1');
    a.write('Docs/kept.txt', 'kept');
    await a.cycle();
    await b.cycle();
    mkdirSync(join(a.root, 'DOCS'));
    renameSync(join(a.root, 'Docs/edited.txt'), join(a.root, 'DOCS/edited.txt'));
    renameSync(join(a.root, 'Docs/kept.txt'), join(a.root, 'DOCS/kept.txt'));
    a.write('DOCS/edited.txt', 'v2');

    const moved = await a.cycle();
    expect(moved?.actions).toEqual([
      { type: 'upload', path: 'DOCS/edited.txt', reason: 'changed', replacesKey: 'Docs/edited.txt', replacesBase: 'Docs/edited.txt' },
      { type: 'rename-remote', from: 'Docs/kept.txt', to: 'DOCS/kept.txt' },
    ]);
    expect(keysOf(bucket)).toEqual({ files: ['DOCS/edited.txt', 'DOCS/kept.txt'], trashed: ['Docs/edited.txt'] });

    // The copy gave the kept file a new ETag: both files download, in place, since only the folder's case differs.
    const followed = await b.cycle();
    expect(followed?.skipped).toEqual([]);
    expect(readdirSync(b.root)).toEqual(['Docs']);
    expect(readdirSync(join(b.root, 'Docs'))).toEqual(['edited.txt', 'kept.txt']);
    expect(read(b, 'Docs/edited.txt')).toBe('v2');
    expect(basePaths(b)).toEqual(['Docs/edited.txt', 'Docs/kept.txt']);

    for (let round = 0; round < 2; round++) {
      expect((await a.cycle())?.actions).toEqual([]);
      expect((await b.cycle())?.actions).toEqual([]);
    }
    expect(keysOf(bucket).files).toEqual(['DOCS/edited.txt', 'DOCS/kept.txt']);
  });
});
