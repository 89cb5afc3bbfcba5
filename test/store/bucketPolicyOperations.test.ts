// Bucket policies on the operations that are not a single PUT: multipart steps, DeleteObjects per key, copy sources, the access history.
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  UploadPartCommand,
  UploadPartCopyCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KeyMetadata } from '../../main/core/keys/kms/index.js';
import { MIB5, uploadMultipart } from '../support/multipart.js';
import {
  ACCESS_DENIED,
  SSE_C_ALGORITHM_KEY,
  SSE_KMS_KEY_ID_KEY,
  auditEvents,
  denyPut,
  denyUnencrypted,
  objectsOf,
  putPolicy,
} from '../support/policySupport.js';
import { bodyOf, createBucket, customerKey, expectRawError, expectS3Error, onceClient, patternBytes, sseC } from '../support/s3Expect.js';
import { fetchPresigned, objectPath, presignUrl } from '../support/signedRequest.js';
import { TEST_CREDENTIALS, startStoreFixture, type StoreFixture } from '../support/storeFixture.js';

let f: StoreFixture;
let http: S3Client;
let https: S3Client;
let kmsKey: KeyMetadata;

beforeAll(async () => {
  f = await startStoreFixture();
  http = onceClient(f, false);
  https = onceClient(f, true);
  kmsKey = f.store.services.kms.createKey({ alias: 'alias/policy-multipart', description: 'the one key the policy allows' });
});
afterAll(async () => {
  await f?.close();
});

async function readBack(s3: S3Client, bucket: string, key: string, extra: Record<string, string> = {}): Promise<Buffer> {
  return bodyOf(await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, ...extra })));
}

describe('multipart uploads under a policy', () => {
  it('deny-unencrypted: Create with AES256 passes and its parts and Complete pass too; Create without the header is denied', async () => {
    const bucket = await createBucket(http, 'policy-mpu');
    await putPolicy(http, bucket, denyUnencrypted(bucket));
    const bodies = [patternBytes(MIB5, 11), patternBytes(1234, 12)];
    const done = await uploadMultipart(http, bucket, 'sealed', bodies, { ServerSideEncryption: 'AES256' });
    expect(done.complete.ServerSideEncryption).toBe('AES256');
    expect((await readBack(http, bucket, 'sealed')).equals(Buffer.concat(bodies))).toBe(true);
    await expectS3Error(http.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'unsealed' })), ACCESS_DENIED);
    await expectS3Error(uploadMultipart(http, bucket, 'unsealed', bodies), ACCESS_DENIED);
    expect((await http.send(new ListObjectsV2Command({ Bucket: bucket }))).Contents?.map((o) => o.Key)).toEqual(['sealed']);
  });

  it('key-id restriction: an upload made with the allowed key by alias passes its parts and Complete (judged by the stored key ARN)', async () => {
    const bucket = await createBucket(http, 'policy-mpu-kms');
    await putPolicy(http, bucket, denyPut(bucket, { StringNotEquals: { [SSE_KMS_KEY_ID_KEY]: kmsKey.arn } }));
    const bodies = [patternBytes(MIB5, 21), patternBytes(99, 22)];
    const done = await uploadMultipart(http, bucket, 'kms', bodies, { ServerSideEncryption: 'aws:kms', SSEKMSKeyId: 'alias/policy-multipart' });
    expect(done.complete.SSEKMSKeyId).toBe(kmsKey.arn);
    expect((await readBack(http, bucket, 'kms')).equals(Buffer.concat(bodies))).toBe(true);
    await expectS3Error(http.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'managed', ServerSideEncryption: 'aws:kms' })), ACCESS_DENIED);
  });

  it('parts are judged by the upload they belong to: an SSE-C upload begun before a deny-SSE-C policy can no longer take parts, but can be aborted', async () => {
    const bucket = await createBucket(https, 'policy-mpu-sse-c');
    const customer = customerKey();
    const early = await https.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'customer', ...sseC(customer) }));
    const first = await https.send(new UploadPartCommand({ Bucket: bucket, Key: 'customer', UploadId: early.UploadId, PartNumber: 1, Body: 'one', ...sseC(customer) }));
    await putPolicy(https, bucket, denyPut(bucket, { Null: { [SSE_C_ALGORITHM_KEY]: 'false' } }));
    // The part request carries the SSE-C trio as it must; it is the upload's settings that the policy sees.
    await expectS3Error(
      https.send(new UploadPartCommand({ Bucket: bucket, Key: 'customer', UploadId: early.UploadId, PartNumber: 2, Body: 'two', ...sseC(customer) })),
      ACCESS_DENIED,
    );
    await expectS3Error(
      https.send(
        new CompleteMultipartUploadCommand({
          Bucket: bucket,
          Key: 'customer',
          UploadId: early.UploadId,
          MultipartUpload: { Parts: [{ PartNumber: 1, ETag: first.ETag }] },
          ...sseC(customer),
        }),
      ),
      ACCESS_DENIED,
    );
    const aborted = await https.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: 'customer', UploadId: early.UploadId }));
    expect(aborted.$metadata.httpStatusCode).toBe(204);
    // A plain upload in the same bucket is untouched by the statement.
    const plain = await uploadMultipart(https, bucket, 'plain', [Buffer.from('p1')]);
    expect(plain.complete.ServerSideEncryption).toBe('AES256');
  });
});

