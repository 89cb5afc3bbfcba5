// Wire contract: conditional reads (If-Match, If-None-Match, If-Modified-Since, If-Unmodified-Since -> 412/304) and conditional writes.
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bodyOf, createBucket, expectS3Error, md5Hex, onceClient, TRANSPORTS } from '../support/s3Expect.js';
import { objectPath, sendSigned } from '../support/signedRequest.js';
import { startStoreFixture, type StoreFixture } from '../support/storeFixture.js';

let f: StoreFixture;
beforeAll(async () => {
  f = await startStoreFixture();
});
afterAll(async () => {
  await f?.close();
});

const PRECONDITION = { code: 'PreconditionFailed', status: 412, message: 'At least one of the pre-conditions you specified did not hold' };
const HOUR = 3_600_000;

describe.each(TRANSPORTS)('conditional requests over $name', ({ secure }) => {
  let s3: S3Client;
  let bucket: string;
  let etag: string;
  let modified: Date;
  const before = () => new Date(modified.getTime() - HOUR);
  const after = () => new Date(modified.getTime() + HOUR);

  beforeAll(async () => {
    s3 = onceClient(f, secure);
    bucket = await createBucket(s3, 'cond');
    etag = (await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'obj', Body: 'conditional body' }))).ETag!;
    modified = (await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'obj' }))).LastModified!;
  });

  async function expectServed(input: Partial<ConstructorParameters<typeof GetObjectCommand>[0]>): Promise<void> {
    const get = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'obj', ...input }));
    expect(get.$metadata.httpStatusCode).toBe(200);
    expect((await bodyOf(get)).toString()).toBe('conditional body');
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'obj', ...input }));
    expect(head.$metadata.httpStatusCode).toBe(200);
  }

  async function expectPreconditionFailed(input: Partial<ConstructorParameters<typeof GetObjectCommand>[0]>): Promise<void> {
    await expectS3Error(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'obj', ...input })), PRECONDITION);
    await expectS3Error(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'obj', ...input })), { code: 'Unknown', status: 412 });
  }

  /** A 304 has no body, on GET as on HEAD, so the SDK can only report the status. */
  async function expectNotModified(input: Partial<ConstructorParameters<typeof GetObjectCommand>[0]>): Promise<void> {
    await expectS3Error(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'obj', ...input })), { code: 'Unknown', status: 304 });
    await expectS3Error(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'obj', ...input })), { code: 'Unknown', status: 304 });
  }

  it('serves when If-Match names the ETag (quoted, unquoted, in a list, or *)', async () => {
    await expectServed({ IfMatch: etag });
    await expectServed({ IfMatch: etag.replace(/"/g, '') });
    await expectServed({ IfMatch: `"0123", ${etag}` });
    await expectServed({ IfMatch: '*' });
  });

  it('answers 412 PreconditionFailed when If-Match names another ETag', async () => {
    await expectPreconditionFailed({ IfMatch: `"${md5Hex('other')}"` });
  });

  it('answers 304 when If-None-Match names the ETag, and serves otherwise', async () => {
    await expectNotModified({ IfNoneMatch: etag });
    await expectNotModified({ IfNoneMatch: '*' });
    await expectServed({ IfNoneMatch: `"${md5Hex('other')}"` });
  });

  it('answers 304 when not modified since a later time (or the very second), and serves if modified since an earlier one', async () => {
    await expectNotModified({ IfModifiedSince: after() });
    await expectNotModified({ IfModifiedSince: modified });
    await expectServed({ IfModifiedSince: before() });
  });

  it('answers 412 when modified since If-Unmodified-Since, and serves otherwise', async () => {
    await expectPreconditionFailed({ IfUnmodifiedSince: before() });
    await expectServed({ IfUnmodifiedSince: modified });
    await expectServed({ IfUnmodifiedSince: after() });
  });

  it('lets a true If-Match override a false If-Unmodified-Since (200), as S3 does', async () => {
    await expectServed({ IfMatch: etag, IfUnmodifiedSince: before() });
  });

  it('answers 304 for a false If-None-Match with a true If-Modified-Since, as S3 does', async () => {
    await expectNotModified({ IfNoneMatch: etag, IfModifiedSince: before() });
  });

  it('serves when If-None-Match does not match even if If-Modified-Since is false', async () => {
    await expectServed({ IfNoneMatch: `"${md5Hex('other')}"`, IfModifiedSince: after() });
  });

  it('puts ETag and Last-Modified on a 304 and sends no body', async () => {
    const raw = await sendSigned(f, { secure, path: objectPath(bucket, 'obj'), headers: { 'if-none-match': etag } });
    expect(raw.status).toBe(304);
    expect(raw.headers.etag).toBe(etag);
    expect(raw.headers['last-modified']).toBe(modified.toUTCString());
    expect(raw.body.length).toBe(0);
  });

  it('prefers 412 over 304 when If-Match fails and If-None-Match matches', async () => {
    await expectPreconditionFailed({ IfMatch: `"${md5Hex('other')}"`, IfNoneMatch: etag });
  });

  it('ignores an unparseable date condition', async () => {
    const raw = await sendSigned(f, { secure, path: objectPath(bucket, 'obj'), headers: { 'if-modified-since': 'not a date' } });
    expect(raw.status).toBe(200);
    expect(raw.body.toString()).toBe('conditional body');
  });

  it('writes with If-None-Match: * only when the key is new (else 412), keeping the existing object', async () => {
    const key = 'create-only';
    const first = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'v1', IfNoneMatch: '*' }));
    expect(first.$metadata.httpStatusCode).toBe(200);
    await expectS3Error(s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'v2', IfNoneMatch: '*' })), PRECONDITION);
    expect((await bodyOf(await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key })))).toString()).toBe('v1');
  });

  it('writes with If-Match only over the named version (else 412), and needs an existing key (404 NoSuchKey)', async () => {
    const key = 'replace-only';
    const v1 = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'v1' }));
    await expectS3Error(s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'v2', IfMatch: `"${md5Hex('zzz')}"` })), PRECONDITION);
    const v2 = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'v2', IfMatch: v1.ETag }));
    expect(v2.ETag).toBe(`"${md5Hex('v2')}"`);
    await expectS3Error(s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'never-written', Body: 'x', IfMatch: v1.ETag })), {
      code: 'NoSuchKey',
      status: 404,
    });
  });
});
