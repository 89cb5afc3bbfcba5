// Wire contract: object tags through the real SDK: x-amz-tagging on writes, Put/Get/DeleteObjectTagging, x-amz-tagging-count, tags without SSE-C keys or KMS.
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  DeleteObjectTaggingCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  PutObjectCommand,
  PutObjectTaggingCommand,
  type S3Client,
  type Tag,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kmsOf } from '../support/kmsSupport.js';
import { MIB5, uploadMultipart } from '../support/multipart.js';
import { auditEvents } from '../support/policySupport.js';
import { bodyOf, copySourceSseC, createBucket, customerKey, expectS3Error, onceClient, patternBytes, sseC } from '../support/s3Expect.js';
import { startStoreFixture, type StoreFixture } from '../support/storeFixture.js';

let f: StoreFixture;
let s3: S3Client;
let bucket: string;
beforeAll(async () => {
  f = await startStoreFixture();
  s3 = onceClient(f, true);
  bucket = await createBucket(s3, 'tagging');
});
afterAll(async () => {
  await f?.close();
});

async function tagsOf(key: string): Promise<Tag[] | undefined> {
  return (await s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: key }))).TagSet;
}

async function putTags(key: string, tags: Record<string, string>): Promise<void> {
  const TagSet = Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
  await s3.send(new PutObjectTaggingCommand({ Bucket: bucket, Key: key, Tagging: { TagSet } }));
}

/** The same characters an SSE-C object's wrapped per-file key is written with (base64). */
const WRAPPED_KEY = Buffer.from(patternBytes(60, 9)).toString('base64');

describe('tags given with the object', () => {
  it('stores x-amz-tagging from PutObject and lists the tags in key order; GET and HEAD count them', async () => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'put', Body: 'tagged', Tagging: 'zeta=last&alpha=first&wrapped=' + encodeURIComponent(WRAPPED_KEY) }));
    expect(await tagsOf('put')).toEqual([
      { Key: 'alpha', Value: 'first' },
      { Key: 'wrapped', Value: WRAPPED_KEY },
      { Key: 'zeta', Value: 'last' },
    ]);
    expect((await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'put' }))).TagCount).toBe(3);
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'put' }));
    expect([got.TagCount, (await bodyOf(got)).toString()]).toEqual([3, 'tagged']);
  });

  it('decodes the header as a URL query: + and %20 are spaces, a name without = has the empty value, UTF-8 escapes', async () => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'decoded', Body: 'x', Tagging: 'a+b=c%20d&bare&%C3%BC=%E6%96%87&eq=1%3D1' }));
    expect(await tagsOf('decoded')).toEqual([
      { Key: 'a b', Value: 'c d' },
      { Key: 'bare', Value: '' },
      { Key: 'eq', Value: '1=1' },
      { Key: 'ü', Value: '文' },
    ]);
  });

  it('has no tags and no x-amz-tagging-count without the header; an empty header means no tags', async () => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'plain', Body: 'x' }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'empty-header', Body: 'x', Tagging: '' }));
    for (const key of ['plain', 'empty-header']) {
      expect(await tagsOf(key)).toEqual([]);
      expect((await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }))).TagCount).toBeUndefined();
    }
  });

  it('gives the completed object the tags of its CreateMultipartUpload', async () => {
    const parts = [patternBytes(MIB5, 3), patternBytes(1024, 4)];
    await uploadMultipart(s3, bucket, 'multipart', parts, { Tagging: 'stage=upload&size=big' });
    expect(await tagsOf('multipart')).toEqual([
      { Key: 'size', Value: 'big' },
      { Key: 'stage', Value: 'upload' },
    ]);
    expect((await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'multipart' }))).TagCount).toBe(2);
  });

  it('clears the tags when the object is overwritten without x-amz-tagging, and replaces them when it carries new ones', async () => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'overwrite', Body: 'v1', Tagging: 'v=1' }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'overwrite', Body: 'v2' }));
    expect(await tagsOf('overwrite')).toEqual([]);
    expect((await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'overwrite' }))).TagCount).toBeUndefined();
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'overwrite', Body: 'v3', Tagging: 'v=3' }));
    expect(await tagsOf('overwrite')).toEqual([{ Key: 'v', Value: '3' }]);
  });

  it('deletes the tags with the object: a new object under the key starts without them', async () => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'deleted', Body: 'x', Tagging: 'gone=soon' }));
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'deleted' }));
    await expectS3Error(s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: 'deleted' })), { code: 'NoSuchKey', status: 404 });
    const stored = f.store.services.db.prepare('SELECT count(*) FROM objects WHERE bucket = ? AND key = ?').pluck().get(bucket, 'deleted');
    expect(stored).toBe(0);
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'deleted', Body: 'again' }));
    expect(await tagsOf('deleted')).toEqual([]);
  });
});

