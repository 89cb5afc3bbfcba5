// Wire contract: every SSE-KMS error of S3-SSE.md 3.4 and E3-E8 through the SDK, and the encryption context bound to each object (E29).
import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutBucketEncryptionCommand,
  PutObjectCommand,
  UploadPartCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_AUDIT } from '../../main/core/audit/auditEvent.js';
import { openLocalKms, type KeyMetadata } from '../../main/core/keys/kms/index.js';
import { contextHeader, daysFromNow, keyArnIn, kmsErrors, kmsOf, storedKms, tamperStoredEncryption } from '../support/kmsSupport.js';
import { bodyOf, createBucket, expectRawError, expectS3Error, expectStoreServes, onceClient, type ExpectedError } from '../support/s3Expect.js';
import { objectPath, sendSigned } from '../support/signedRequest.js';
import { startStoreFixture, type StoreFixture } from '../support/storeFixture.js';

const UNKNOWN_UUID = '3f0c8a1e-5b2d-4c6e-9a7b-1d2e3f4a5b6c';

let f: StoreFixture;
let s3: S3Client;
let bucket: string;
beforeAll(async () => {
  f = await startStoreFixture();
  s3 = onceClient(f, false);
  bucket = await createBucket(s3, 'kms-errors');
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'source', Body: 'copy source' }));
});
afterAll(async () => {
  await f?.close();
});

const notStored = (key: string) => expectS3Error(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key })), { code: 'NotFound', status: 404 });

/** PutObject, CreateMultipartUpload and CopyObject naming this key id all fail alike, and store nothing. */
async function expectWritesRefused(keyId: string, expected: ExpectedError): Promise<void> {
  const kms = { ServerSideEncryption: 'aws:kms' as const, SSEKMSKeyId: keyId };
  await expectS3Error(s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'refused', Body: 'x', ...kms })), expected);
  await expectS3Error(s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'refused', ...kms })), expected);
  await expectS3Error(s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'refused', CopySource: `${bucket}/source`, ...kms })), expected);
  await notStored('refused');
}

async function putUnder(key: string, keyId: string, body = `body of ${key}`): Promise<void> {
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ServerSideEncryption: 'aws:kms', SSEKMSKeyId: keyId }));
}

async function readText(key: string): Promise<string> {
  return (await bodyOf(await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key })))).toString();
}

