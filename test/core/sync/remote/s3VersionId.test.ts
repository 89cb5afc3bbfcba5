// The S3 store reads x-amz-version-id from every answer that carries one, and pins a GET to a known version: through a versioning proxy in front of the real embedded store.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MemoryUploadLedger } from '../../../../main/core/sync/remote/memoryUploadLedger.js';
import { createS3ObjectStore, type S3ObjectStore } from '../../../../main/core/sync/remote/s3ObjectStore.js';
import { startStoreFixture, TEST_CREDENTIALS, type StoreFixture } from '../../../support/storeFixture.js';
import { tempDir, type TempDir } from './remoteSupport.js';
import { startVersioningProxy, type VersioningProxy } from './versioningProxy.js';

const MIB = 1024 * 1024;
const SSE_S3 = { mode: 'sse-s3' } as const;
const PREFIX = 'p/';

let fixture: StoreFixture;
let dir: TempDir;
let bucketCounter = 0;
const cleanups: (() => Promise<void>)[] = [];

beforeAll(async () => {
  fixture = await startStoreFixture();
  dir = tempDir();
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});
afterAll(async () => {
  dir.remove();
  await fixture.close();
});

/** A store on a fresh bucket behind `endpoint`; small sizes so 6 MiB goes multipart (upload and copy). */
async function openStore(endpoint: string): Promise<S3ObjectStore> {
  const store = createS3ObjectStore({
    endpoint,
    region: 'us-east-1',
    bucket: `versions-${++bucketCounter}`,
    prefix: PREFIX,
    credentials: TEST_CREDENTIALS,
    forcePathStyle: true,
    ledger: new MemoryUploadLedger(),
    multipartThresholdBytes: 5 * MIB,
    partSizeBytes: 5 * MIB,
    singleCopyLimitBytes: 5 * MIB,
  });
  cleanups.push(() => store.close());
  await store.ensureBucket();
  return store;
}

async function openProxy(options?: Parameters<typeof startVersioningProxy>[1]): Promise<VersioningProxy> {
  const proxy = await startVersioningProxy(fixture.httpUrl, options);
  cleanups.push(() => proxy.close());
  return proxy;
}

/** Every write kind the store has, in order: direct PUT of bytes, SDK PUT of a file, multipart upload, copy, part-by-part copy. */
async function writeEveryWay(store: S3ObjectStore): Promise<Record<string, { etag: string; versionId?: string }>> {
  const big = dir.file(`big-${bucketCounter}`, randomBytes(6 * MIB));
  return {
    putBytes: await store.putBytes('bytes.txt', Buffer.from('small bytes'), { encryption: SSE_S3 }),
    putFile: await store.putFile('file.txt', dir.file(`small-${bucketCounter}`, Buffer.from('a small file')), { encryption: SSE_S3, fingerprint: 'small' }),
    multipart: await store.putFile('big.bin', big, { encryption: SSE_S3, fingerprint: 'big' }),
    copy: await store.copy('file.txt', 'file-copy.txt', { encryption: SSE_S3 }),
    partCopy: await store.copy('big.bin', 'big-copy.bin', { encryption: SSE_S3, sourceSize: 6 * MIB }),
  };
}

describe('S3 store version ids through a versioned-bucket proxy', () => {
  it('every write returns the version id the bucket sent for it', async () => {
    const proxy = await openProxy();
    const store = await openStore(proxy.url);
    const written = await writeEveryWay(store);
    expect(written.multipart!.etag).toMatch(/-2"$/);
    expect(written.partCopy!.etag).toMatch(/-2"$/);
    expect(proxy.requests.some((r) => r.method === 'PUT' && r.url.includes('partNumber=') && r.url.includes('uploadId='))).toBe(true);
    const keys = { putBytes: 'bytes.txt', putFile: 'file.txt', multipart: 'big.bin', copy: 'file-copy.txt', partCopy: 'big-copy.bin' };
    for (const [how, key] of Object.entries(keys)) {
      expect(written[how]!.versionId, how).toMatch(/^ver-\d+$/);
      expect(written[how]!.versionId, how).toBe(proxy.current(PREFIX + key));
    }
    expect(new Set(Object.values(written).map((w) => w.versionId)).size).toBe(5);
  });

  it('HEAD and GET report the version they read; a GET for a known version asks for exactly it', async () => {
    const proxy = await openProxy();
    const store = await openStore(proxy.url);
    const first = await store.putBytes('doc.txt', Buffer.from('first'), { encryption: SSE_S3 });
    const second = await store.putBytes('doc.txt', Buffer.from('second'), { encryption: SSE_S3 });
    expect((await store.head('doc.txt'))?.versionId).toBe(second.versionId);
    expect((await store.getBytes('doc.txt'))?.head.versionId).toBe(second.versionId);
    const unpinned = proxy.requests.filter((r) => r.method === 'GET' && r.url.startsWith(`/versions-${bucketCounter}/p/doc.txt`));
    expect(unpinned.every((r) => !r.url.includes('versionId='))).toBe(true);

    const file = join(dir.path, 'pinned');
    const head = await store.getFile('doc.txt', file, { versionId: first.versionId });
    const pinned = proxy.requests.at(-1)!;
    expect(pinned.method).toBe('GET');
    expect(new URL(pinned.url, 'http://x').searchParams.get('versionId')).toBe(first.versionId);
    expect(head.versionId).toBe(first.versionId);
    // The embedded store keeps one version, so the bytes are the current ones; what matters here is the request.
    expect(readFileSync(file, 'utf8')).toBe('second');
    await store.getBytes('doc.txt', { versionId: second.versionId });
    expect(new URL(proxy.requests.at(-1)!.url, 'http://x').searchParams.get('versionId')).toBe(second.versionId);
  });

  it('a "null" version id (a write while versioning is suspended) is reported as none', async () => {
    const proxy = await openProxy({ versionFor: () => 'null' });
    const store = await openStore(proxy.url);
    const written = await writeEveryWay(store);
    for (const [how, result] of Object.entries(written)) expect(result, how).not.toHaveProperty('versionId');
    expect(proxy.current(`${PREFIX}bytes.txt`)).toBe('null');
    expect(await store.head('bytes.txt')).not.toHaveProperty('versionId');
    expect((await store.getBytes('bytes.txt'))?.head).not.toHaveProperty('versionId');
  });
});

describe('S3 store version ids straight from the embedded store (no versioning)', () => {
  it('no write, HEAD or GET reports a version id', async () => {
    const store = await openStore(fixture.httpUrl);
    const written = await writeEveryWay(store);
    for (const [how, result] of Object.entries(written)) {
      expect(result.etag, how).toMatch(/^"/);
      expect(result.versionId, how).toBeUndefined();
    }
    expect((await store.head('big.bin'))?.versionId).toBeUndefined();
    expect((await store.getBytes('file.txt'))?.head.versionId).toBeUndefined();
    expect((await store.getFile('big-copy.bin', join(dir.path, 'plain'))).versionId).toBeUndefined();
  });
});
