// Large blobs written to real files, with direct I/O where this file system takes it and through the page cache otherwise.
import { randomBytes } from 'node:crypto';
import { constants as fsConstants, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type SqliteDatabase } from '../../../../main/core/db/openDatabase.js';
import { AlignedBufferPool, DIRECT_IO_BLOCK } from '../../../../main/core/store/storage/alignedBuffers.js';
import { BlobStore, INLINE_MAX_BYTES } from '../../../../main/core/store/storage/blobStore.js';
import { directIoWorks } from '../../../../main/core/store/storage/directIo.js';
import { storeMigrations } from '../../../../main/core/store/storage/migrations/index.js';

const MIB = 1024 * 1024;
let dir: string;
let db: SqliteDatabase;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'coffer-blobs-'));
  db = openDatabase(join(dir, 'store.db'), { migrations: storeMigrations });
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

async function openBlobs(directIo: boolean): Promise<BlobStore> {
  const blobs = new BlobStore(join(dir, 'blobs'), db, { directIo });
  await blobs.init();
  return blobs;
}

/** Pieces of awkward sizes, as the encryptor hands them over: never aligned, some bigger than a write. */
function pieces(sizes: readonly number[]): Buffer[] {
  return sizes.map((n) => randomBytes(n));
}

async function writeBlob(blobs: BlobStore, parts: readonly Buffer[]): Promise<{ blobId: string; path: string }> {
  const total = parts.reduce((n, p) => n + p.length, 0);
  const sink = blobs.createSink(total);
  for (let i = 0; i < parts.length; i += 3) await sink.write(parts.slice(i, i + 3));
  const where = await sink.finish();
  expect(where.kind).toBe('file');
  return { blobId: sink.blobId, path: blobs.filePath(sink.blobId) };
}

const SHAPES: Record<string, number[]> = {
  'a tail shorter than a block': [1, 65_552, 65_552, 3 * MIB, 123],
  'a whole number of writes': [MIB, MIB, MIB],
  'a tail of whole blocks': [MIB, 8 * DIRECT_IO_BLOCK],
  'one byte over the inline limit': [INLINE_MAX_BYTES + 1],
};

describe.each([
  ['direct I/O', true],
  ['the page cache', false],
])('large blobs through %s', (_name, directIo) => {
  it.each(Object.entries(SHAPES))('keeps every byte and the exact size: %s', async (_shape, sizes) => {
    const blobs = await openBlobs(directIo);
    const parts = pieces(sizes);
    const { blobId, path } = await writeBlob(blobs, parts);
    const expected = Buffer.concat(parts);
    expect(statSync(path).size).toBe(expected.length);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readFileSync(path).equals(expected)).toBe(true);
    const opened = await blobs.open(blobId);
    expect((await opened.read(expected.length - 10, 10)).equals(expected.subarray(-10))).toBe(true);
    await opened.close();
  });

  it('leaves no file behind when the upload is abandoned halfway', async () => {
    const blobs = await openBlobs(directIo);
    const sink = blobs.createSink(4 * MIB);
    await sink.write(pieces([MIB + 7, MIB]));
    await sink.abort();
    await sink.abort(); // twice is harmless
    expect(existsSync(blobs.filePath(sink.blobId))).toBe(false);
  });

  it('runs uploads side by side without mixing their bytes', async () => {
    const blobs = await openBlobs(directIo);
    const uploads = Array.from({ length: 6 }, (_, i) => pieces([MIB + i, 70_000, 2 * MIB - i]));
    const written = await Promise.all(uploads.map((parts) => writeBlob(blobs, parts)));
    written.forEach(({ path }, i) => expect(readFileSync(path).equals(Buffer.concat(uploads[i]!))).toBe(true));
  });
});

describe('choosing direct I/O', () => {
  it('is used on Linux, where this file system takes O_DIRECT, and not when turned off', async () => {
    expect((await openBlobs(true)).writesDirect).toBe(process.platform === 'linux');
    expect((await openBlobs(false)).writesDirect).toBe(false);
  });

  it('leaves no probe file in the blob directory', async () => {
    const blobs = await openBlobs(true);
    expect(readdirSync(blobs.root).filter((f) => !/^[0-9a-f]{2}$/.test(f))).toEqual([]);
  });

  it('is refused where the file system does not take it: a directory that is not there', async () => {
    expect(await directIoWorks(join(dir, 'missing'), new AlignedBufferPool(MIB, 1))).toBe(false);
  });

  it.runIf(fsConstants.O_DIRECT !== undefined)('writes from aligned buffers the kernel accepts for O_DIRECT', async () => {
    const pool = new AlignedBufferPool(MIB, 2);
    expect(await directIoWorks(dir, pool)).toBe(true);
    const buffer = pool.acquire()!;
    expect(buffer.length).toBe(MIB);
    pool.release(buffer);
    expect(pool.acquire()).toBe(buffer); // the spare comes back rather than a new mapping
  });

  it('takes only whole 64 KiB pages', () => {
    expect(() => new AlignedBufferPool(MIB + 1, 1)).toThrow(RangeError);
  });
});