describe('keys that cannot be found (S3-SSE.md 3.4, E6)', () => {
  it("answers a key id that is no identifier at all with Invalid keyId '<id>'", async () => {
    await expectWritesRefused('fake-key-id', kmsErrors.invalidKeyId('fake-key-id'));
  });

  it('answers a malformed KMS ARN and an empty key id the same way: a client error, never a 500', async () => {
    const malformed = 'arn:aws:kms:us-east-1:123:key/x';
    await expectWritesRefused(malformed, kmsErrors.invalidKeyId(malformed));
    const headers = { 'x-amz-server-side-encryption': 'aws:kms', 'x-amz-server-side-encryption-aws-kms-key-id': '' };
    expectRawError(await sendSigned(f, { method: 'PUT', path: objectPath(bucket, 'refused'), body: 'x', headers }), kmsErrors.invalidKeyId(''));
    await notStored('refused');
  });

  it("answers an unknown UUID and an unknown key ARN with Key '<arn>' does not exist", async () => {
    await expectWritesRefused(UNKNOWN_UUID, kmsErrors.doesNotExist(keyArnIn(f, 'us-east-1', UNKNOWN_UUID)));
    const arn = keyArnIn(f, 'us-east-1', UNKNOWN_UUID.replace('3f0c', '4f0c'));
    await expectWritesRefused(arn, kmsErrors.doesNotExist(arn));
  });

  it('answers an ARN of another region with Invalid arn <region>, and a bare id of a key living only there as not existing here', async () => {
    await expectWritesRefused(keyArnIn(f, 'eu-west-1', UNKNOWN_UUID), kmsErrors.invalidArn('eu-west-1'));
    // A key made in eu-west-1 in the same kms.db, as `coffer kms --region eu-west-1` would.
    const west = openLocalKms(f.dataDir, { rootKey: f.store.services.options.rootKey, region: 'eu-west-1', audit: NO_AUDIT });
    let westKey: KeyMetadata;
    try {
      westKey = west.kms.createKey({ description: 'other region' });
    } finally {
      west.close();
    }
    expect(westKey.arn).toBe(keyArnIn(f, 'eu-west-1', westKey.keyId));
    await expectWritesRefused(westKey.arn, kmsErrors.invalidArn('eu-west-1'));
    await expectWritesRefused(westKey.keyId, kmsErrors.doesNotExist(keyArnIn(f, 'us-east-1', westKey.keyId)));
  });

  it('answers a bucket default naming `aws/s3` without its alias/ prefix with Invalid keyId aws/s3, while alias/aws/s3 is the managed key', async () => {
    const defaulted = await createBucket(s3, 'kms-default-bad');
    const rule = (KMSMasterKeyID: string) =>
      s3.send(new PutBucketEncryptionCommand({ Bucket: defaulted, ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID } }] } }));
    // PutBucketEncryption does not check the key; the write does.
    await rule('aws/s3');
    const invalid = { code: 'KMS.NotFoundException', status: 400, message: 'Invalid keyId aws/s3' };
    await expectS3Error(s3.send(new PutObjectCommand({ Bucket: defaulted, Key: 'k', Body: 'x' })), invalid);
    await expectS3Error(s3.send(new CreateMultipartUploadCommand({ Bucket: defaulted, Key: 'k' })), invalid);
    await rule('alias/aws/s3');
    const put = await s3.send(new PutObjectCommand({ Bucket: defaulted, Key: 'k', Body: 'x' }));
    expect(put.SSEKMSKeyId).toBe(kmsOf(f).describeKey({ keyId: 'alias/aws/s3' }).arn);
  });

  it('answers an alias that names no key with KMS.NotFoundException naming the alias ARN', async () => {
    await expectWritesRefused('alias/no-such-alias', { code: 'KMS.NotFoundException', status: 400, message: /^Alias arn:aws:kms:us-east-1:\d{12}:alias\/no-such-alias is not found\.$/ });
  });
});

