// Wire contract: PutObject, GetObject, HeadObject, DeleteObject, DeleteObjects, GetObjectAttributes over HTTP and HTTPS.
import {
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectAttributesCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bodyOf, createBucket, expectS3Error, md5Hex, onceClient, patternBytes, TRANSPORTS } from '../support/s3Expect.js';
import { startStoreFixture, type StoreFixture } from '../support/storeFixture.js';

let f: StoreFixture;
beforeAll(async () => {
  f = await startStoreFixture();
});
afterAll(async () => {
  await f?.close();
});

describe.each(TRANSPORTS)('objects over $name', ({ secure }) => {
  let s3: S3Client;
  let bucket: string;
  beforeAll(async () => {
    s3 = onceClient(f, secure);
    bucket = await createBucket(s3, 'objects');
  });

  it('stores and returns body, metadata and system headers; ETag is the MD5 of the body', async () => {
    const body = 'hello, coffer';
    const put = await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: 'docs/hello.txt',
        Body: body,
        ContentType: 'text/plain; charset=utf-8',
        CacheControl: 'max-age=60',
        ContentDisposition: 'inline',
        ContentLanguage: 'en',
        Metadata: { owner: 'alice', 'mixed-case': 'Value With Spaces' },
      }),
    );
    expect(put.ETag).toBe(`"${md5Hex(body)}"`);
    const get = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'docs/hello.txt' }));
    expect(get.$metadata.httpStatusCode).toBe(200);
    expect((await bodyOf(get)).toString()).toBe(body);
    expect(get.ETag).toBe(put.ETag);
    expect(get.ContentLength).toBe(Buffer.byteLength(body));
    expect(get.ContentType).toBe('text/plain; charset=utf-8');
    expect(get.CacheControl).toBe('max-age=60');
    expect(get.ContentDisposition).toBe('inline');
    expect(get.ContentLanguage).toBe('en');
    expect(get.Metadata).toEqual({ owner: 'alice', 'mixed-case': 'Value With Spaces' });
    expect(get.AcceptRanges).toBe('bytes');
    expect(get.LastModified).toBeInstanceOf(Date);
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'docs/hello.txt' }));
    expect(head.ContentLength).toBe(Buffer.byteLength(body));
    expect(head.ETag).toBe(put.ETag);
    expect(head.Metadata).toEqual(get.Metadata);
    expect(head.LastModified?.getTime()).toBe(get.LastModified?.getTime());
  });

  it('stores an empty object', async () => {
    const put = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'empty', Body: '' }));
    expect(put.ETag).toBe(`"${md5Hex('')}"`);
    const get = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'empty' }));
    expect(get.ContentLength).toBe(0);
    expect((await bodyOf(get)).length).toBe(0);
  });

  it('round-trips a body spanning several encryption segments, with an unaligned tail', async () => {
    const body = patternBytes(3 * 65536 + 123, 7);
    const put = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'big.bin', Body: body }));
    expect(put.ETag).toBe(`"${md5Hex(body)}"`);
    const get = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'big.bin' }));
    expect((await bodyOf(get)).equals(body)).toBe(true);
    const list = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'big.bin' }));
    expect(list.Contents?.[0]?.Size).toBe(body.length);
  });

  it('replaces an object on overwrite, metadata included', async () => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'over', Body: 'first', Metadata: { v: '1' } }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'over', Body: 'second!' }));
    const get = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'over' }));
    expect((await bodyOf(get)).toString()).toBe('second!');
    expect(get.Metadata).toEqual({});
    expect(get.ETag).toBe(`"${md5Hex('second!')}"`);
  });

  it('applies response-* query overrides on GET', async () => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'override', Body: 'x', ContentType: 'text/plain' }));
    const get = await s3.send(
      new GetObjectCommand({
        Bucket: bucket,
        Key: 'override',
        ResponseContentType: 'application/json',
        ResponseContentDisposition: 'attachment; filename="a b.json"',
        ResponseCacheControl: 'no-cache',
        ResponseContentLanguage: 'de',
        ResponseContentEncoding: 'identity',
        ResponseExpires: new Date('2030-01-01T00:00:00Z'),
      }),
    );
    expect(get.ContentType).toBe('application/json');
    expect(get.ContentDisposition).toBe('attachment; filename="a b.json"');
    expect(get.CacheControl).toBe('no-cache');
    expect(get.ContentLanguage).toBe('de');
    expect(get.ContentEncoding).toBe('identity');
    expect(get.ExpiresString).toBe('Tue, 01 Jan 2030 00:00:00 GMT');
    expect((await bodyOf(get)).toString()).toBe('x');
  });

  it('refuses more than 2 KB of user metadata (400 MetadataTooLarge) and an unknown storage class (400 InvalidStorageClass)', async () => {
    await expectS3Error(s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'refused', Body: 'x', Metadata: { big: 'x'.repeat(2100) } })), {
      code: 'MetadataTooLarge',
      status: 400,
      message: 'Your metadata headers exceed the maximum allowed metadata size.',
    });
    await expectS3Error(s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'refused', Body: 'x', StorageClass: 'CHEAPEST' as 'STANDARD' })), {
      code: 'InvalidStorageClass',
      status: 400,
      message: 'The storage class you specified is not valid',
    });
    await expectS3Error(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'refused' })), { code: 'NotFound', status: 404 });
    const ok = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'standard', Body: 'x', StorageClass: 'STANDARD', Metadata: { fits: 'y'.repeat(1000) } }));
    expect(ok.$metadata.httpStatusCode).toBe(200);
  });

  it('answers a missing key with 404 NoSuchKey (GET) and 404 without a body (HEAD)', async () => {
    await expectS3Error(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'nope' })), {
      code: 'NoSuchKey',
      status: 404,
      message: 'The specified key does not exist.',
    });
    await expectS3Error(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'nope' })), { code: 'NotFound', status: 404 });
  });

  it('answers a missing bucket with 404 NoSuchBucket on object operations', async () => {
    const missing = { code: 'NoSuchBucket', status: 404, message: 'The specified bucket does not exist' };
    await expectS3Error(s3.send(new GetObjectCommand({ Bucket: 'no-such-bucket-here', Key: 'k' })), missing);
    await expectS3Error(s3.send(new PutObjectCommand({ Bucket: 'no-such-bucket-here', Key: 'k', Body: 'x' })), missing);
    await expectS3Error(s3.send(new DeleteObjectCommand({ Bucket: 'no-such-bucket-here', Key: 'k' })), missing);
  });

  it('deletes an object (204), and deleting a missing key also answers 204', async () => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'gone', Body: 'x' }));
    expect((await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'gone' }))).$metadata.httpStatusCode).toBe(204);
    await expectS3Error(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'gone' })), { code: 'NoSuchKey', status: 404 });
    expect((await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'gone' }))).$metadata.httpStatusCode).toBe(204);
  });

  it('deletes a batch verbosely, listing every key (missing ones too) as Deleted', async () => {
    const keys = ['batch/a', 'batch/b c', 'batch/ü+&<>'];
    for (const key of keys) await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: key }));
    const out = await s3.send(
      new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: [...keys, 'batch/missing'].map((Key) => ({ Key })) } }),
    );
    expect(out.Deleted?.map((d) => d.Key).sort()).toEqual([...keys, 'batch/missing'].sort());
    expect(out.Errors ?? []).toEqual([]);
    const list = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'batch/' }));
    expect(list.KeyCount).toBe(0);
  });

  it('deletes a batch quietly, reporting nothing on success', async () => {
    for (const key of ['quiet/1', 'quiet/2']) await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'x' }));
    const out = await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Quiet: true, Objects: [{ Key: 'quiet/1' }, { Key: 'quiet/2' }] } }));
    expect(out.$metadata.httpStatusCode).toBe(200);
    expect(out.Deleted ?? []).toEqual([]);
    expect(out.Errors ?? []).toEqual([]);
    expect((await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'quiet/' }))).KeyCount).toBe(0);
  });

  it('reports a per-key error in DeleteObjects for a key that is too long, deleting the rest', async () => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'mixed/ok', Body: 'x' }));
    const long = 'k'.repeat(1025);
    const out = await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: [{ Key: 'mixed/ok' }, { Key: long }] } }));
    expect(out.Deleted?.map((d) => d.Key)).toEqual(['mixed/ok']);
    expect(out.Errors).toEqual([{ Key: long, Code: 'KeyTooLongError', Message: 'Your key is too long' }]);
  });

  it('answers GetObjectAttributes for a single-part object (ETag unquoted, plaintext size, no SSE fields)', async () => {
    const body = patternBytes(1000, 3);
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'attrs', Body: body, ChecksumAlgorithm: 'SHA256' }));
    const out = await s3.send(
      new GetObjectAttributesCommand({ Bucket: bucket, Key: 'attrs', ObjectAttributes: ['ETag', 'ObjectSize', 'StorageClass', 'Checksum', 'ObjectParts'] }),
    );
    expect(out.ETag).toBe(md5Hex(body));
    expect(out.ObjectSize).toBe(1000);
    expect(out.StorageClass).toBe('STANDARD');
    expect(out.Checksum?.ChecksumSHA256).toBe((await import('node:crypto')).createHash('sha256').update(body).digest('base64'));
    expect(out.ObjectParts).toBeUndefined();
    expect(out.LastModified).toBeInstanceOf(Date);
    expect(JSON.stringify(out)).not.toContain('ServerSideEncryption');
  });

  it('refuses GetObjectAttributes without a valid attribute name (400 InvalidArgument)', async () => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'attrs2', Body: 'x' }));
    await expectS3Error(
      s3.send(new GetObjectAttributesCommand({ Bucket: bucket, Key: 'attrs2', ObjectAttributes: ['Bogus' as 'ETag'] })),
      { code: 'InvalidArgument', status: 400, message: 'Invalid attribute name specified.' },
    );
    await expectS3Error(s3.send(new GetObjectAttributesCommand({ Bucket: bucket, Key: 'nope', ObjectAttributes: ['ETag'] })), {
      code: 'NoSuchKey',
      status: 404,
    });
  });
});
