// Wire contract: SSE-S3 (AES256) response headers and ETags, the SSE-S3 error rows E1, E2, E3 of S3-SSE.md, and DSSE-KMS refused as not implemented.
import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  UploadPartCommand,
  UploadPartCopyCommand,
  type S3Client,
  type ServerSideEncryption,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { multipartEtag } from '../support/multipart.js';
import { bodyOf, createBucket, expectRawError, expectS3Error, expectStoreServes, md5Hex, onceClient, TRANSPORTS } from '../support/s3Expect.js';
import { objectPath, sendSigned } from '../support/signedRequest.js';
import { startStoreFixture, type StoreFixture } from '../support/storeFixture.js';

let f: StoreFixture;
beforeAll(async () => {
  f = await startStoreFixture();
});
afterAll(async () => {
  await f?.close();
});

const E1 = { code: 'InvalidArgument', status: 400, message: 'The encryption method specified is not supported' };
const E2 = { code: 'InvalidArgument', status: 400, message: 'x-amz-server-side-encryption header is not supported for this operation.' };
const E3 = { code: 'InvalidArgument', status: 400, message: 'Server Side Encryption with AWS KMS managed key requires HTTP header x-amz-server-side-encryption : aws:kms' };
const DSSE = { code: 'NotImplemented', status: 501, message: 'Dual-layer server-side encryption (aws:kms:dsse) is not implemented by this store' };

