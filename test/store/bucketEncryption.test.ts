// Wire contract: Put/Get/DeleteBucketEncryption, the default rule applied to writes, and the error rows E25-E27 of S3-SSE.md.
import {
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  DeleteBucketEncryptionCommand,
  GetBucketEncryptionCommand,
  GetObjectCommand,
  PutBucketEncryptionCommand,
  PutObjectCommand,
  type S3Client,
  type ServerSideEncryptionRule,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bodyOf, bucketName, createBucket, customerKey, expectRawError, expectS3Error, expectStoreServes, md5Base64, md5Hex, onceClient, sseC, TRANSPORTS } from '../support/s3Expect.js';
import { objectPath, sendSigned } from '../support/signedRequest.js';
import { startStoreFixture, type StoreFixture } from '../support/storeFixture.js';

let f: StoreFixture;
beforeAll(async () => {
  f = await startStoreFixture();
});
afterAll(async () => {
  await f?.close();
});

// Since the 2025-2026 change every rule also reports BlockedEncryptionTypes (NONE when SSE-C is allowed).
const UNBLOCKED = { EncryptionType: ['NONE'] };
const BASE_RULE = { ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' }, BucketKeyEnabled: false, BlockedEncryptionTypes: UNBLOCKED };
const MALFORMED = { code: 'MalformedXML', status: 400, message: 'The XML you provided was not well-formed or did not validate against our published schema' };
const DSSE = { code: 'NotImplemented', status: 501, message: 'Dual-layer server-side encryption (aws:kms:dsse) is not implemented by this store' };
const KMS_KEY_UUID = '1234abcd-12ab-34cd-56ef-1234567890ab';

describe.each(TRANSPORTS)('bucket encryption over $name', ({ secure }) => {
  let s3: S3Client;
  beforeAll(() => {
    s3 = onceClient(f, secure);
  });
  const rules = async (bucket: string) => (await s3.send(new GetBucketEncryptionCommand({ Bucket: bucket }))).ServerSideEncryptionConfiguration?.Rules;
  const put = (bucket: string, Rules: ServerSideEncryptionRule[]) =>
    s3.send(new PutBucketEncryptionCommand({ Bucket: bucket, ServerSideEncryptionConfiguration: { Rules } }));

  it('answers a never-configured bucket with the SSE-S3 base rule, not ServerSideEncryptionConfigurationNotFoundError (E27)', async () => {
    const bucket = await createBucket(s3, 'enc-default');
    expect(await rules(bucket)).toEqual([BASE_RULE]);
  });

  it('stores an AES256 rule, applies it to writes, and resets to the base rule on delete (204, idempotent)', async () => {
    const bucket = await createBucket(s3, 'enc-aes');
    const out = await put(bucket, [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' }, BucketKeyEnabled: true }]);
    expect(out.$metadata.httpStatusCode).toBe(200);
    expect(await rules(bucket)).toEqual([{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' }, BucketKeyEnabled: true, BlockedEncryptionTypes: UNBLOCKED }]);
    const written = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'default applied' }));
    expect(written.ServerSideEncryption).toBe('AES256');
    expect(written.ETag).toBe(`"${md5Hex('default applied')}"`);
    for (let i = 0; i < 2; i++) {
      expect((await s3.send(new DeleteBucketEncryptionCommand({ Bucket: bucket }))).$metadata.httpStatusCode).toBe(204);
      expect(await rules(bucket)).toEqual([BASE_RULE]);
    }
    expect((await bodyOf(await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'k' })))).toString()).toBe('default applied');
  });

  it('stores an aws:kms rule as given (bare key id echoed, not validated); default writes then resolve that key, explicit headers still win', async () => {
    const bucket = await createBucket(s3, 'enc-kms');
    // toMatchObject: the rule's BlockedEncryptionTypes (S3-SSE.md 7.4) is another test's concern.
    await put(bucket, [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: KMS_KEY_UUID }, BucketKeyEnabled: true }]);
    expect(await rules(bucket)).toMatchObject([{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: KMS_KEY_UUID }, BucketKeyEnabled: true }]);
    // No such key here: the refusal names the ARN the bare id means in the bucket's region (S3-SSE.md 3.4).
    const missing = { code: 'KMS.NotFoundException', status: 400, message: `Key 'arn:aws:kms:us-east-1:${f.store.services.kms.accountId}:key/${KMS_KEY_UUID}' does not exist` };
    await expectS3Error(s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'x' })), missing);
    await expectS3Error(s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'k' })), missing);
    const explicit = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'explicit', Body: 'x', ServerSideEncryption: 'AES256' }));
    expect(explicit.ServerSideEncryption).toBe('AES256');
    if (secure) {
      const key = customerKey();
      const customer = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'customer', Body: 'x', ...sseC(key) }));
      expect(customer.SSECustomerKeyMD5).toBe(key.md5);
    }
    const cmk = f.store.services.kms.createKey({ description: 'bucket default' });
    await put(bucket, [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: cmk.keyId } }]);
    expect(await rules(bucket)).toMatchObject([{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: cmk.keyId }, BucketKeyEnabled: false }]);
    const written = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'kms default' }));
    expect({ sse: written.ServerSideEncryption, key: written.SSEKMSKeyId }).toEqual({ sse: 'aws:kms', key: cmk.arn });
    expect((await bodyOf(await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'k' })))).toString()).toBe('kms default');
    await put(bucket, [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms:dsse' } }]);
    expect(await rules(bucket)).toMatchObject([{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms:dsse' }, BucketKeyEnabled: false }]);
    await expectS3Error(s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'x' })), DSSE);
    await s3.send(new DeleteBucketEncryptionCommand({ Bucket: bucket }));
    expect((await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'x' }))).ServerSideEncryption).toBe('AES256');
  });

  it('makes a self-copy without changes legal once a default rule is configured', async () => {
    const bucket = await createBucket(s3, 'enc-selfcopy');
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'self', Body: 'x' }));
    await expectS3Error(s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'self', CopySource: `${bucket}/self` })), { code: 'InvalidRequest', status: 400 });
    await put(bucket, [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }]);
    const copy = await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'self', CopySource: `${bucket}/self` }));
    expect(copy.ServerSideEncryption).toBe('AES256');
  });

  it('refuses zero rules and two rules (E25), keeping the previous configuration', async () => {
    const bucket = await createBucket(s3, 'enc-rules');
    await expectS3Error(put(bucket, []), MALFORMED);
    const aes = { ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' as const } };
    await expectS3Error(put(bucket, [aes, aes]), MALFORMED);
    expect(await rules(bucket)).toEqual([BASE_RULE]);
  });

  it('refuses a KMS key id with AES256 (E26) and an unknown algorithm (MalformedXML)', async () => {
    const bucket = await createBucket(s3, 'enc-e26');
    await expectS3Error(put(bucket, [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256', KMSMasterKeyID: KMS_KEY_UUID } }]), {
      code: 'InvalidArgument',
      status: 400,
      message: 'a KMSMasterKeyID is not applicable if the default sse algorithm is not aws:kms or aws:kms:dsse',
    });
    await expectS3Error(put(bucket, [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES128' as 'AES256' } }]), MALFORMED);
    expect(await rules(bucket)).toEqual([BASE_RULE]);
  });

  it('answers 404 NoSuchBucket for Get, Put and Delete on a missing bucket, before looking at the body', async () => {
    const missing = bucketName('enc-missing');
    const expected = { code: 'NoSuchBucket', status: 404, message: 'The specified bucket does not exist' };
    await expectS3Error(s3.send(new GetBucketEncryptionCommand({ Bucket: missing })), expected);
    await expectS3Error(s3.send(new DeleteBucketEncryptionCommand({ Bucket: missing })), expected);
    await expectS3Error(put(missing, []), expected);
  });
});

describe('PutBucketEncryption bodies sent raw', () => {
  const rule = (inner: string) => `<ServerSideEncryptionConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${inner}</ServerSideEncryptionConfiguration>`;
  const AES_RULE = rule('<Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256</SSEAlgorithm></ApplyServerSideEncryptionByDefault></Rule>');
  let bucket: string;
  beforeAll(async () => {
    bucket = await createBucket(onceClient(f, false), 'enc-raw');
  });
  const send = (body: string, headers: Record<string, string> = {}) =>
    sendSigned(f, { method: 'PUT', path: objectPath(bucket), query: { encryption: '' }, body, headers: { 'content-md5': md5Base64(body), ...headers } });

  it.each([
    ['not XML', 'this is not xml'],
    ['truncated', '<ServerSideEncryptionConfiguration><Rule>'],
    ['empty body', ''],
    ['wrong root element', '<EncryptionConfiguration><Rule/></EncryptionConfiguration>'],
    ['a rule without an algorithm', rule('<Rule><ApplyServerSideEncryptionByDefault></ApplyServerSideEncryptionByDefault></Rule>')],
    ['BucketKeyEnabled that is no boolean', rule('<Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256</SSEAlgorithm></ApplyServerSideEncryptionByDefault><BucketKeyEnabled>maybe</BucketKeyEnabled></Rule>')],
  ])('refuses a malformed body (%s) with 400 MalformedXML', async (_, body) => {
    expectRawError(await send(body), MALFORMED);
    await expectStoreServes(onceClient(f, false), bucket);
  });

  it('names ApplyServerSideEncryptionByDefault in the E26 error', async () => {
    const res = await send(rule(`<Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256</SSEAlgorithm><KMSMasterKeyID>${KMS_KEY_UUID}</KMSMasterKeyID></ApplyServerSideEncryptionByDefault></Rule>`));
    expectRawError(res, { code: 'InvalidArgument', status: 400 });
    expect(res.error?.details['ArgumentName']).toBe('ApplyServerSideEncryptionByDefault');
  });

  it('checks the body against Content-MD5 and x-amz-checksum-* (400 BadDigest)', async () => {
    expectRawError(await send(AES_RULE, { 'content-md5': md5Base64('something else') }), { code: 'BadDigest', status: 400 });
    expectRawError(await send(AES_RULE, { 'x-amz-checksum-crc32': 'AAAAAA==' }), { code: 'BadDigest', status: 400 });
    expect((await send(AES_RULE)).status).toBe(200);
  });
});
