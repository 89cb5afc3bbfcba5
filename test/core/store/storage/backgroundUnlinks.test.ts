// Blob files a commit leaves unreferenced go after the commit answers, and the store's close waits for them.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStoreServices, type StoreServices } from '../../../../main/core/store/storeServices.js';

let dir: string;
let services: StoreServices | undefined;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'coffer-unlinks-'));
});
afterEach(async () => {
  await services?.close();
  services = undefined;
  rmSync(dir, { recursive: true, force: true });
});

async function open(): Promise<StoreServices> {
  services = await openStoreServices({
    dataDir: dir,
    region: 'us-east-1',
    credentials: [{ accessKeyId: 'UNLINKSTEST000000001', secretAccessKey: 'unlinks-test-secret' }],
    allowInsecureSseC: false,
    virtualHostDomains: [],
    masterKeyRotationDays: 90,
    rootKey: Buffer.alloc(32, 5),
  });
  return services;
}

/** A blob file on disk, written as an upload writes it (over the inline limit, so a file). */
async function fileBlob(s: StoreServices): Promise<{ blobId: string; path: string }> {
  const data = randomBytes(300 * 1024);
  const sink = s.blobs.createSink(data.length);
  await sink.write([data]);
  expect((await sink.finish()).kind).toBe('file');
  return { blobId: sink.blobId, path: s.blobs.filePath(sink.blobId) };
}

describe('unlinking the blob files a commit leaves unreferenced', () => {
  it('answers the commit first and removes the files right after', async () => {
    const s = await open();
    const old = await fileBlob(s);
    const result = await s.commit(() => ({ result: 'committed', garbage: [old.blobId] }));
    expect(result).toBe('committed');
    // File-system calls finish on a later turn of the event loop, so a commit that waited for the unlink would see the file gone here.
    expect(existsSync(old.path)).toBe(true);
    await s.unlinks.settled();
    expect(existsSync(old.path)).toBe(false);
  });

  it('lets the store close only once the unlinks it started have ended', async () => {
    const s = await open();
    const blobs = await Promise.all([fileBlob(s), fileBlob(s), fileBlob(s)]);
    await s.commit(() => ({ result: undefined, garbage: blobs.map((b) => b.blobId) }));
    await s.close();
    services = undefined;
    for (const { path } of blobs) expect(existsSync(path)).toBe(false);
  });

  it('reports a file it cannot remove, and goes on with the others', async () => {
    const s = await open();
    const removable = await fileBlob(s);
    // A directory where a blob file should be: rm without recursion refuses it.
    const stuckId = 'ab' + '0'.repeat(30);
    const stuck = s.blobs.filePath(stuckId);
    mkdirSync(stuck, { recursive: true });
    writeFileSync(join(stuck, 'inside'), 'x');
    const failures: unknown[] = [];
    s.unlinks.reportTo((err) => failures.push(err));
    await s.commit(() => ({ result: undefined, garbage: [stuckId, removable.blobId] }));
    await s.unlinks.settled();
    expect(failures).toHaveLength(1);
    expect(String(failures[0])).toContain(stuckId);
    expect(existsSync(removable.path)).toBe(false);
    expect(existsSync(stuck)).toBe(true);
    rmSync(stuck, { recursive: true });
  });
});
