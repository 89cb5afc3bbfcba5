// The in-memory twin: the conformance suite, plus what only the twin offers (shared buckets, counts, injected faults, opaque ETags).
import { describe, expect, it } from 'vitest';
import { MemoryBucket } from '../../../../main/core/sync/remote/memoryBucket.js';
import { createMemoryObjectStore } from '../../../../main/core/sync/remote/memoryObjectStore.js';
import { RemoteError } from '../../../../main/core/sync/remote/objectStore.js';
import { objectStoreSuite } from './objectStoreSuite.js';
import { expectRemoteError } from './remoteSupport.js';

objectStoreSuite('memory', async () => {
  const buckets = new Map<string, MemoryBucket>();
  return {
    kmsKeyId: 'alias/coffer-test',
    openStore({ bucket, ...options }) {
      const shared = buckets.get(bucket) ?? new MemoryBucket();
      buckets.set(bucket, shared);
      return createMemoryObjectStore({ ...options, bucket: shared, bucketName: bucket });
    },
    uploadPartsSent: () => [...buckets.values()].reduce((sum, b) => sum + b.requests('UploadPart'), 0),
  };
});

describe('memory object store only', () => {
  it('gives every write a new ETag, even of the same bytes, and multipart ETags a part count', async () => {
    const store = createMemoryObjectStore({ bucket: new MemoryBucket({ exists: true }) });
    const a = await store.putBytes('k', Buffer.from('same'), { encryption: { mode: 'sse-s3' } });
    const b = await store.putBytes('k', Buffer.from('same'), { encryption: { mode: 'sse-s3' } });
    const c = await store.copy('k', 'k', { encryption: { mode: 'sse-s3' } });
    expect(new Set([a.etag, b.etag, c.etag]).size).toBe(3);
  });

  it('lets two stores share a bucket, each seeing the other through its own prefix', async () => {
    const bucket = new MemoryBucket({ exists: true });
    const laptop = createMemoryObjectStore({ bucket, prefix: 'home' });
    const desktop = createMemoryObjectStore({ bucket, prefix: 'home/' });
    await laptop.putBytes('notes.txt', Buffer.from('n'), { encryption: { mode: 'sse-s3' } });
    expect((await desktop.getBytes('notes.txt'))?.body.toString()).toBe('n');
    expect([...bucket.objects.keys()]).toEqual(['home/notes.txt']);
  });

  it('fails injected requests with the given error, counting them, then serves again', async () => {
    const bucket = new MemoryBucket({ exists: true });
    const store = createMemoryObjectStore({ bucket });
    bucket.injectFault('PutObject', new RemoteError('PutObject failed: SlowDown (HTTP 503)', 'retriable', 'SlowDown', 503), 2);
    await expectRemoteError(store.putBytes('k', Buffer.from('x'), { encryption: { mode: 'sse-s3' } }), 'retriable', 'SlowDown');
    await expectRemoteError(store.putBytes('k', Buffer.from('x'), { encryption: { mode: 'sse-s3' } }), 'retriable', 'SlowDown');
    expect(await store.head('k')).toBeUndefined();
    await store.putBytes('k', Buffer.from('x'), { encryption: { mode: 'sse-s3' } });
    expect(bucket.requests('PutObject')).toBe(3);
  });

  it('lists in UTF-8 byte order, as S3 does, not in UTF-16 order', async () => {
    const store = createMemoryObjectStore({ bucket: new MemoryBucket({ exists: true }) });
    // U+FF5E sorts before U+1F600 in UTF-8 bytes but after it in UTF-16 code units.
    for (const key of ['\u{1F600}', '\uFF5E', 'a']) await store.putBytes(key, Buffer.from(key), { encryption: { mode: 'sse-s3' } });
    const keys: string[] = [];
    for await (const o of store.list()) keys.push(o.key);
    expect(keys).toEqual(['a', '\uFF5E', '\u{1F600}']);
  });

  it('keeps SSE-C keys out of its state: only a keyed check value is stored', async () => {
    const bucket = new MemoryBucket({ exists: true });
    const store = createMemoryObjectStore({ bucket });
    const key = Buffer.alloc(32, 0x5a);
    await store.putBytes('s', Buffer.from('x'), { encryption: { mode: 'sse-c', key } });
    const stored = bucket.objects.get('s')!.encryption;
    expect(stored.mode).toBe('sse-c');
    expect(JSON.stringify(stored)).not.toContain(key.toString('hex'));
    expect(stored.mode === 'sse-c' && stored.keyCheck.equals(key)).toBe(false);
  });
});