describe('DeleteObjects under a policy', () => {
  it('judges each key: denied keys come back as AccessDenied errors and stay, the others are deleted', async () => {
    const bucket = await createBucket(http, 'policy-delete-many');
    const keys = ['keep/a', 'keep/b', 'tmp/c', 'tmp/d'];
    for (const Key of keys) await http.send(new PutObjectCommand({ Bucket: bucket, Key, Body: Key }));
    await putPolicy(http, bucket, { Sid: 'KeepKeep', Effect: 'Deny', Principal: '*', Action: 's3:DeleteObject', Resource: objectsOf(bucket, 'keep/') });
    const out = await http.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys.map((Key) => ({ Key })) } }));
    expect(out.Deleted?.map((d) => d.Key).sort()).toEqual(['tmp/c', 'tmp/d']);
    expect(out.Errors?.map((e) => [e.Key, e.Code, e.Message]).sort()).toEqual([
      ['keep/a', 'AccessDenied', 'Access Denied'],
      ['keep/b', 'AccessDenied', 'Access Denied'],
    ]);
    expect((await http.send(new ListObjectsV2Command({ Bucket: bucket }))).Contents?.map((o) => o.Key)).toEqual(['keep/a', 'keep/b']);
    await expectS3Error(http.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'keep/a' })), ACCESS_DENIED);
    // Quiet mode still reports the errors.
    const quiet = await http.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Quiet: true, Objects: [{ Key: 'keep/b' }] } }));
    expect([quiet.Deleted ?? [], quiet.Errors?.map((e) => e.Code)]).toEqual([[], ['AccessDenied']]);
  });
});

describe('copies under a policy', () => {
  it("CopyObject and UploadPartCopy need s3:GetObject under the source bucket's policy", async () => {
    const source = await createBucket(http, 'policy-copy-src');
    const target = await createBucket(http, 'policy-copy-dst');
    await http.send(new PutObjectCommand({ Bucket: source, Key: 'secret/one', Body: 'classified' }));
    await http.send(new PutObjectCommand({ Bucket: source, Key: 'public/two', Body: 'open' }));
    await putPolicy(http, source, { Sid: 'NoReads', Effect: 'Deny', Principal: '*', Action: 's3:GetObject', Resource: objectsOf(source, 'secret/') });
    await expectS3Error(http.send(new GetObjectCommand({ Bucket: source, Key: 'secret/one' })), ACCESS_DENIED);
    await expectS3Error(http.send(new CopyObjectCommand({ Bucket: target, Key: 'copy', CopySource: `${source}/secret/one` })), ACCESS_DENIED);
    // The same copy within the source bucket is refused too: the read is what is denied.
    await expectS3Error(http.send(new CopyObjectCommand({ Bucket: source, Key: 'leak', CopySource: `${source}/secret/one` })), ACCESS_DENIED);
    const upload = await http.send(new CreateMultipartUploadCommand({ Bucket: target, Key: 'part-copy' }));
    await expectS3Error(
      http.send(new UploadPartCopyCommand({ Bucket: target, Key: 'part-copy', UploadId: upload.UploadId, PartNumber: 1, CopySource: `${source}/secret/one` })),
      ACCESS_DENIED,
    );
    const part = await http.send(
      new UploadPartCopyCommand({ Bucket: target, Key: 'part-copy', UploadId: upload.UploadId, PartNumber: 1, CopySource: `${source}/public/two` }),
    );
    await http.send(
      new CompleteMultipartUploadCommand({
        Bucket: target,
        Key: 'part-copy',
        UploadId: upload.UploadId,
        MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.CopyPartResult?.ETag }] },
      }),
    );
    expect((await readBack(http, target, 'part-copy')).toString()).toBe('open');
    await http.send(new CopyObjectCommand({ Bucket: target, Key: 'copy', CopySource: `${source}/public/two` }));
    expect((await readBack(http, target, 'copy')).toString()).toBe('open');
    const listed = (await http.send(new ListObjectsV2Command({ Bucket: source }))).Contents?.map((o) => o.Key);
    expect(listed).toEqual(['public/two', 'secret/one']);
  });

  it("CopyObject is a PutObject under the destination's policy, judged by the copy request's own headers", async () => {
    const source = await createBucket(http, 'policy-copy-any');
    const target = await createBucket(http, 'policy-copy-strict');
    await http.send(new PutObjectCommand({ Bucket: source, Key: 'obj', Body: 'to copy', ServerSideEncryption: 'AES256' }));
    await putPolicy(http, target, denyUnencrypted(target));
    // The source being SSE-S3 does not matter: the copy request names no encryption.
    await expectS3Error(http.send(new CopyObjectCommand({ Bucket: target, Key: 'plain', CopySource: `${source}/obj` })), ACCESS_DENIED);
    const ok = await http.send(new CopyObjectCommand({ Bucket: target, Key: 'sealed', CopySource: `${source}/obj`, ServerSideEncryption: 'AES256' }));
    expect(ok.ServerSideEncryption).toBe('AES256');
    expect((await readBack(http, target, 'sealed')).toString()).toBe('to copy');
  });
});

