// Wire contract: CopyObject: metadata directives, copy-source conditions, encryption changes SSE-S3 <-> SSE-C, SSE-C key rotation, illegal self-copy.
import { CopyObjectCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bodyOf, bucketName, copySourceSseC, createBucket, customerKey, expectS3Error, md5Hex, onceClient, sseC } from '../support/s3Expect.js';
import { startStoreFixture, type StoreFixture } from '../support/storeFixture.js';

let f: StoreFixture;
let s3: S3Client;
let bucket: string;
beforeAll(async () => {
  f = await startStoreFixture();
  s3 = onceClient(f, true);
  bucket = await createBucket(s3, 'copy');
});
afterAll(async () => {
  await f?.close();
});

const SELF_COPY = {
  code: 'InvalidRequest',
  status: 400,
  message:
    "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
};
const KEY_REQUIRED = 'The object was stored using a form of Server Side Encryption. The correct parameters must be provided to retrieve the object.';

async function getText(key: string, extra: Record<string, string> = {}): Promise<string> {
  return (await bodyOf(await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, ...extra })))).toString();
}

describe('CopyObject', () => {
  it('copies body and metadata with the default COPY directive; the copy is SSE-S3 with an MD5 ETag', async () => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'src', Body: 'copy me', ContentType: 'text/x-src', Metadata: { a: '1' } }));
    const copy = await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'dst', CopySource: `${bucket}/src` }));
    expect(copy.CopyObjectResult?.ETag).toBe(`"${md5Hex('copy me')}"`);
    expect(copy.CopyObjectResult?.LastModified).toBeInstanceOf(Date);
    expect(copy.ServerSideEncryption).toBe('AES256');
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'dst' }));
    expect([head.ContentType, head.Metadata, head.ServerSideEncryption]).toEqual(['text/x-src', { a: '1' }, 'AES256']);
    expect(await getText('dst')).toBe('copy me');
  });

  it('takes metadata from the request with REPLACE, dropping the source metadata', async () => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'src-r', Body: 'x', ContentType: 'text/old', Metadata: { old: 'yes' } }));
    await s3.send(
      new CopyObjectCommand({ Bucket: bucket, Key: 'dst-r', CopySource: `${bucket}/src-r`, MetadataDirective: 'REPLACE', ContentType: 'text/new', Metadata: { fresh: '1' } }),
    );
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'dst-r' }));
    expect([head.ContentType, head.Metadata]).toEqual(['text/new', { fresh: '1' }]);
  });

  it('copies across buckets and from keys that need escaping', async () => {
    const other = await createBucket(s3, 'copy-other');
    const odd = 'dir/ä b+c?d';
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: odd, Body: 'odd source' }));
    await s3.send(new CopyObjectCommand({ Bucket: other, Key: 'copied', CopySource: `${bucket}/${encodeURIComponent(odd)}` }));
    expect((await bodyOf(await s3.send(new GetObjectCommand({ Bucket: other, Key: 'copied' })))).toString()).toBe('odd source');
    await s3.send(new CopyObjectCommand({ Bucket: other, Key: 'versioned', CopySource: `/${bucket}/${encodeURIComponent(odd)}?versionId=null` }));
    expect((await bodyOf(await s3.send(new GetObjectCommand({ Bucket: other, Key: 'versioned' })))).toString()).toBe('odd source');
  });

  it('answers a missing source key (404 NoSuchKey), a missing source bucket (404 NoSuchBucket) and a bad directive (400)', async () => {
    await expectS3Error(s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'x', CopySource: `${bucket}/missing` })), { code: 'NoSuchKey', status: 404 });
    await expectS3Error(s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'x', CopySource: `${bucketName('gone')}/k` })), { code: 'NoSuchBucket', status: 404 });
    await expectS3Error(s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'x', CopySource: `${bucket}/src`, MetadataDirective: 'MOVE' as 'COPY' })), {
      code: 'InvalidArgument',
      status: 400,
      message: 'Unknown metadata directive.',
    });
  });

  it('checks copy-source conditions (412 PreconditionFailed)', async () => {
    const put = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'cond-src', Body: 'c' }));
    const modified = (await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'cond-src' }))).LastModified!;
    const copy = (extra: Partial<ConstructorParameters<typeof CopyObjectCommand>[0]>) =>
      s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'cond-dst', CopySource: `${bucket}/cond-src`, ...extra }));
    const failed = { code: 'PreconditionFailed', status: 412, message: 'At least one of the pre-conditions you specified did not hold' };
    await expectS3Error(copy({ CopySourceIfMatch: `"${md5Hex('other')}"` }), failed);
    await expectS3Error(copy({ CopySourceIfNoneMatch: put.ETag }), failed);
    await expectS3Error(copy({ CopySourceIfModifiedSince: new Date(modified.getTime() + 3_600_000) }), failed);
    await expectS3Error(copy({ CopySourceIfUnmodifiedSince: new Date(modified.getTime() - 3_600_000) }), failed);
    expect((await copy({ CopySourceIfMatch: put.ETag, CopySourceIfUnmodifiedSince: new Date(modified.getTime() - 3_600_000) })).$metadata.httpStatusCode).toBe(200);
  });

  it('refuses to copy an object onto itself without changes (400 InvalidRequest), allows it with REPLACE or an SSE header', async () => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'self', Body: 'self body', Metadata: { v: '1' } }));
    await expectS3Error(s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'self', CopySource: `${bucket}/self` })), SELF_COPY);
    await expectS3Error(s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'self', CopySource: `${bucket}/self`, MetadataDirective: 'COPY' })), SELF_COPY);
    await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'self', CopySource: `${bucket}/self`, MetadataDirective: 'REPLACE', Metadata: { v: '2' } }));
    expect((await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'self' }))).Metadata).toEqual({ v: '2' });
    const explicit = await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'self', CopySource: `${bucket}/self`, ServerSideEncryption: 'AES256' }));
    expect(explicit.ServerSideEncryption).toBe('AES256');
    expect(await getText('self')).toBe('self body');
  });

  it('turns an SSE-S3 object into an SSE-C copy (no copy-source key needed); the copy needs its key', async () => {
    const key = customerKey();
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 's3-src', Body: 'to sse-c' }));
    const copy = await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'c-dst', CopySource: `${bucket}/s3-src`, ...sseC(key) }));
    expect([copy.SSECustomerAlgorithm, copy.SSECustomerKeyMD5, copy.ServerSideEncryption]).toEqual(['AES256', key.md5, undefined]);
    expect(copy.CopyObjectResult?.ETag).not.toBe(`"${md5Hex('to sse-c')}"`);
    expect(await getText('c-dst', sseC(key))).toBe('to sse-c');
    await expectS3Error(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'c-dst' })), { code: 'InvalidRequest', status: 400, message: KEY_REQUIRED });
  });

  it('turns an SSE-C object into an SSE-S3 copy with the copy-source key; the copy is read without a key and has an MD5 ETag', async () => {
    const key = customerKey();
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'c-src', Body: 'from sse-c', ...sseC(key) }));
    await expectS3Error(s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 's3-dst', CopySource: `${bucket}/c-src` })), {
      code: 'InvalidRequest',
      status: 400,
      message: KEY_REQUIRED,
    });
    await expectS3Error(s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 's3-dst', CopySource: `${bucket}/c-src`, ...copySourceSseC(customerKey()) })), {
      code: 'AccessDenied',
      status: 403,
      message: 'Requests specifying Server Side Encryption with Customer provided keys must provide the correct secret key.',
    });
    const copy = await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 's3-dst', CopySource: `${bucket}/c-src`, ...copySourceSseC(key) }));
    expect(copy.ServerSideEncryption).toBe('AES256');
    expect(copy.SSECustomerAlgorithm).toBeUndefined();
    expect(copy.CopyObjectResult?.ETag).toBe(`"${md5Hex('from sse-c')}"`);
    expect(await getText('s3-dst')).toBe('from sse-c');
  });

  it('rotates an SSE-C key by copying the object onto itself: the new key opens it, the old one no longer does', async () => {
    const oldKey = customerKey();
    const newKey = customerKey();
    const put = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'rotate', Body: 'rotating', Metadata: { keep: 'me' }, ...sseC(oldKey) }));
    const copy = await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'rotate', CopySource: `${bucket}/rotate`, ...copySourceSseC(oldKey), ...sseC(newKey) }));
    expect(copy.SSECustomerKeyMD5).toBe(newKey.md5);
    expect(copy.CopyObjectResult?.ETag).not.toBe(put.ETag);
    expect(copy.CopyObjectResult?.ETag).not.toBe(`"${md5Hex('rotating')}"`);
    const get = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'rotate', ...sseC(newKey) }));
    expect((await bodyOf(get)).toString()).toBe('rotating');
    expect(get.Metadata).toEqual({ keep: 'me' });
    await expectS3Error(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'rotate', ...sseC(oldKey) })), { code: 'AccessDenied', status: 403 });
  });

  it('turns an SSE-C object into SSE-S3 in place with the copy-source key alone', async () => {
    const key = customerKey();
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'c-to-s3', Body: 'in place', ...sseC(key) }));
    const copy = await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'c-to-s3', CopySource: `${bucket}/c-to-s3`, ServerSideEncryption: 'AES256', ...copySourceSseC(key) }));
    expect(copy.ServerSideEncryption).toBe('AES256');
    expect(await getText('c-to-s3')).toBe('in place');
  });

  it('refuses a copy-source key for a source that is not SSE-C, and SSE-C with SSE for the destination (E20, E11)', async () => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'plain-src', Body: 'p' }));
    await expectS3Error(s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'x', CopySource: `${bucket}/plain-src`, ...copySourceSseC(customerKey()) })), {
      code: 'InvalidRequest',
      status: 400,
      message: 'The encryption parameters are not applicable to this object.',
    });
    await expectS3Error(s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'x', CopySource: `${bucket}/plain-src`, ServerSideEncryption: 'AES256', ...sseC(customerKey()) })), {
      code: 'InvalidArgument',
      status: 400,
      message: 'Server Side Encryption with Customer provided key is incompatible with the encryption method specified',
    });
  });

  it('refuses copy-source SSE-C headers over plain HTTP (E10)', async () => {
    const key = customerKey();
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'http-src', Body: 'x', ...sseC(key) }));
    const http = onceClient(f, false);
    await expectS3Error(http.send(new CopyObjectCommand({ Bucket: bucket, Key: 'http-dst', CopySource: `${bucket}/http-src`, ...copySourceSseC(key) })), {
      code: 'InvalidRequest',
      status: 400,
      message: 'Requests specifying Server Side Encryption with Customer provided keys must be made over a secure connection.',
    });
    await expectS3Error(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'http-dst' })), { code: 'NotFound', status: 404 });
  });
});
