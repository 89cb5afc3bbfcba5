// The in-memory twin as a versioned bucket: the conformance suite still holds, every write gets a version id, old versions stay readable.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MemoryBucket } from '../../../../main/core/sync/remote/memoryBucket.js';
import { createMemoryObjectStore } from '../../../../main/core/sync/remote/memoryObjectStore.js';
import { objectStoreSuite } from './objectStoreSuite.js';
import { expectRemoteError, tempDir } from './remoteSupport.js';

objectStoreSuite('memory, versioned bucket', async () => {
  const buckets = new Map<string, MemoryBucket>();
  return {
    kmsKeyId: 'alias/coffer-test',
    openStore({ bucket, ...options }) {
      const shared = buckets.get(bucket) ?? new MemoryBucket({ versioned: true });
      buckets.set(bucket, shared);
      return createMemoryObjectStore({ ...options, bucket: shared, bucketName: bucket });
    },
    uploadPartsSent: () => [...buckets.values()].reduce((sum, b) => sum + b.requests('UploadPart'), 0),
  };
});

const SSE_S3 = { mode: 'sse-s3' } as const;
const dir = tempDir();
afterAll(() => dir.remove());

describe('memory object store, versioned bucket', () => {
  it('gives every kind of write a fresh version id, which HEAD and GET report', async () => {
    const bucket = new MemoryBucket({ exists: true, versioned: true });
    const store = createMemoryObjectStore({ bucket, multipartThresholdBytes: 10, partSizeBytes: 4 });
    const small = await store.putBytes('k', Buffer.from('bytes'), { encryption: SSE_S3 });
    const single = await store.putFile('k', dir.file('single', Buffer.from('tiny')), { encryption: SSE_S3, fingerprint: 'a' });
    const multipart = await store.putFile('k', dir.file('multi', Buffer.from('twelve bytes')), { encryption: SSE_S3, fingerprint: 'b' });
    const copied = await store.copy('k', 'k2', { encryption: SSE_S3 });
    const ids = [small, single, multipart, copied].map((w) => w.versionId);
    expect(ids.every((id) => typeof id === 'string' && id.length > 0)).toBe(true);
    expect(new Set(ids).size).toBe(4);
    expect(multipart.etag).toMatch(/-3"$/);
    expect((await store.head('k'))?.versionId).toBe(multipart.versionId);
    expect((await store.getBytes('k'))?.head.versionId).toBe(multipart.versionId);
    expect((await store.head('k2'))?.versionId).toBe(copied.versionId);
  });

  it('reads a replaced or deleted version by its id, and refuses an id the key never had', async () => {
    const bucket = new MemoryBucket({ exists: true, versioned: true });
    const store = createMemoryObjectStore({ bucket });
    const first = await store.putBytes('doc', Buffer.from('first'), { encryption: SSE_S3 });
    const second = await store.putBytes('doc', Buffer.from('second'), { encryption: SSE_S3 });
    const old = await store.getBytes('doc', { versionId: first.versionId });
    expect(old?.body.toString()).toBe('first');
    expect(old?.head).toMatchObject({ etag: first.etag, versionId: first.versionId });
    const file = join(dir.path, 'doc-first');
    expect(await store.getFile('doc', file, { versionId: first.versionId })).toMatchObject({ versionId: first.versionId });
    expect(readFileSync(file, 'utf8')).toBe('first');
    expect((await store.getBytes('doc'))?.body.toString()).toBe('second');

    await store.delete('doc');
    expect(await store.head('doc')).toBeUndefined();
    expect((await store.getBytes('doc', { versionId: second.versionId }))?.body.toString()).toBe('second');
    await expectRemoteError(store.getBytes('doc', { versionId: 'never-written' }), 'skip', 'NoSuchVersion');
  });

  it('keeps SSE-C rules for an old version: it opens only with its own key', async () => {
    const bucket = new MemoryBucket({ exists: true, versioned: true });
    const store = createMemoryObjectStore({ bucket });
    const keyA = Buffer.alloc(32, 1);
    const first = await store.putBytes('secret', Buffer.from('under A'), { encryption: { mode: 'sse-c', key: keyA } });
    await store.putBytes('secret', Buffer.from('now plain'), { encryption: SSE_S3 });
    await expectRemoteError(store.getBytes('secret', { versionId: first.versionId }), 'skip', 'InvalidRequest');
    const old = await store.getBytes('secret', { versionId: first.versionId, encryption: { mode: 'sse-c', key: keyA } });
    expect(old?.body.toString()).toBe('under A');
  });

  it('takes its version ids from the injected random source', async () => {
    let counter = 0;
    const random = (n: number): Buffer => Buffer.alloc(n, ++counter);
    const store = createMemoryObjectStore({ bucket: new MemoryBucket({ exists: true, versioned: true, random }) });
    const written = await store.putBytes('k', Buffer.from('x'), { encryption: SSE_S3 });
    // One draw for the key-check salt, one for the ETag, one for the version id.
    expect(written.versionId).toBe(Buffer.alloc(24, 3).toString('base64url'));
  });
});

describe('memory object store, unversioned bucket (the default)', () => {
  it('reports no version id for any write or read, and has no version to read by id', async () => {
    const bucket = new MemoryBucket({ exists: true });
    const store = createMemoryObjectStore({ bucket, multipartThresholdBytes: 10, partSizeBytes: 4 });
    const results = [
      await store.putBytes('k', Buffer.from('bytes'), { encryption: SSE_S3 }),
      await store.putFile('k', dir.file('u-multi', Buffer.from('twelve bytes')), { encryption: SSE_S3, fingerprint: 'c' }),
      await store.copy('k', 'k2', { encryption: SSE_S3 }),
    ];
    for (const result of results) expect(result).not.toHaveProperty('versionId');
    expect(await store.head('k')).not.toHaveProperty('versionId');
    expect((await store.getBytes('k'))?.head).not.toHaveProperty('versionId');
    await expectRemoteError(store.getBytes('k', { versionId: 'some-version' }), 'skip', 'NoSuchVersion');
    expect(bucket.noncurrent.size).toBe(0);
  });
});
