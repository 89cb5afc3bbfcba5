// Wire contract: S3-SSE.md R5.4 order on object writes (bucket existence before any SSE check) and E10 not lifted by proxy headers a client can forge.
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bucketName, createBucket, customerKey, expectRawError, expectS3Error, expectStoreServes, md5Base64, onceClient, sseC, sseCHeaders, TRANSPORTS } from '../support/s3Expect.js';
import { objectPath, sendSigned, type Query, type RawResponse } from '../support/signedRequest.js';
import { startStoreFixture, type StoreFixture } from '../support/storeFixture.js';

const NO_SUCH_BUCKET = { code: 'NoSuchBucket', status: 404, message: 'The specified bucket does not exist' };
const E10 = { code: 'InvalidRequest', status: 400, message: 'Requests specifying Server Side Encryption with Customer provided keys must be made over a secure connection.' };

let f: StoreFixture;
let s3: S3Client;
/** A bucket that exists, to show each header set is refused for itself when the bucket is there. */
let existing: string;
/** A bucket name nobody created. */
const missing = bucketName('never-created');
const key = customerKey();
const short = key.raw.subarray(0, 16);

beforeAll(async () => {
  f = await startStoreFixture();
  s3 = onceClient(f, true);
  existing = await createBucket(s3, 'check-order');
  await s3.send(new PutObjectCommand({ Bucket: existing, Key: 'source', Body: 'copy me' }));
  await s3.send(new PutObjectCommand({ Bucket: existing, Key: 'secret', Body: 'customer data', ...sseC(key) }));
});
afterAll(async () => {
  await f?.close();
});

const C = 'x-amz-server-side-encryption-customer';
/** SSE-S3/KMS header sets S3 refuses on a write (rows E1, E3, E4, E6), each with the code it gets when the bucket exists. */
const BAD_SSE: [string, Record<string, string>, string][] = [
  ['an unknown SSE value (E1)', { 'x-amz-server-side-encryption': 'AES128' }, 'InvalidArgument'],
  ['a KMS key id without aws:kms (E3)', { 'x-amz-server-side-encryption-aws-kms-key-id': 'alias/anything' }, 'InvalidArgument'],
  ['AES256 with a KMS key id (E3)', { 'x-amz-server-side-encryption': 'AES256', 'x-amz-server-side-encryption-aws-kms-key-id': 'alias/anything' }, 'InvalidArgument'],
  ['a context that is not base64 JSON (E4)', { 'x-amz-server-side-encryption': 'aws:kms', 'x-amz-server-side-encryption-context': '%%%' }, 'InvalidArgument'],
  ['a KMS key that does not exist (E6)', { 'x-amz-server-side-encryption': 'aws:kms', 'x-amz-server-side-encryption-aws-kms-key-id': 'fake-key-id' }, 'KMS.NotFoundException'],
];
/** SSE-C trios S3 refuses on a write (rows E11-E17), each with the code it gets when the bucket exists (over HTTPS). */
const BAD_SSE_C: [string, Record<string, string>, string][] = [
  ['SSE-C with the SSE header (E11)', { ...sseCHeaders(key), 'x-amz-server-side-encryption': 'AES256' }, 'InvalidArgument'],
  ['a key without the algorithm (E12)', { [`${C}-key`]: key.base64, [`${C}-key-md5`]: key.md5 }, 'InvalidArgument'],
  ['the algorithm without a key (E13)', { [`${C}-algorithm`]: 'AES256' }, 'InvalidArgument'],
  ['an algorithm other than AES256 (E14)', { ...sseCHeaders(key), [`${C}-algorithm`]: 'AES128' }, 'InvalidEncryptionAlgorithmError'],
  ['a key MD5 that does not match (E16)', { ...sseCHeaders(key), [`${C}-key-md5`]: md5Base64('other') }, 'InvalidArgument'],
  ['a 16-byte key (E17)', { ...sseCHeaders(key), [`${C}-key`]: short.toString('base64'), [`${C}-key-md5`]: md5Base64(short) }, 'InvalidArgument'],
];

interface Write {
  name: string;
  method: 'PUT' | 'POST';
  query?: Query;
  /** Copies an existing object (x-amz-copy-source) instead of sending a body. */
  copy?: boolean;
  body?: string;
}
/** The three object writes that take SSE headers: PutObject, CreateMultipartUpload and CopyObject (the destination's headers). */
const WRITES: Write[] = [
  { name: 'PutObject', method: 'PUT', body: 'body' },
  { name: 'CreateMultipartUpload', method: 'POST', query: { uploads: '' } },
  { name: 'CopyObject', method: 'PUT', copy: true },
];