describe('key states (E7, E8) and deleted keys (E9)', () => {
  it('refuses writes and reads under a disabled key with KMS.DisabledException naming its ARN, until it is enabled again', async () => {
    const key = kmsOf(f).createKey({ alias: 'alias/to-disable' });
    await putUnder('disabled-obj', key.keyId);
    kmsOf(f).disableKey({ keyId: key.keyId });
    await expectWritesRefused('alias/to-disable', kmsErrors.disabled(key.arn));
    await expectS3Error(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'disabled-obj' })), kmsErrors.disabled(key.arn));
    expectRawError(await sendSigned(f, { path: objectPath(bucket, 'disabled-obj'), query: { partNumber: '1' } }), kmsErrors.disabled(key.arn));
    kmsOf(f).enableKey({ keyId: key.keyId });
    expect(await readText('disabled-obj')).toBe('body of disabled-obj');
    await putUnder('disabled-obj-2', key.arn);
    expect(await readText('disabled-obj-2')).toBe('body of disabled-obj-2');
  });

  it('refuses an UploadPart while the upload\'s key is disabled; once enabled the upload completes', async () => {
    const key = kmsOf(f).createKey();
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'mpu-disabled', ServerSideEncryption: 'aws:kms', SSEKMSKeyId: key.keyId }));
    kmsOf(f).disableKey({ keyId: key.keyId });
    await expectS3Error(s3.send(new UploadPartCommand({ Bucket: bucket, Key: 'mpu-disabled', UploadId, PartNumber: 1, Body: 'part' })), kmsErrors.disabled(key.arn));
    kmsOf(f).enableKey({ keyId: key.keyId });
    const part = await s3.send(new UploadPartCommand({ Bucket: bucket, Key: 'mpu-disabled', UploadId, PartNumber: 1, Body: 'part' }));
    await s3.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: 'mpu-disabled', UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] } }));
    expect(await readText('mpu-disabled')).toBe('part');
  });

  it('refuses writes and reads under a key pending deletion with KMS.KMSInvalidStateException; cancelling leaves it disabled', async () => {
    const key = kmsOf(f).createKey({ alias: 'alias/to-cancel' });
    await putUnder('pending-obj', key.keyId);
    kmsOf(f).scheduleKeyDeletion({ keyId: key.keyId, pendingWindowInDays: 7 });
    await expectWritesRefused(key.keyId, kmsErrors.pendingDeletion(key.arn));
    await expectWritesRefused('alias/to-cancel', kmsErrors.pendingDeletion(key.arn));
    await expectS3Error(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'pending-obj' })), kmsErrors.pendingDeletion(key.arn));
    kmsOf(f).cancelKeyDeletion({ keyId: key.keyId });
    await expectS3Error(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'pending-obj' })), kmsErrors.disabled(key.arn));
    kmsOf(f).enableKey({ keyId: key.keyId });
    expect(await readText('pending-obj')).toBe('body of pending-obj');
  });

  it('answers a read of an object whose key was deleted after its window with 403 AccessDenied; the key and its alias are gone for writes', async () => {
    const key = kmsOf(f).createKey({ alias: 'alias/to-delete' });
    await putUnder('orphan', 'alias/to-delete');
    kmsOf(f).scheduleKeyDeletion({ keyId: key.keyId, pendingWindowInDays: 7 });
    // Not yet: six days in, the key is still pending.
    expect(kmsOf(f).runDueWork(daysFromNow(6)).deleted).not.toContain(key.arn);
    expect(kmsOf(f).runDueWork(daysFromNow(8)).deleted).toContain(key.arn);
    await expectS3Error(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'orphan' })), kmsErrors.keyGone);
    // HEAD reads only metadata and needs no KMS Decrypt (S3-SSE.md R5.5); with checksum mode it does.
    const head = await sendSigned(f, { method: 'HEAD', path: objectPath(bucket, 'orphan') });
    expect({ status: head.status, body: head.body.length }).toEqual({ status: 200, body: 0 });
    const headWithChecksum = await sendSigned(f, { method: 'HEAD', path: objectPath(bucket, 'orphan'), headers: { 'x-amz-checksum-mode': 'ENABLED' } });
    expect({ status: headWithChecksum.status, body: headWithChecksum.body.length }).toEqual({ status: 403, body: 0 });
    await expectWritesRefused(key.keyId, kmsErrors.doesNotExist(key.arn));
    await expectWritesRefused('alias/to-delete', { code: 'KMS.NotFoundException', status: 400, message: /alias\/to-delete is not found\.$/ });
    await expectStoreServes(s3, bucket);
  });
});