describe.each(TRANSPORTS)('SSE-S3 over $name', ({ secure }) => {
  let s3: S3Client;
  let bucket: string;
  beforeAll(async () => {
    s3 = onceClient(f, secure);
    bucket = await createBucket(s3, 'sse-s3');
  });

  it('answers AES256 on Put, Get, Head and Copy without any SSE request header; ETag is the plaintext MD5', async () => {
    const put = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'plain', Body: 'test-sse' }));
    expect(put.ServerSideEncryption).toBe('AES256');
    expect(put.ETag).toBe('"42832cdec7083e70a9cd6f2d5852e004"');
    expect(put.SSECustomerAlgorithm).toBeUndefined();
    const get = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'plain' }));
    expect(get.ServerSideEncryption).toBe('AES256');
    expect(get.SSECustomerKeyMD5).toBeUndefined();
    expect((await bodyOf(get)).toString()).toBe('test-sse');
    expect((await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'plain' }))).ServerSideEncryption).toBe('AES256');
    const copy = await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'plain-copy', CopySource: `${bucket}/plain` }));
    expect(copy.ServerSideEncryption).toBe('AES256');
    expect(copy.CopyObjectResult?.ETag).toBe('"42832cdec7083e70a9cd6f2d5852e004"');
  });

  it('gives the same body the same ETag on every write (MD5, not per-object)', async () => {
    const a = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'same-1', Body: 'identical' }));
    const b = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'same-2', Body: 'identical', ServerSideEncryption: 'AES256' }));
    expect(a.ETag).toBe(`"${md5Hex('identical')}"`);
    expect(b.ETag).toBe(a.ETag);
    expect(b.ServerSideEncryption).toBe('AES256');
  });

  it('answers AES256 on CreateMultipartUpload, UploadPart, UploadPartCopy and Complete', async () => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'part-src', Body: 'copied part' }));
    const create = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'mpu', ServerSideEncryption: 'AES256' }));
    expect(create.ServerSideEncryption).toBe('AES256');
    const { UploadId } = create;
    const part = await s3.send(new UploadPartCommand({ Bucket: bucket, Key: 'mpu', UploadId, PartNumber: 1, Body: 'only part' }));
    expect(part.ServerSideEncryption).toBe('AES256');
    expect(part.ETag).toBe(`"${md5Hex('only part')}"`);
    const copied = await s3.send(new UploadPartCopyCommand({ Bucket: bucket, Key: 'mpu', UploadId, PartNumber: 2, CopySource: `${bucket}/part-src` }));
    expect(copied.ServerSideEncryption).toBe('AES256');
    const complete = await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key: 'mpu',
        UploadId,
        MultipartUpload: { Parts: [{ PartNumber: 2, ETag: copied.CopyPartResult!.ETag }] },
      }),
    );
    expect(complete.ServerSideEncryption).toBe('AES256');
    expect(complete.ETag).toBe(multipartEtag([copied.CopyPartResult!.ETag!]));
    const plainCreate = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'mpu-default' }));
    expect(plainCreate.ServerSideEncryption).toBe('AES256');
  });

  it.each(['aes256', 'AES-256', 'aes:kms', 'AWS:KMS'])('refuses the SSE value %j on PutObject, CreateMultipartUpload and CopyObject (E1)', async (value) => {
    const sse = value as ServerSideEncryption;
    await expectS3Error(s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'e1', Body: 'x', ServerSideEncryption: sse })), E1);
    await expectS3Error(s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'e1', ServerSideEncryption: sse })), E1);
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'e1-src', Body: 'x' }));
    await expectS3Error(s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'e1', CopySource: `${bucket}/e1-src`, ServerSideEncryption: sse })), E1);
    await expectS3Error(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'e1' })), { code: 'NotFound', status: 404 });
  });

  it('names the refused SSE value in ArgumentName / ArgumentValue, an empty value included (E1)', async () => {
    for (const value of ['', 'bogus']) {
      const res = await sendSigned(f, { secure, method: 'PUT', path: objectPath(bucket, 'e1-raw'), body: 'x', headers: { 'x-amz-server-side-encryption': value } });
      expectRawError(res, E1);
      expect(res.error?.details).toMatchObject({ ArgumentName: 'x-amz-server-side-encryption', ArgumentValue: value });
    }
  });

  it('refuses an SSE header on UploadPart that conflicts with the upload, and on Complete (E2)', async () => {
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'e2' }));
    const query = { partNumber: '1', uploadId: UploadId! };
    const conflicting = await sendSigned(f, { secure, method: 'PUT', path: objectPath(bucket, 'e2'), query, body: 'x', headers: { 'x-amz-server-side-encryption': 'aws:kms' } });
    expectRawError(conflicting, E2);
    const withKmsId = await sendSigned(f, {
      secure,
      method: 'PUT',
      path: objectPath(bucket, 'e2'),
      query,
      body: 'x',
      headers: { 'x-amz-server-side-encryption': 'AES256', 'x-amz-server-side-encryption-aws-kms-key-id': 'some-key' },
    });
    expectRawError(withKmsId, E2);
    // The same value as the upload's is tolerated (S3-SSE.md 2.2 compatibility note).
    const agreeing = await sendSigned(f, { secure, method: 'PUT', path: objectPath(bucket, 'e2'), query, body: 'x', headers: { 'x-amz-server-side-encryption': 'AES256' } });
    expect(agreeing.status).toBe(200);
    expect(agreeing.headers['x-amz-server-side-encryption']).toBe('AES256');
    const body = `<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>${agreeing.headers.etag}</ETag></Part></CompleteMultipartUpload>`;
    const complete = await sendSigned(f, { secure, method: 'POST', path: objectPath(bucket, 'e2'), query: { uploadId: UploadId! }, body, headers: { 'x-amz-server-side-encryption': 'aws:kms' } });
    expectRawError(complete, E2);
  });

  it('refuses an SSE header on GET (400 with body) and HEAD (400, no body) of an object (E2, R5.3)', async () => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'read', Body: 'x' }));
    for (const [name, value] of [
      ['x-amz-server-side-encryption', 'AES256'],
      ['x-amz-server-side-encryption-aws-kms-key-id', 'k'],
    ] as const) {
      const get = await sendSigned(f, { secure, path: objectPath(bucket, 'read'), headers: { [name]: value } });
      expectRawError(get, { ...E2, code: 'InvalidArgument' });
      expect(get.error?.details['ArgumentName']).toBe(name);
      const head = await sendSigned(f, { secure, method: 'HEAD', path: objectPath(bucket, 'read'), headers: { [name]: value } });
      expect(head.status).toBe(400);
      expect(head.body.length).toBe(0);
    }
  });

  it('refuses an SSE header on bucket and listing operations (E2)', async () => {
    const headers = { 'x-amz-server-side-encryption': 'AES256' };
    expectRawError(await sendSigned(f, { secure, path: objectPath(bucket), query: { 'list-type': '2' }, headers }), E2);
    expectRawError(await sendSigned(f, { secure, path: objectPath(bucket), query: { location: '' }, headers }), E2);
    expectRawError(await sendSigned(f, { secure, path: '/', headers }), E2);
    expectRawError(await sendSigned(f, { secure, method: 'DELETE', path: objectPath(bucket, 'read'), headers }), E2);
    expect((await sendSigned(f, { secure, method: 'HEAD', path: objectPath(bucket), headers })).status).toBe(400);
    await expectStoreServes(s3, bucket);
  });

  it('refuses KMS-only headers without aws:kms, and AES256 with a KMS key id (E3)', async () => {
    await expectS3Error(s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'e3', Body: 'x', SSEKMSKeyId: 'alias/some-key' })), E3);
    await expectS3Error(s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'e3', Body: 'x', ServerSideEncryption: 'AES256', SSEKMSKeyId: 'alias/some-key' })), E3);
    await expectS3Error(s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'e3', Body: 'x', SSEKMSEncryptionContext: Buffer.from('{"a":"b"}').toString('base64') })), E3);
    await expectS3Error(s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'e3', Body: 'x', BucketKeyEnabled: true })), E3);
    await expectS3Error(s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'e3', ServerSideEncryption: 'AES256', SSEKMSKeyId: 'k' })), E3);
    await expectS3Error(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'e3' })), { code: 'NotFound', status: 404 });
  });

  it('answers aws:kms:dsse with 501 NotImplemented on every write, before any key lookup, storing nothing', async () => {
    const sse = 'aws:kms:dsse' as ServerSideEncryption;
    await expectS3Error(s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'dsse', Body: 'x', ServerSideEncryption: sse })), DSSE);
    // An unknown key id would be KMS.NotFoundException under aws:kms; DSSE is refused first.
    await expectS3Error(s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'dsse', Body: 'x', ServerSideEncryption: sse, SSEKMSKeyId: 'alias/k' })), DSSE);
    await expectS3Error(s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'dsse', ServerSideEncryption: sse })), DSSE);
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'dsse-src', Body: 'x' }));
    await expectS3Error(s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'dsse', CopySource: `${bucket}/dsse-src`, ServerSideEncryption: sse })), DSSE);
    await expectS3Error(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'dsse' })), { code: 'NotFound', status: 404 });
    await expectStoreServes(s3, bucket);
  });
});
