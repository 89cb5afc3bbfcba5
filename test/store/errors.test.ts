// Wire contract: refused requests (authentication, clock skew, unsupported subresources, malformed XML bodies) and a store that keeps serving after each.
import {
  CreateMultipartUploadCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketTaggingCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  UploadPartCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBucket, expectRawError, expectS3Error, expectStoreServes, md5Base64, onceClient, TRANSPORTS } from '../support/s3Expect.js';
import { objectPath, sendRaw, sendSigned } from '../support/signedRequest.js';
import { startStoreFixture, TEST_CREDENTIALS, type StoreFixture } from '../support/storeFixture.js';
import { SignatureV4 } from '@smithy/signature-v4';
import { NodeSha256 } from '../core/store/auth/sigv4Support.js';

let f: StoreFixture;
const chunkSigner = new SignatureV4({ service: 's3', region: 'us-east-1', credentials: TEST_CREDENTIALS, sha256: NodeSha256, uriEscapePath: false, applyChecksum: true });
beforeAll(async () => {
  f = await startStoreFixture();
});
afterAll(async () => {
  await f?.close();
});

const MALFORMED = { code: 'MalformedXML', status: 400, message: 'The XML you provided was not well-formed or did not validate against our published schema' };
const SIGNATURE = {
  code: 'SignatureDoesNotMatch',
  status: 403,
  message: 'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
};