describe('presigned requests under a policy', () => {
  it('a presigned PUT is judged by the SSE header it was signed with, in the query string or as a header', async () => {
    const bucket = await createBucket(http, 'policy-presigned');
    await putPolicy(http, bucket, denyUnencrypted(bucket));
    const plain = await presignUrl(f, { method: 'PUT', path: objectPath(bucket, 'plain') });
    expectRawError(await fetchPresigned(f, plain, 'PUT', { body: 'no header' }), ACCESS_DENIED);
    const sse = { 'x-amz-server-side-encryption': 'AES256' };
    const hoisted = await presignUrl(f, { method: 'PUT', path: objectPath(bucket, 'hoisted'), headers: sse, hoist: ['x-amz-server-side-encryption'] });
    expect(hoisted.url).toContain('x-amz-server-side-encryption=AES256');
    expect((await fetchPresigned(f, hoisted, 'PUT', { body: 'in the query' })).status).toBe(200);
    const header = await presignUrl(f, { method: 'PUT', path: objectPath(bucket, 'header'), headers: sse });
    expect((await fetchPresigned(f, header, 'PUT', { body: 'as a header' })).status).toBe(200);
    expect((await http.send(new ListObjectsV2Command({ Bucket: bucket }))).Contents?.map((o) => o.Key)).toEqual(['header', 'hoisted']);
  });
});

describe('the access history', () => {
  it("records a denied request as outcome 'denied' with status 403 and AccessDenied, naming the caller and the object", async () => {
    const bucket = await createBucket(http, 'policy-audit');
    await putPolicy(http, bucket, denyUnencrypted(bucket));
    await expectS3Error(http.send(new PutObjectCommand({ Bucket: bucket, Key: 'refused', Body: 'x' })), ACCESS_DENIED);
    await http.send(new PutObjectCommand({ Bucket: bucket, Key: 'accepted', Body: 'y', ServerSideEncryption: 'AES256' }));
    const denied = await auditEvents(f, { bucket, outcome: 'denied' });
    expect(denied.map((r) => r.event)).toEqual([
      expect.objectContaining({
        category: 's3',
        operation: 'PutObject',
        outcome: 'denied',
        httpStatus: 403,
        errorCode: 'AccessDenied',
        principal: TEST_CREDENTIALS.accessKeyId,
        bucket,
        objectKey: 'refused',
      }),
    ]);
    const puts = await auditEvents(f, { bucket, operations: ['PutObject'] });
    expect(puts.map((r) => [r.event.objectKey, r.event.outcome, r.event.httpStatus])).toEqual([
      ['refused', 'denied', 403],
      ['accepted', 'success', 200],
    ]);
  });
});