describe('KMS-only headers and the encryption context (E3, E4, E29)', () => {
  it('refuses a key id, a context or a bucket key without aws:kms, or with AES256, on Put, CreateMultipartUpload and Copy (E3)', async () => {
    const context = contextHeader({ a: 'b' });
    const misplaced = [
      { SSEKMSKeyId: 'alias/x' },
      { SSEKMSEncryptionContext: context },
      { BucketKeyEnabled: true },
      { ServerSideEncryption: 'AES256' as const, SSEKMSKeyId: 'alias/x' },
      { ServerSideEncryption: 'AES256' as const, SSEKMSEncryptionContext: context },
      { ServerSideEncryption: 'AES256' as const, BucketKeyEnabled: false },
    ];
    for (const extra of misplaced) {
      await expectS3Error(s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'e3', Body: 'x', ...extra })), kmsErrors.kmsOnly);
      await expectS3Error(s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'e3', ...extra })), kmsErrors.kmsOnly);
      await expectS3Error(s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'e3', CopySource: `${bucket}/source`, ...extra })), kmsErrors.kmsOnly);
    }
    await notStored('e3');
  });

  it('refuses a context that is not base64 of a JSON object of strings (E4)', async () => {
    const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
    const valid = b64('{"a":"b"}');
    const notUtf8 = Buffer.concat([Buffer.from('{"a":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]).toString('base64');
    const bad = [b64('not json'), b64('["a","b"]'), b64('{"n":1}'), b64('{"o":{"x":"y"}}'), b64('null'), b64('"text"'), '%%%', '', `%%${valid}`, `${valid}!`, notUtf8];
    for (const value of bad) {
      const headers = { 'x-amz-server-side-encryption': 'aws:kms', 'x-amz-server-side-encryption-context': value };
      expectRawError(await sendSigned(f, { method: 'PUT', path: objectPath(bucket, 'e4'), body: 'x', headers }), kmsErrors.badContext);
      expectRawError(await sendSigned(f, { method: 'POST', path: objectPath(bucket, 'e4'), query: { uploads: '' }, headers }), kmsErrors.badContext);
      const copy = { ...headers, 'x-amz-copy-source': `/${bucket}/source` };
      expectRawError(await sendSigned(f, { method: 'PUT', path: objectPath(bucket, 'e4'), headers: copy }), kmsErrors.badContext);
    }
    await notStored('e4');
  });

  it('replays the stored context on every read; an altered context, bucket-key flag or data key in store.db answers 500, never other bytes (E29)', async () => {
    const key = kmsOf(f).createKey();
    const context = contextHeader({ department: 'finance', 'classification': 'internal' });
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'bound', Body: 'bound to its context', ServerSideEncryption: 'aws:kms', SSEKMSKeyId: key.keyId, SSEKMSEncryptionContext: context }));
    expect(await readText('bound')).toBe('bound to its context');
    expect(await readText('bound')).toBe('bound to its context');
    const original = storedKms(f, bucket, 'bound');
    expect(original.context).toBe(context);
    const alterations = [
      { ...original, context: contextHeader({ department: 'sales', classification: 'internal' }) },
      { ...original, context: contextHeader({ department: 'finance' }) },
      { ...original, context: null },
      { ...original, bucketKey: true },
      { ...original, dataKey: flipLastByte(original.dataKey) },
    ];
    for (const altered of alterations) {
      tamperStoredEncryption(f, bucket, 'bound', () => altered);
      const get = await sendSigned(f, { path: objectPath(bucket, 'bound') });
      expectRawError(get, kmsErrors.tampered);
      expect(get.body.toString()).not.toContain('bound to its context');
      const checksumHead = { method: 'HEAD', path: objectPath(bucket, 'bound'), headers: { 'x-amz-checksum-mode': 'ENABLED' } } as const;
      expect((await sendSigned(f, checksumHead)).status).toBe(500);
    }
    tamperStoredEncryption(f, bucket, 'bound', () => original);
    expect(await readText('bound')).toBe('bound to its context');
  });

  it("answers 500 for another object's sealed key moved onto this one, even when KMS would open its data key (bucket key, same context)", async () => {
    const context = contextHeader({ shared: 'yes' });
    const put = (key: string) =>
      s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: `only ${key}`, ServerSideEncryption: 'aws:kms', BucketKeyEnabled: true, SSEKMSEncryptionContext: context }));
    await put('swap-a');
    await put('swap-b');
    const a = storedKms(f, bucket, 'swap-a');
    // Both data keys are bound to the bucket ARN and the same pairs, so KMS opens either; the object key's seal names its object.
    tamperStoredEncryption(f, bucket, 'swap-b', () => a);
    const get = await sendSigned(f, { path: objectPath(bucket, 'swap-b') });
    expectRawError(get, kmsErrors.tampered);
    expect(get.body.toString()).not.toContain('only swap-');
    expect(await readText('swap-a')).toBe('only swap-a');
  });
});

function flipLastByte(base64: string): string {
  const bytes = Buffer.from(base64, 'base64');
  bytes[bytes.length - 1]! ^= 0x01;
  return bytes.toString('base64');
}