describe.each(TRANSPORTS)('refused requests over $name', ({ secure }) => {
  let s3: S3Client;
  let bucket: string;
  beforeAll(async () => {
    s3 = onceClient(f, secure);
    bucket = await createBucket(s3, 'errors');
  });

  it('refuses a request signed with the wrong secret (403 SignatureDoesNotMatch)', async () => {
    const wrong = f.client({ secure, maxAttempts: 1, credentials: { accessKeyId: TEST_CREDENTIALS.accessKeyId, secretAccessKey: 'not-the-secret' } });
    await expectS3Error(wrong.send(new ListBucketsCommand({})), SIGNATURE);
    await expectS3Error(wrong.send(new PutObjectCommand({ Bucket: bucket, Key: 'sig', Body: 'x' })), SIGNATURE);
    expect((await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'sig' }))).KeyCount).toBe(0);
    await expectStoreServes(s3, bucket);
  });

  it('refuses a corrupted signature with the details a client needs to debug, and nothing secret', async () => {
    const res = await sendSigned(f, { secure, path: objectPath(bucket), query: { 'list-type': '2' }, corruptSignature: true });
    expectRawError(res, SIGNATURE);
    expect(res.error?.details['AWSAccessKeyId']).toBe(TEST_CREDENTIALS.accessKeyId);
    expect(res.error?.details['CanonicalRequest']).toContain('list-type=2');
    expect(res.body.toString()).not.toContain(TEST_CREDENTIALS.secretAccessKey);
    await expectStoreServes(s3, bucket);
  });

  it('refuses an unknown access key (403 InvalidAccessKeyId)', async () => {
    const stranger = f.client({ secure, maxAttempts: 1, credentials: { accessKeyId: 'AKIAUNKNOWN000000000', secretAccessKey: 'whatever' } });
    const err = await expectS3Error(stranger.send(new ListBucketsCommand({})), {
      code: 'InvalidAccessKeyId',
      status: 403,
      message: 'The AWS Access Key Id you provided does not exist in our records.',
    });
    expect((err as unknown as { AWSAccessKeyId?: string }).AWSAccessKeyId).toBe('AKIAUNKNOWN000000000');
    await expectStoreServes(s3, bucket);
  });

  it.each([20, -20])('refuses a request signed %i minutes off the server clock (403 RequestTimeTooSkewed)', async (minutes) => {
    const skewed = f.client({ secure, maxAttempts: 1, systemClockOffset: minutes * 60_000 });
    await expectS3Error(skewed.send(new ListObjectsV2Command({ Bucket: bucket })), {
      code: 'RequestTimeTooSkewed',
      status: 403,
      message: 'The difference between the request time and the current time is too large.',
    });
    const raw = await sendSigned(f, { secure, path: objectPath(bucket), signingDate: new Date(Date.now() + minutes * 60_000) });
    expectRawError(raw, { code: 'RequestTimeTooSkewed', status: 403 });
    expect(raw.error?.details['MaxAllowedSkewMilliseconds']).toBe('900000');
    await expectStoreServes(s3, bucket);
  });

  it('accepts a request signed 10 minutes off (inside the 15-minute window)', async () => {
    const skewed = f.client({ secure, maxAttempts: 1, systemClockOffset: 10 * 60_000 });
    expect((await skewed.send(new ListObjectsV2Command({ Bucket: bucket }))).$metadata.httpStatusCode).toBe(200);
  });

  it('refuses an unauthenticated request (403 AccessDenied)', async () => {
    const res = await sendRaw(f, secure, { method: 'GET', url: objectPath(bucket), headers: { host: 'localhost' } });
    expectRawError(res, { code: 'AccessDenied', status: 403, message: 'Access Denied' });
    await expectStoreServes(s3, bucket);
  });

  it('refuses a body that does not match the signed x-amz-content-sha256 (400 XAmzContentSHA256Mismatch), storing nothing', async () => {
    const claimed = createHash('sha256').update('another body').digest('hex');
    const res = await sendSigned(f, { secure, method: 'PUT', path: objectPath(bucket, 'sha-mismatch'), body: 'the body', headers: { 'x-amz-content-sha256': claimed } });
    expectRawError(res, { code: 'XAmzContentSHA256Mismatch', status: 400 });
    expect((await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'sha-mismatch' }))).KeyCount).toBe(0);
    await expectStoreServes(s3, bucket);
  });

  it('answers unsupported subresources with 501 NotImplemented (bucket tagging, lifecycle, acl); object tagging is served (tagging*.test.ts)', async () => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'tagged', Body: 'x' }));
    const notImplemented = { code: 'NotImplemented', status: 501, message: 'A header you provided implies functionality that is not implemented' };
    await expectS3Error(s3.send(new GetBucketTaggingCommand({ Bucket: bucket })), notImplemented);
    await expectS3Error(s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket })), notImplemented);
    expectRawError(await sendSigned(f, { secure, path: objectPath(bucket, 'tagged'), query: { acl: '' } }), notImplemented);
    expectRawError(await sendSigned(f, { secure, method: 'PUT', path: objectPath(bucket), query: { versioning: '' }, body: '<VersioningConfiguration/>' }), notImplemented);
    await expectStoreServes(s3, bucket);
  });

  it('answers a method an address does not support with 405 MethodNotAllowed', async () => {
    expectRawError(await sendSigned(f, { secure, method: 'POST', path: objectPath(bucket, 'k') }), { code: 'MethodNotAllowed', status: 405 });
    expectRawError(await sendSigned(f, { secure, method: 'PUT', path: '/' }), { code: 'MethodNotAllowed', status: 405 });
    await expectStoreServes(s3, bucket);
  });

  it('refuses a PUT or UploadPart sent chunked, without Content-Length, with 411 MissingContentLength', async () => {
    const chunked = async (path: string, query: Record<string, string> = {}) => {
      const listener = new URL(secure ? f.httpsUrl : f.httpUrl);
      const body = Buffer.from('a body of unknown length');
      const headers = { host: listener.host, 'transfer-encoding': 'chunked' };
      const signed = await chunkSigner.sign({ method: 'PUT', protocol: listener.protocol, hostname: listener.hostname, path, query, headers, body }, { signingDate: new Date() });
      const search = new URLSearchParams(query).toString();
      return sendRaw(f, secure, { method: 'PUT', url: search === '' ? path : `${path}?${search}`, headers: signed.headers as Record<string, string>, body });
    };
    expectRawError(await chunked(objectPath(bucket, 'no-length')), { code: 'MissingContentLength', status: 411 });
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'no-length-mpu' }));
    expectRawError(await chunked(objectPath(bucket, 'no-length-mpu'), { partNumber: '1', uploadId: UploadId! }), { code: 'MissingContentLength', status: 411 });
    await expectStoreServes(s3, bucket);
  });

  it('refuses malformed CompleteMultipartUpload bodies (400 MalformedXML), keeping the upload', async () => {
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'mpu-xml' }));
    const part = await s3.send(new UploadPartCommand({ Bucket: bucket, Key: 'mpu-xml', UploadId, PartNumber: 1, Body: 'p' }));
    const complete = (body: string) => sendSigned(f, { secure, method: 'POST', path: objectPath(bucket, 'mpu-xml'), query: { uploadId: UploadId! }, body });
    for (const body of [
      'not xml at all',
      '<CompleteMultipartUpload><Part><PartNumber>1</PartNumber>',
      '<CompleteMultipartUpload></CompleteMultipartUpload>',
      '<CompleteMultipartUpload><Part><ETag>x</ETag></Part></CompleteMultipartUpload>',
      '<CompleteMultipartUpload><Part><PartNumber>one</PartNumber><ETag>x</ETag></Part></CompleteMultipartUpload>',
      '<Wrong><Part><PartNumber>1</PartNumber><ETag>x</ETag></Part></Wrong>',
    ]) {
      expectRawError(await complete(body), MALFORMED);
    }
    const ok = await complete(`<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>${part.ETag}</ETag></Part></CompleteMultipartUpload>`);
    expect(ok.status).toBe(200);
    await expectStoreServes(s3, bucket);
  });

  it('refuses malformed DeleteObjects bodies (400 MalformedXML), deleting nothing', async () => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'survivor', Body: 'x' }));
    const tooMany = `<Delete>${'<Object><Key>k</Key></Object>'.repeat(1001)}</Delete>`;
    for (const body of ['<Delete><Object><Key>survivor</Key></Object>', '<Delete></Delete>', '<Delete><Object></Object></Delete>', '<Remove><Object><Key>survivor</Key></Object></Remove>', tooMany]) {
      const res = await sendSigned(f, { secure, method: 'POST', path: objectPath(bucket), query: { delete: '' }, body, headers: { 'content-md5': md5Base64(body) } });
      expectRawError(res, MALFORMED);
    }
    expect((await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'survivor' }))).KeyCount).toBe(1);
    await expectStoreServes(s3, bucket);
  });

  it('refuses a PutBucketEncryption body that is not XML (400 MalformedXML)', async () => {
    const body = '<ServerSideEncryptionConfiguration><Rule>';
    const res = await sendSigned(f, { secure, method: 'PUT', path: objectPath(bucket), query: { encryption: '' }, body, headers: { 'content-md5': md5Base64(body) } });
    expectRawError(res, MALFORMED);
    await expectStoreServes(s3, bucket);
  });
});
