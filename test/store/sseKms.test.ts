// Wire contract: SSE-KMS (aws:kms) with the embedded KMS: the aws/s3 key, key id forms, encryption context, bucket keys, bucket defaults, ETags, listings (S3-SSE.md 1.2, 3.1, 3.3, 6, 7.3, 9).
import {
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsCommand,
  ListObjectsV2Command,
  PutBucketEncryptionCommand,
  PutObjectCommand,
  UploadPartCommand,
  type S3Client,
  type ServerSideEncryptionRule,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KeyMetadata } from '../../main/core/keys/kms/index.js';
import { contextHeader, contextOf, kmsEventsOf as kmsEventsFor, kmsOf, storedKms } from '../support/kmsSupport.js';
import { bodyOf, createBucket, md5Hex, onceClient, TRANSPORTS } from '../support/s3Expect.js';
import { fetchPresigned, objectPath, presignUrl, sendSigned } from '../support/signedRequest.js';
import { startStoreFixture, type StoreFixture } from '../support/storeFixture.js';

const KMS_ID_HEADER = 'x-amz-server-side-encryption-aws-kms-key-id';
const CTX_HEADER = 'x-amz-server-side-encryption-context';
const BK_HEADER = 'x-amz-server-side-encryption-bucket-key-enabled';
const ARN_PATTERN = /^arn:aws:kms:us-east-1:\d{12}:key\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let f: StoreFixture;
let cmk: KeyMetadata;
beforeAll(async () => {
  f = await startStoreFixture();
  cmk = kmsOf(f).createKey({ description: 'sse-kms wire tests', alias: 'alias/sse-kms-wire' });
});
afterAll(async () => {
  await f?.close();
});

/** The KMS events the store made while serving one S3 request, in brief. */
async function kmsEventsOf(requestId: string | undefined): Promise<{ operation: string; keyId?: string; context: unknown }[]> {
  return (await kmsEventsFor(f, requestId)).map((e) => ({ operation: e.operation, keyId: e.keyId, context: contextOf(e) }));
}

describe('the aws/s3 managed key', () => {
  it('is created on first use of aws:kms without a key id, and every response names its ARN (S3-SSE.md 3.1)', async () => {
    const s3 = onceClient(f, false);
    const bucket = await createBucket(s3, 'kms-managed');
    expect(kmsOf(f).listAliases().find((a) => a.aliasName === 'alias/aws/s3')?.targetKeyId).toBeUndefined();
    const put = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'first', Body: 'managed key', ServerSideEncryption: 'aws:kms' }));
    const managed = kmsOf(f).describeKey({ keyId: 'alias/aws/s3' });
    expect(managed).toMatchObject({ keyManager: 'AWS', keyState: 'Enabled', description: 'Default key that protects my S3 objects when no other key is defined' });
    expect(managed.arn).toMatch(ARN_PATTERN);
    expect({ sse: put.ServerSideEncryption, key: put.SSEKMSKeyId, bk: put.BucketKeyEnabled }).toEqual({ sse: 'aws:kms', key: managed.arn, bk: undefined });
    const get = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'first' }));
    expect({ sse: get.ServerSideEncryption, key: get.SSEKMSKeyId, body: (await bodyOf(get)).toString() }).toEqual({ sse: 'aws:kms', key: managed.arn, body: 'managed key' });
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'first' }));
    expect({ sse: head.ServerSideEncryption, key: head.SSEKMSKeyId, length: head.ContentLength }).toEqual({ sse: 'aws:kms', key: managed.arn, length: 11 });
    // Used again, not created again.
    const again = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'second', Body: 'x', ServerSideEncryption: 'aws:kms' }));
    expect(again.SSEKMSKeyId).toBe(managed.arn);
    const awsManaged = kmsOf(f).listKeys().filter((k) => kmsOf(f).describeKey({ keyId: k.keyId }).keyManager === 'AWS');
    expect(awsManaged.map((k) => k.keyArn)).toEqual([managed.arn]);
    expect(kmsOf(f).listAliases().find((a) => a.aliasName === 'alias/aws/s3')?.targetKeyId).toBe(managed.keyId);
  });
});