describe('CopyObject and the tagging directive', () => {
  it("copies the source's tags by default (COPY), ignoring an x-amz-tagging header", async () => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'copy-src', Body: 'x', Tagging: 'from=source&n=2' }));
    await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'copy-default', CopySource: `${bucket}/copy-src` }));
    await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'copy-explicit', CopySource: `${bucket}/copy-src`, TaggingDirective: 'COPY', Tagging: 'ignored=yes' }));
    for (const key of ['copy-default', 'copy-explicit']) {
      expect(await tagsOf(key)).toEqual([
        { Key: 'from', Value: 'source' },
        { Key: 'n', Value: '2' },
      ]);
    }
  });

  it('takes the request tags with REPLACE, and none when REPLACE comes without x-amz-tagging', async () => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'replace-src', Body: 'x', Tagging: 'old=1' }));
    await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'replaced', CopySource: `${bucket}/replace-src`, TaggingDirective: 'REPLACE', Tagging: 'new=2' }));
    expect(await tagsOf('replaced')).toEqual([{ Key: 'new', Value: '2' }]);
    await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'stripped', CopySource: `${bucket}/replace-src`, TaggingDirective: 'REPLACE' }));
    expect(await tagsOf('stripped')).toEqual([]);
    expect(await tagsOf('replace-src')).toEqual([{ Key: 'old', Value: '1' }]);
  });

  it('refuses a tagging directive other than COPY or REPLACE with InvalidArgument', async () => {
    await expectS3Error(
      s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'bad-directive', CopySource: `${bucket}/replace-src`, TaggingDirective: 'MERGE' as 'COPY' })),
      { code: 'InvalidArgument', status: 400, message: 'Unknown tagging directive.' },
    );
  });
});

describe('PutObjectTagging, GetObjectTagging and DeleteObjectTagging', () => {
  it('replaces the whole set, keeps data, ETag and Last-Modified, and DeleteObjectTagging answers 204', async () => {
    const put = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'managed', Body: 'data stays', Tagging: 'first=1' }));
    const before = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'managed' }));
    await putTags('managed', { b: '2', a: '', c: 'three' });
    expect(await tagsOf('managed')).toEqual([
      { Key: 'a', Value: '' },
      { Key: 'b', Value: '2' },
      { Key: 'c', Value: 'three' },
    ]);
    const after = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'managed' }));
    expect([after.ETag, after.LastModified, after.TagCount]).toEqual([put.ETag, before.LastModified, 3]);
    const deleted = await s3.send(new DeleteObjectTaggingCommand({ Bucket: bucket, Key: 'managed' }));
    expect(deleted.$metadata.httpStatusCode).toBe(204);
    expect(await tagsOf('managed')).toEqual([]);
    expect((await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'managed' }))).TagCount).toBeUndefined();
    expect((await bodyOf(await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'managed' })))).toString()).toBe('data stays');
  });

  it('accepts 10 tags at the longest key and value, counted in UTF-16 units as S3 counts them; an empty TagSet removes all', async () => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'limits', Body: 'x' }));
    const tags: Record<string, string> = { ['k'.repeat(128)]: 'v'.repeat(256), ['𝒜'.repeat(64)]: '文'.repeat(256) };
    for (let i = 0; i < 8; i++) tags[`key-${i}`] = `b c+d-e=f.g_h:i/j@k ${i}`;
    await putTags('limits', tags);
    expect(await tagsOf('limits')).toHaveLength(10);
    expect(Object.fromEntries((await tagsOf('limits'))!.map((t) => [t.Key, t.Value]))).toEqual(tags);
    await putTags('limits', {});
    expect(await tagsOf('limits')).toEqual([]);
  });

  it('answers NoSuchKey for all three on a missing key, and NoSuchBucket for a missing bucket', async () => {
    const missing = { Bucket: bucket, Key: 'never-written' };
    await expectS3Error(s3.send(new GetObjectTaggingCommand(missing)), { code: 'NoSuchKey', status: 404 });
    await expectS3Error(s3.send(new PutObjectTaggingCommand({ ...missing, Tagging: { TagSet: [{ Key: 'a', Value: 'b' }] } })), { code: 'NoSuchKey', status: 404 });
    await expectS3Error(s3.send(new DeleteObjectTaggingCommand(missing)), { code: 'NoSuchKey', status: 404 });
    await expectS3Error(s3.send(new GetObjectTaggingCommand({ Bucket: 'no-such-bucket-for-tags', Key: 'k' })), { code: 'NoSuchBucket', status: 404 });
  });
});

