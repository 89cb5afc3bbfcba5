// Wire contract: GetObjectAttributes of SSE-C objects over HTTPS: the right key answers, a wrong key is E19 and another algorithm E14 (S3-SSE.md 4.4, 6).
import { GetObjectAttributesCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checksumOf } from '../support/checksums.js';
import { MIB5, multipartEtag, uploadMultipart } from '../support/multipart.js';
import { createBucket, customerKey, expectRawError, expectS3Error, expectStoreServes, md5Base64, onceClient, patternBytes, sseC, sseCHeaders } from '../support/s3Expect.js';
import { objectPath, sendSigned, type RawResponse } from '../support/signedRequest.js';
import { startStoreFixture, type StoreFixture } from '../support/storeFixture.js';

const WRONG_KEY = 'Requests specifying Server Side Encryption with Customer provided keys must provide the correct secret key.';
const BAD_ALGORITHM = 'The Encryption request you specified is not valid. Supported value: AES256.';
const MD5_MISMATCH = 'The calculated MD5 hash of the key did not match the hash that was provided.';

let f: StoreFixture;
let s3: S3Client;
let bucket: string;
const key = customerKey();
const BODY = patternBytes(40_000, 17);
/** The ETag PutObject returned for 'secret', quotes included. */
let putEtag: string;

beforeAll(async () => {
  f = await startStoreFixture();
  s3 = onceClient(f, true);
  bucket = await createBucket(s3, 'sse-c-attrs');
  const put = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'secret', Body: BODY, ChecksumAlgorithm: 'SHA256', ...sseC(key) }));
  putEtag = put.ETag!;
});
afterAll(async () => {
  await f?.close();
});

/** GetObjectAttributes by hand, so the error document's ArgumentName/ArgumentValue can be read. */
function rawAttributes(headers: Record<string, string>): Promise<RawResponse> {
  return sendSigned(f, { secure: true, path: objectPath(bucket, 'secret'), query: { attributes: '' }, headers: { 'x-amz-object-attributes': 'ObjectSize', ...headers } });
}