describe.each(TRANSPORTS)('SSE-KMS over $name', ({ secure }) => {
  let s3: S3Client;
  let bucket: string;
  beforeAll(async () => {
    s3 = onceClient(f, secure);
    bucket = await createBucket(s3, 'sse-kms');
  });

  it('answers the full key ARN for a key id, key ARN, alias name and alias ARN, on Put, Get, Head and Copy (R1.3)', async () => {
    const aliasArn = `arn:aws:kms:us-east-1:${cmk.accountId}:alias/sse-kms-wire`;
    for (const [i, keyId] of [cmk.keyId, cmk.arn, 'alias/sse-kms-wire', aliasArn].entries()) {
      const key = `form-${i}`;
      const put = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: `form ${keyId}`, ServerSideEncryption: 'aws:kms', SSEKMSKeyId: keyId }));
      expect({ sse: put.ServerSideEncryption, key: put.SSEKMSKeyId }, keyId).toEqual({ sse: 'aws:kms', key: cmk.arn });
      const get = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      expect({ sse: get.ServerSideEncryption, key: get.SSEKMSKeyId, body: (await bodyOf(get)).toString() }).toEqual({ sse: 'aws:kms', key: cmk.arn, body: `form ${keyId}` });
      expect((await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }))).SSEKMSKeyId).toBe(cmk.arn);
      const copy = await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: `${key}-copy`, CopySource: `${bucket}/${key}`, ServerSideEncryption: 'aws:kms', SSEKMSKeyId: keyId }));
      expect({ sse: copy.ServerSideEncryption, key: copy.SSEKMSKeyId }).toEqual({ sse: 'aws:kms', key: cmk.arn });
      expect(storedKms(f, bucket, key)).toMatchObject({ keyArn: cmk.arn, keyMaterialId: cmk.currentKeyMaterialId, context: null, bucketKey: false });
    }
  });

  it('echoes the encryption context on Put, Copy and CreateMultipartUpload, never on Get or Head; KMS sees it with aws:s3:arn added (3.1)', async () => {
    const context = contextHeader({ project: 'coffer', team: 'storage' });
    const put = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'ctx', Body: 'with context', ServerSideEncryption: 'aws:kms', SSEKMSKeyId: cmk.keyId, SSEKMSEncryptionContext: context }));
    expect(put.SSEKMSEncryptionContext).toBe(context);
    expect(await kmsEventsOf(put.$metadata.requestId)).toEqual([
      { operation: 'GenerateDataKey', keyId: cmk.arn, context: { project: 'coffer', team: 'storage', 'aws:s3:arn': `arn:aws:s3:::${bucket}/ctx` } },
    ]);
    for (const method of ['GET', 'HEAD']) {
      const read = await sendSigned(f, { secure, method, path: objectPath(bucket, 'ctx') });
      expect(read.status, method).toBe(200);
      expect(read.headers[CTX_HEADER], method).toBeUndefined();
      expect({ sse: read.headers['x-amz-server-side-encryption'], key: read.headers[KMS_ID_HEADER] }).toEqual({ sse: 'aws:kms', key: cmk.arn });
      if (method !== 'GET') continue;
      expect(read.body.toString()).toBe('with context');
      // The stored context is replayed to KMS on every read.
      expect(await kmsEventsOf(read.headers['x-amz-request-id'] as string)).toEqual([
        { operation: 'Decrypt', keyId: cmk.arn, context: { project: 'coffer', team: 'storage', 'aws:s3:arn': `arn:aws:s3:::${bucket}/ctx` } },
      ]);
    }
    // A copy takes only the context its own request gives (the source's is not inherited).
    const other = contextHeader({ stage: 'copied' });
    const copy = await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'ctx-copy', CopySource: `${bucket}/ctx`, ServerSideEncryption: 'aws:kms', SSEKMSEncryptionContext: other }));
    expect(copy.SSEKMSEncryptionContext).toBe(other);
    expect(storedKms(f, bucket, 'ctx-copy').context).toBe(other);
    const bare = await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'ctx-bare', CopySource: `${bucket}/ctx`, ServerSideEncryption: 'aws:kms', SSEKMSKeyId: cmk.keyId }));
    expect(bare.SSEKMSEncryptionContext).toBeUndefined();
    expect(storedKms(f, bucket, 'ctx-bare').context).toBeNull();
    expect((await bodyOf(await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'ctx-bare' })))).toString()).toBe('with context');
    const create = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'ctx-mpu', ServerSideEncryption: 'aws:kms', SSEKMSEncryptionContext: context }));
    expect(create.SSEKMSEncryptionContext).toBe(context);
  });

  it('answers the bucket-key header only as true, binding the data key to the bucket ARN; false is never echoed (R1.2)', async () => {
    const withKey = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'bk-on', Body: 'bucket key', ServerSideEncryption: 'aws:kms', SSEKMSKeyId: cmk.keyId, BucketKeyEnabled: true }));
    expect(withKey.BucketKeyEnabled).toBe(true);
    expect(await kmsEventsOf(withKey.$metadata.requestId)).toEqual([{ operation: 'GenerateDataKey', keyId: cmk.arn, context: { 'aws:s3:arn': `arn:aws:s3:::${bucket}` } }]);
    const get = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'bk-on' }));
    expect({ bk: get.BucketKeyEnabled, body: (await bodyOf(get)).toString() }).toEqual({ bk: true, body: 'bucket key' });
    expect((await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'bk-on' }))).BucketKeyEnabled).toBe(true);

    const without = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'bk-off', Body: 'no bucket key', ServerSideEncryption: 'aws:kms', SSEKMSKeyId: cmk.keyId, BucketKeyEnabled: false }));
    expect(without.BucketKeyEnabled).toBeUndefined();
    expect(await kmsEventsOf(without.$metadata.requestId)).toEqual([{ operation: 'GenerateDataKey', keyId: cmk.arn, context: { 'aws:s3:arn': `arn:aws:s3:::${bucket}/bk-off` } }]);
    for (const method of ['GET', 'HEAD']) {
      const read = await sendSigned(f, { secure, method, path: objectPath(bucket, 'bk-off') });
      expect({ status: read.status, bk: read.headers[BK_HEADER] }, method).toEqual({ status: 200, bk: undefined });
    }
  });

  it('gives SSE-KMS objects opaque 32-hex-digit ETags: never the MD5, different on every write of the same bytes (3.3, 9)', async () => {
    const body = 'test-sse';
    const etags: string[] = [];
    for (const key of ['etag-1', 'etag-2']) {
      const put = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ServerSideEncryption: 'aws:kms', SSEKMSKeyId: cmk.arn }));
      expect(put.ETag).toMatch(/^"[0-9a-f]{32}"$/);
      expect(put.ETag).not.toBe(`"${md5Hex(body)}"`);
      expect((await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }))).ETag).toBe(put.ETag);
      etags.push(put.ETag!);
    }
    const rewritten = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'etag-1', Body: body, ServerSideEncryption: 'aws:kms', SSEKMSKeyId: cmk.arn }));
    etags.push(rewritten.ETag!);
    const copy = await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'etag-copy', CopySource: `${bucket}/etag-1`, ServerSideEncryption: 'aws:kms' }));
    etags.push(copy.CopyObjectResult!.ETag!);
    expect(copy.CopyObjectResult!.ETag).toMatch(/^"[0-9a-f]{32}"$/);
    expect(new Set(etags).size).toBe(4);
    expect(etags).not.toContain(`"${md5Hex(body)}"`);
  });

  it('lists SSE-KMS objects without any encryption field, with the plaintext size and the ETag the PUT returned (6)', async () => {
    const listBucket = await createBucket(s3, 'kms-list');
    const put = await s3.send(new PutObjectCommand({ Bucket: listBucket, Key: 'listed', Body: 'twelve bytes', ServerSideEncryption: 'aws:kms', SSEKMSKeyId: cmk.keyId, BucketKeyEnabled: true }));
    const v2 = await s3.send(new ListObjectsV2Command({ Bucket: listBucket }));
    expect(v2.Contents?.map((c) => [c.Key, c.Size, c.ETag])).toEqual([['listed', 12, put.ETag]]);
    const v1 = await s3.send(new ListObjectsCommand({ Bucket: listBucket }));
    expect(v1.Contents?.map((c) => [c.Key, c.Size, c.ETag])).toEqual([['listed', 12, put.ETag]]);
    for (const query of [{ 'list-type': '2' }, {}, { versions: '' }] as Record<string, string>[]) {
      const raw = await sendSigned(f, { secure, path: objectPath(listBucket), query });
      expect(raw.status).toBe(200);
      const xml = raw.body.toString();
      expect(xml).toContain('<Key>listed</Key>');
      for (const leak of ['ServerSideEncryption', 'aws:kms', 'arn:aws:kms', 'SSEKMS', 'BucketKey']) expect(xml, JSON.stringify(query)).not.toContain(leak);
      expect(Object.keys(raw.headers).filter((h) => h.startsWith('x-amz-server-side-encryption'))).toEqual([]);
    }
    // GetObjectAttributes and ListParts carry no SSE fields either (S3-SSE.md 1.2).
    const attributes = await sendSigned(f, { secure, path: objectPath(listBucket, 'listed'), query: { attributes: '' }, headers: { 'x-amz-object-attributes': 'ETag,ObjectSize' } });
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: listBucket, Key: 'upload', ServerSideEncryption: 'aws:kms', SSEKMSKeyId: cmk.keyId }));
    await s3.send(new UploadPartCommand({ Bucket: listBucket, Key: 'upload', UploadId, PartNumber: 1, Body: 'part' }));
    const parts = await sendSigned(f, { secure, path: objectPath(listBucket, 'upload'), query: { uploadId: UploadId! } });
    for (const raw of [attributes, parts]) {
      expect(raw.status).toBe(200);
      for (const leak of ['ServerSideEncryption', 'aws:kms', 'arn:aws:kms', 'SSEKMS']) expect(raw.body.toString()).not.toContain(leak);
      expect(Object.keys(raw.headers).filter((h) => h.startsWith('x-amz-server-side-encryption'))).toEqual([]);
    }
    expect(attributes.body.toString()).toContain('<ObjectSize>12</ObjectSize>');
  });

  it('serves an SSE-KMS object to a presigned (query-signed SigV4) GET (3.2)', async () => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'presigned', Body: 'presigned read', ServerSideEncryption: 'aws:kms', SSEKMSKeyId: cmk.keyId }));
    const url = await presignUrl(f, { method: 'GET', path: objectPath(bucket, 'presigned'), secure });
    const got = await fetchPresigned(f, url, 'GET', { secure });
    expect({ status: got.status, body: got.body.toString(), key: got.headers[KMS_ID_HEADER] }).toEqual({ status: 200, body: 'presigned read', key: cmk.arn });
  });
});