describe('tags are metadata: no SSE-C key, no KMS', () => {
  it("reads and writes an SSE-C object's tags without its key, while HEAD without the key fails", async () => {
    const key = customerKey();
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'sse-c', Body: 'secret', ...sseC(key), Tagging: `wrapped-key=${encodeURIComponent(WRAPPED_KEY)}` }));
    expect(await tagsOf('sse-c')).toEqual([{ Key: 'wrapped-key', Value: WRAPPED_KEY }]);
    await expectS3Error(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'sse-c' })), { code: 'Unknown', status: 400 });
    await putTags('sse-c', { 'wrapped-key': WRAPPED_KEY, version: '2' });
    expect(await tagsOf('sse-c')).toHaveLength(2);
    expect((await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'sse-c', ...sseC(key) }))).TagCount).toBe(2);
    await s3.send(new DeleteObjectTaggingCommand({ Bucket: bucket, Key: 'sse-c' }));
    expect(await tagsOf('sse-c')).toEqual([]);
  });

  it('carries SSE-C tags through a key rotation by copy onto itself (COPY directive)', async () => {
    const [oldKey, newKey] = [customerKey(), customerKey()];
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'rotate', Body: 'r', ...sseC(oldKey), Tagging: 'keep=me' }));
    await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'rotate', CopySource: `${bucket}/rotate`, ...copySourceSseC(oldKey), ...sseC(newKey) }));
    expect(await tagsOf('rotate')).toEqual([{ Key: 'keep', Value: 'me' }]);
  });

  it('serves and changes the tags of an SSE-KMS object whose key is disabled', async () => {
    const cmk = kmsOf(f).createKey({ description: 'tags need no kms' });
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'kms', Body: 'k', ServerSideEncryption: 'aws:kms', SSEKMSKeyId: cmk.keyId, Tagging: 'a=1' }));
    kmsOf(f).disableKey({ keyId: cmk.keyId });
    try {
      await expectS3Error(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'kms' })), { code: 'KMS.DisabledException', status: 400 });
      await putTags('kms', { b: '2' });
      expect(await tagsOf('kms')).toEqual([{ Key: 'b', Value: '2' }]);
      await s3.send(new DeleteObjectTaggingCommand({ Bucket: bucket, Key: 'kms' }));
    } finally {
      kmsOf(f).enableKey({ keyId: cmk.keyId });
    }
  });
});

describe('access history', () => {
  it('records each tagging request like any other: its operation, object, status and outcome', async () => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'audited', Body: 'x' }));
    await putTags('audited', { a: '1' });
    await tagsOf('audited');
    await s3.send(new DeleteObjectTaggingCommand({ Bucket: bucket, Key: 'audited' }));
    await expectS3Error(s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: 'audited-missing' })), { code: 'NoSuchKey', status: 404 });
    const operations = ['PutObjectTagging', 'GetObjectTagging', 'DeleteObjectTagging'];
    const events = (await auditEvents(f, { bucket, operations })).map((r) => r.event);
    const summary = events.filter((e) => e.objectKey?.startsWith('audited')).map((e) => [e.operation, e.objectKey, e.httpStatus, e.outcome]);
    expect(summary).toEqual([
      ['PutObjectTagging', 'audited', 200, 'success'],
      ['GetObjectTagging', 'audited', 200, 'success'],
      ['DeleteObjectTagging', 'audited', 204, 'success'],
      ['GetObjectTagging', 'audited-missing', 404, 'failure'],
    ]);
  });
});