function send(write: Write, bucket: string, headers: Record<string, string>, secure: boolean): Promise<RawResponse> {
  const copy: Record<string, string> = write.copy ? { 'x-amz-copy-source': `/${existing}/source` } : {};
  return sendSigned(f, { secure, method: write.method, path: objectPath(bucket, 'target'), query: write.query, body: write.body, headers: { ...copy, ...headers } });
}

describe('a write to a missing bucket is 404 NoSuchBucket before its SSE headers are looked at (R5.4)', () => {
  describe.each(WRITES)('$name', (write) => {
    it.each(BAD_SSE)('with %s, over HTTP and HTTPS', async (_, headers, codeWhenBucketExists) => {
      expect((await send(write, existing, headers, false)).error?.code).toBe(codeWhenBucketExists);
      for (const { secure } of TRANSPORTS) {
        const res = await send(write, missing, headers, secure);
        expectRawError(res, NO_SUCH_BUCKET);
        expect(res.error?.details['BucketName']).toBe(missing);
      }
    });

    it.each(BAD_SSE_C)('with %s, over HTTPS', async (_, headers, codeWhenBucketExists) => {
      expect((await send(write, existing, headers, true)).error?.code).toBe(codeWhenBucketExists);
      expectRawError(await send(write, missing, headers, true), NO_SUCH_BUCKET);
    });

    it('with a valid SSE-C trio over plain HTTP: the missing bucket comes before the transport check (E10)', async () => {
      expectRawError(await send(write, existing, sseCHeaders(key), false), E10);
      expectRawError(await send(write, missing, sseCHeaders(key), false), NO_SUCH_BUCKET);
    });
  });

  it('leaves the bucket missing and the store serving', async () => {
    await expectS3Error(s3.send(new ListObjectsV2Command({ Bucket: missing })), NO_SUCH_BUCKET);
    expect((await s3.send(new ListObjectsV2Command({ Bucket: existing }))).Contents?.map((o) => o.Key).sort()).toEqual(['secret', 'source']);
    await expectStoreServes(s3, existing);
  });
});

/** Headers a reverse proxy adds to say the client spoke TLS to it; a direct client can send them too. */
const PROXY_CLAIMS: [string, Record<string, string>][] = [
  ['X-Forwarded-Proto: https', { 'x-forwarded-proto': 'https' }],
  ['Forwarded: proto=https', { forwarded: 'for=127.0.0.1;proto=https' }],
  ['X-Forwarded-Ssl: on', { 'x-forwarded-ssl': 'on' }],
  ['X-Forwarded-Scheme: https', { 'x-forwarded-scheme': 'https' }],
  ['Front-End-Https: on', { 'front-end-https': 'on' }],
];

describe('a plain-HTTP SSE-C request claiming HTTPS through proxy headers is still E10 (S3-SSE.md 4.2)', () => {
  it.each(PROXY_CLAIMS)('%s on a PUT: 400 InvalidRequest, nothing stored', async (name, claim) => {
    const objectKey = `forwarded-${name.split(':')[0]!.toLowerCase()}`;
    const res = await sendSigned(f, { method: 'PUT', path: objectPath(existing, objectKey), body: 'must not be stored', headers: { ...claim, ...sseCHeaders(key) } });
    expectRawError(res, E10);
    await expectS3Error(s3.send(new HeadObjectCommand({ Bucket: existing, Key: objectKey, ...sseC(key) })), { code: 'NotFound', status: 404 });
    expect((await s3.send(new ListObjectsV2Command({ Bucket: existing, Prefix: objectKey }))).KeyCount).toBe(0);
  });

  it.each(PROXY_CLAIMS)('%s on a GET of an SSE-C object: 400 InvalidRequest, no object bytes', async (_, claim) => {
    const res = await sendSigned(f, { path: objectPath(existing, 'secret'), headers: { ...claim, ...sseCHeaders(key) } });
    expectRawError(res, E10);
    expect(res.body.toString()).not.toContain('customer data');
  });

  it('the same object still reads over the real TLS listener', async () => {
    const got = await s3.send(new GetObjectCommand({ Bucket: existing, Key: 'secret', ...sseC(key) }));
    expect(await got.Body!.transformToString()).toBe('customer data');
  });
});