describe('bucket default aws:kms (S3-SSE.md 7.3)', () => {
  let s3: S3Client;
  beforeAll(() => {
    s3 = onceClient(f, false);
  });
  const setDefault = (bucket: string, rule: ServerSideEncryptionRule) =>
    s3.send(new PutBucketEncryptionCommand({ Bucket: bucket, ServerSideEncryptionConfiguration: { Rules: [rule] } }));

  it('without KMSMasterKeyID uses the aws/s3 key for writes that send no SSE header: Put, CreateMultipartUpload and Copy', async () => {
    const bucket = await createBucket(s3, 'kms-default-managed');
    await setDefault(bucket, { ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' } });
    const managed = kmsOf(f).awsManagedKey('aws/s3');
    const put = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'plain', Body: 'default kms' }));
    expect({ sse: put.ServerSideEncryption, key: put.SSEKMSKeyId, bk: put.BucketKeyEnabled }).toEqual({ sse: 'aws:kms', key: managed.arn, bk: undefined });
    expect(put.ETag).not.toBe(`"${md5Hex('default kms')}"`);
    const get = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'plain' }));
    expect({ sse: get.ServerSideEncryption, key: get.SSEKMSKeyId, body: (await bodyOf(get)).toString() }).toEqual({ sse: 'aws:kms', key: managed.arn, body: 'default kms' });
    const create = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'mpu' }));
    expect({ sse: create.ServerSideEncryption, key: create.SSEKMSKeyId }).toEqual({ sse: 'aws:kms', key: managed.arn });
    const copy = await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'copied', CopySource: `${bucket}/plain` }));
    expect({ sse: copy.ServerSideEncryption, key: copy.SSEKMSKeyId }).toEqual({ sse: 'aws:kms', key: managed.arn });
    const explicit = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'explicit', Body: 'x', ServerSideEncryption: 'AES256' }));
    expect({ sse: explicit.ServerSideEncryption, key: explicit.SSEKMSKeyId }).toEqual({ sse: 'AES256', key: undefined });
  });

  it('with KMSMasterKeyID as a bare id, an ARN or an alias uses that key, always answered by ARN; BucketKeyEnabled is inherited unless the request says false', async () => {
    const bucket = await createBucket(s3, 'kms-default-cmk');
    for (const [i, keyId] of [cmk.keyId, cmk.arn, 'alias/sse-kms-wire'].entries()) {
      await setDefault(bucket, { ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: keyId }, BucketKeyEnabled: true });
      const put = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: `d-${i}`, Body: `default ${i}` }));
      expect({ sse: put.ServerSideEncryption, key: put.SSEKMSKeyId, bk: put.BucketKeyEnabled }, keyId).toEqual({ sse: 'aws:kms', key: cmk.arn, bk: true });
      const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: `d-${i}` }));
      expect({ key: head.SSEKMSKeyId, bk: head.BucketKeyEnabled }).toEqual({ key: cmk.arn, bk: true });
      expect(storedKms(f, bucket, `d-${i}`)).toMatchObject({ keyArn: cmk.arn, bucketKey: true });
    }
    // A request-level aws:kms without the header inherits the bucket's BucketKeyEnabled; its own key id (or none: aws/s3) wins.
    const inherited = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'req-kms', Body: 'x', ServerSideEncryption: 'aws:kms' }));
    expect({ key: inherited.SSEKMSKeyId, bk: inherited.BucketKeyEnabled }).toEqual({ key: kmsOf(f).awsManagedKey('aws/s3').arn, bk: true });
    const overridden = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'req-off', Body: 'x', ServerSideEncryption: 'aws:kms', SSEKMSKeyId: cmk.keyId, BucketKeyEnabled: false }));
    expect({ key: overridden.SSEKMSKeyId, bk: overridden.BucketKeyEnabled }).toEqual({ key: cmk.arn, bk: undefined });
    expect(storedKms(f, bucket, 'req-off').bucketKey).toBe(false);
    const create = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'mpu' }));
    expect({ key: create.SSEKMSKeyId, bk: create.BucketKeyEnabled }).toEqual({ key: cmk.arn, bk: true });
    // BucketKeyEnabled false in the rule: plain writes answer no bucket-key header at all.
    await setDefault(bucket, { ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: cmk.keyId }, BucketKeyEnabled: false });
    const plain = await sendSigned(f, { method: 'PUT', path: objectPath(bucket, 'bk-false'), body: 'x' });
    expect({ status: plain.status, sse: plain.headers['x-amz-server-side-encryption'], key: plain.headers[KMS_ID_HEADER], bk: plain.headers[BK_HEADER] }).toEqual({
      status: 200,
      sse: 'aws:kms',
      key: cmk.arn,
      bk: undefined,
    });
  });
});