describe('GetObjectAttributes of an SSE-C object over HTTPS', () => {
  it('answers with the right key: plaintext ObjectSize, the stored ETag unquoted, the plaintext checksum, no SSE fields', async () => {
    const attrs = await s3.send(
      new GetObjectAttributesCommand({ Bucket: bucket, Key: 'secret', ObjectAttributes: ['ObjectSize', 'ETag', 'Checksum', 'StorageClass'], ...sseC(key) }),
    );
    expect(attrs.ObjectSize).toBe(BODY.length);
    expect(attrs.ETag).toBe(putEtag.replace(/"/g, ''));
    expect(attrs.ETag).toMatch(/^[0-9a-f]{32}$/);
    expect(attrs.Checksum?.ChecksumSHA256).toBe(checksumOf('SHA256', BODY));
    expect(attrs.StorageClass).toBe('STANDARD');
    expect(JSON.stringify(attrs)).not.toMatch(/SSECustomer|ServerSideEncryption/);
  });

  it('refuses another well-formed key with 403 AccessDenied and the exact E19 message, revealing no attribute', async () => {
    const other = customerKey();
    await expectS3Error(s3.send(new GetObjectAttributesCommand({ Bucket: bucket, Key: 'secret', ObjectAttributes: ['ObjectSize', 'ETag'], ...sseC(other) })), {
      code: 'AccessDenied',
      status: 403,
      message: WRONG_KEY,
    });
    const raw = await rawAttributes({ 'x-amz-object-attributes': 'ObjectSize,ETag', ...sseCHeaders(other) });
    expectRawError(raw, { code: 'AccessDenied', status: 403, message: WRONG_KEY });
    expect(raw.body.toString()).not.toContain('<ObjectSize>');
    expect(raw.body.toString()).not.toContain(putEtag.replace(/"/g, ''));
  });

  it('refuses a wrong-length key whose MD5 matches with the same 403 (it is simply not the object key)', async () => {
    const short = key.raw.subarray(0, 24);
    const raw = await rawAttributes({ ...sseCHeaders(key), 'x-amz-server-side-encryption-customer-key': short.toString('base64'), 'x-amz-server-side-encryption-customer-key-md5': md5Base64(short) });
    expectRawError(raw, { code: 'AccessDenied', status: 403, message: WRONG_KEY });
  });

  it('refuses an algorithm other than AES256 with 400 InvalidEncryptionAlgorithmError (E14), even with the right key', async () => {
    for (const algorithm of ['AES128', 'aes256', 'aws:kms']) {
      await expectS3Error(
        s3.send(new GetObjectAttributesCommand({ Bucket: bucket, Key: 'secret', ObjectAttributes: ['ObjectSize'], ...sseC(key), SSECustomerAlgorithm: algorithm })),
        { code: 'InvalidEncryptionAlgorithmError', status: 400, message: BAD_ALGORITHM },
      );
      const raw = await rawAttributes({ ...sseCHeaders(key), 'x-amz-server-side-encryption-customer-algorithm': algorithm });
      expectRawError(raw, { code: 'InvalidEncryptionAlgorithmError', status: 400, message: BAD_ALGORITHM });
      expect(raw.error?.details).toMatchObject({ ArgumentName: 'x-amz-server-side-encryption', ArgumentValue: algorithm });
    }
  });

  it('answers for a multipart SSE-C object with its key only: parts with plaintext sizes, the -N ETag', async () => {
    const bodies = [patternBytes(MIB5, 5), patternBytes(777, 6)];
    const { parts } = await uploadMultipart(s3, bucket, 'parted', bodies, sseC(key), sseC(key));
    const attrs = await s3.send(new GetObjectAttributesCommand({ Bucket: bucket, Key: 'parted', ObjectAttributes: ['ObjectSize', 'ETag', 'ObjectParts'], ...sseC(key) }));
    expect(attrs.ObjectSize).toBe(MIB5 + 777);
    expect(attrs.ETag).toBe(multipartEtag(parts.map((p) => p.ETag!)).replace(/"/g, ''));
    expect(attrs.ObjectParts?.TotalPartsCount).toBe(2);
    expect(attrs.ObjectParts?.Parts?.map((p) => [p.PartNumber, p.Size])).toEqual([
      [1, MIB5],
      [2, 777],
    ]);
    await expectS3Error(s3.send(new GetObjectAttributesCommand({ Bucket: bucket, Key: 'parted', ObjectAttributes: ['ObjectParts'], ...sseC(customerKey()) })), {
      code: 'AccessDenied',
      status: 403,
      message: WRONG_KEY,
    });
    await expectS3Error(s3.send(new GetObjectAttributesCommand({ Bucket: bucket, Key: 'parted', ObjectAttributes: ['ObjectSize'], ...sseC(key), SSECustomerAlgorithm: 'AES128' })), {
      code: 'InvalidEncryptionAlgorithmError',
      status: 400,
      message: BAD_ALGORITHM,
    });
  });

  it('refuses a key whose MD5 does not match with 400 InvalidArgument (E16), and keeps serving', async () => {
    const raw = await rawAttributes({ ...sseCHeaders(key), 'x-amz-server-side-encryption-customer-key-md5': md5Base64('not the key') });
    expectRawError(raw, { code: 'InvalidArgument', status: 400, message: MD5_MISMATCH });
    // The refusals changed nothing: the right key still answers.
    const attrs = await s3.send(new GetObjectAttributesCommand({ Bucket: bucket, Key: 'secret', ObjectAttributes: ['ObjectSize'], ...sseC(key) }));
    expect(attrs.ObjectSize).toBe(BODY.length);
    await expectStoreServes(s3, bucket);
  });
});
