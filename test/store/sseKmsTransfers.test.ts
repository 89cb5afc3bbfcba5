// Wire contract: SSE-KMS multipart uploads, range and part reads, part copies, and changing an object's encryption by CopyObject (S3-SSE.md 3.1, 4.6, 6, 9).
import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  UploadPartCopyCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KeyMetadata } from '../../main/core/keys/kms/index.js';
import { contextHeader, kmsErrors, kmsOf, storedEncryption, storedKms } from '../support/kmsSupport.js';
import { MIB5, multipartEtag, uploadMultipart } from '../support/multipart.js';
import { bodyOf, copySourceSseC, createBucket, customerKey, expectS3Error, md5Hex, onceClient, patternBytes, sseC } from '../support/s3Expect.js';
import { startStoreFixture, type StoreFixture } from '../support/storeFixture.js';

let f: StoreFixture;
let s3: S3Client;
let keyA: KeyMetadata;
let keyB: KeyMetadata;
beforeAll(async () => {
  f = await startStoreFixture();
  // HTTPS throughout: the SSE-C steps of the copy chain need it, and SSE-KMS works the same on both.
  s3 = onceClient(f, true);
  keyA = kmsOf(f).createKey({ description: 'transfers A', alias: 'alias/transfers-a' });
  keyB = kmsOf(f).createKey({ description: 'transfers B', alias: 'alias/transfers-b' });
});
afterAll(async () => {
  await f?.close();
});

/** 5 MiB + 1: part boundaries fall inside the store's encryption segments. */
const P = MIB5 + 1;
const PARTS = [patternBytes(P, 71), patternBytes(P, 72), patternBytes(1000, 73)];
const WHOLE = Buffer.concat(PARTS);
const SIZE = WHOLE.length;

async function expectRange(bucket: string, key: string, whole: Buffer, first: number, last: number): Promise<void> {
  const get = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, Range: `bytes=${first}-${last}` }));
  expect(get.$metadata.httpStatusCode).toBe(206);
  expect(get.ContentRange).toBe(`bytes ${first}-${last}/${whole.length}`);
  expect(get.ServerSideEncryption).toBe('aws:kms');
  const body = await bodyOf(get);
  expect(body.equals(whole.subarray(first, last + 1)), `${key} bytes ${first}-${last}`).toBe(true);
}

async function readBack(bucket: string, key: string, extra: Record<string, string> = {}): Promise<Buffer> {
  return bodyOf(await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, ...extra })));
}

describe('SSE-KMS multipart uploads and reads', () => {
  let bucket: string;
  let etag: string;
  const context = contextHeader({ upload: 'multipart' });
  beforeAll(async () => {
    bucket = await createBucket(s3, 'kms-mpu');
  });

  it('answers aws:kms, the key ARN and the bucket key on Create, every UploadPart and Complete; part ETags are opaque, the object ETag is MD5(part ETags)-N (6, 9)', async () => {
    const create = { ServerSideEncryption: 'aws:kms' as const, SSEKMSKeyId: 'alias/transfers-a', BucketKeyEnabled: true, SSEKMSEncryptionContext: context };
    const { parts, complete } = await uploadMultipart(s3, bucket, 'obj', PARTS, create);
    for (const [i, part] of parts.entries()) {
      expect({ sse: part.ServerSideEncryption, key: part.SSEKMSKeyId, bk: part.BucketKeyEnabled }, `part ${i + 1}`).toEqual({ sse: 'aws:kms', key: keyA.arn, bk: true });
      expect(part.ETag).toMatch(/^"[0-9a-f]{32}"$/);
      expect(part.ETag).not.toBe(`"${md5Hex(PARTS[i]!)}"`);
    }
    expect({ sse: complete.ServerSideEncryption, key: complete.SSEKMSKeyId, bk: complete.BucketKeyEnabled }).toEqual({ sse: 'aws:kms', key: keyA.arn, bk: true });
    expect(complete.ETag).toBe(multipartEtag(parts.map((p) => p.ETag!)));
    expect(complete.ETag).toMatch(/-3"$/);
    etag = complete.ETag!;
    expect(storedKms(f, bucket, 'obj')).toMatchObject({ keyArn: keyA.arn, context, bucketKey: true });
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'obj' }));
    expect({ length: head.ContentLength, etag: head.ETag, sse: head.ServerSideEncryption, key: head.SSEKMSKeyId, bk: head.BucketKeyEnabled }).toEqual({
      length: SIZE,
      etag,
      sse: 'aws:kms',
      key: keyA.arn,
      bk: true,
    });
    expect((await readBack(bucket, 'obj')).equals(WHOLE)).toBe(true);
  });

  it('serves ranges at and across the part boundaries, suffix and open-ended ranges, on plaintext offsets', async () => {
    for (const b of [P, 2 * P]) {
      for (const [first, last] of [[b - 1, b - 1], [b, b], [b - 2, b + 1], [b - 65536, Math.min(b + 65536, SIZE - 1)]] as const) await expectRange(bucket, 'obj', WHOLE, first, last);
    }
    await expectRange(bucket, 'obj', WHOLE, 1, SIZE - 2);
    const suffix = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'obj', Range: 'bytes=-1500' }));
    expect(suffix.ContentRange).toBe(`bytes ${SIZE - 1500}-${SIZE - 1}/${SIZE}`);
    expect((await bodyOf(suffix)).equals(WHOLE.subarray(SIZE - 1500))).toBe(true);
    const open = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'obj', Range: `bytes=${P - 3}-` }));
    expect((await bodyOf(open)).equals(WHOLE.subarray(P - 3))).toBe(true);
    await expectS3Error(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'obj', Range: `bytes=${SIZE}-` })), { code: 'InvalidRange', status: 416 });
  });

  it('serves each part by ?partNumber with the parts count and the whole-object ETag', async () => {
    for (const n of [1, 2, 3]) {
      const get = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'obj', PartNumber: n }));
      expect({ parts: get.PartsCount, etag: get.ETag, key: get.SSEKMSKeyId }).toEqual({ parts: 3, etag, key: keyA.arn });
      expect((await bodyOf(get)).equals(PARTS[n - 1]!)).toBe(true);
    }
  });

  it('serves ranges of a single-part SSE-KMS object', async () => {
    const body = patternBytes(200 * 1024 + 7, 74);
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'single', Body: body, ServerSideEncryption: 'aws:kms', SSEKMSKeyId: keyB.keyId }));
    for (const [first, last] of [[0, 0], [100, 65635], [65535, 65537], [131071, body.length - 1]] as const) await expectRange(bucket, 'single', body, first, last);
    const one = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'single', PartNumber: 1 }));
    expect((await bodyOf(one)).equals(body)).toBe(true);
  });

  it('copies a range of an SSE-KMS source into an upload under another CMK (UploadPartCopy), and the whole object (CopyObject)', async () => {
    const first = P - 100;
    const last = 2 * P + 100;
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'copied-range', ServerSideEncryption: 'aws:kms', SSEKMSKeyId: keyB.arn }));
    const part = await s3.send(
      new UploadPartCopyCommand({ Bucket: bucket, Key: 'copied-range', UploadId, PartNumber: 1, CopySource: `${bucket}/obj`, CopySourceRange: `bytes=${first}-${last}` }),
    );
    expect({ sse: part.ServerSideEncryption, key: part.SSEKMSKeyId }).toEqual({ sse: 'aws:kms', key: keyB.arn });
    const done = await s3.send(
      new CompleteMultipartUploadCommand({ Bucket: bucket, Key: 'copied-range', UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.CopyPartResult!.ETag }] } }),
    );
    expect(done.SSEKMSKeyId).toBe(keyB.arn);
    expect((await readBack(bucket, 'copied-range')).equals(WHOLE.subarray(first, last + 1))).toBe(true);
    const whole = await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'copied-whole', CopySource: `${bucket}/obj`, ServerSideEncryption: 'aws:kms', SSEKMSKeyId: keyB.keyId }));
    expect(whole.SSEKMSKeyId).toBe(keyB.arn);
    expect(whole.CopyObjectResult!.ETag).not.toBe(`"${md5Hex(WHOLE)}"`);
    expect((await readBack(bucket, 'copied-whole')).equals(WHOLE)).toBe(true);
  });
});

describe('changing an object\'s encryption with CopyObject onto itself', () => {
  let bucket: string;
  const body = patternBytes(70_000, 75);
  beforeAll(async () => {
    bucket = await createBucket(s3, 'kms-change');
  });

  it('moves an SSE-S3 object to SSE-KMS, then from one CMK to another: the old key is no longer needed', async () => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'moving', Body: body }));
    expect(storedEncryption(f, bucket, 'moving').mode).toBe('SSE-S3');
    const toKms = await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'moving', CopySource: `${bucket}/moving`, ServerSideEncryption: 'aws:kms', SSEKMSKeyId: 'alias/transfers-a' }));
    expect({ sse: toKms.ServerSideEncryption, key: toKms.SSEKMSKeyId }).toEqual({ sse: 'aws:kms', key: keyA.arn });
    expect(toKms.CopyObjectResult!.ETag).not.toBe(`"${md5Hex(body)}"`);
    expect(storedKms(f, bucket, 'moving').keyArn).toBe(keyA.arn);
    expect((await readBack(bucket, 'moving')).equals(body)).toBe(true);

    const toB = await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'moving', CopySource: `${bucket}/moving`, ServerSideEncryption: 'aws:kms', SSEKMSKeyId: keyB.arn }));
    expect(toB.SSEKMSKeyId).toBe(keyB.arn);
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'moving' }));
    expect({ sse: head.ServerSideEncryption, key: head.SSEKMSKeyId }).toEqual({ sse: 'aws:kms', key: keyB.arn });
    // Sealed under B alone now: with A disabled the object still reads, and an object left under A does not.
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'left-under-a', Body: 'a', ServerSideEncryption: 'aws:kms', SSEKMSKeyId: keyA.keyId }));
    kmsOf(f).disableKey({ keyId: keyA.keyId });
    try {
      expect((await readBack(bucket, 'moving')).equals(body)).toBe(true);
      await expectS3Error(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'left-under-a' })), kmsErrors.disabled(keyA.arn));
    } finally {
      kmsOf(f).enableKey({ keyId: keyA.keyId });
    }
  });

  it('moves an SSE-KMS object to SSE-C, then to SSE-S3, whose ETag is the plaintext MD5 again', async () => {
    const customer = customerKey();
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'chain', Body: body, ServerSideEncryption: 'aws:kms', SSEKMSKeyId: keyA.keyId }));
    const toC = await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'chain', CopySource: `${bucket}/chain`, ...sseC(customer) }));
    expect({ sse: toC.ServerSideEncryption, key: toC.SSEKMSKeyId, md5: toC.SSECustomerKeyMD5 }).toEqual({ sse: undefined, key: undefined, md5: customer.md5 });
    expect(storedEncryption(f, bucket, 'chain').mode).toBe('SSE-C');
    await expectS3Error(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'chain' })), { code: 'InvalidRequest', status: 400 });
    const asC = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'chain', ...sseC(customer) }));
    expect({ sse: asC.ServerSideEncryption, key: asC.SSEKMSKeyId }).toEqual({ sse: undefined, key: undefined });
    expect((await bodyOf(asC)).equals(body)).toBe(true);

    const toS3 = await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'chain', CopySource: `${bucket}/chain`, ...copySourceSseC(customer), ServerSideEncryption: 'AES256' }));
    expect({ sse: toS3.ServerSideEncryption, key: toS3.SSEKMSKeyId, etag: toS3.CopyObjectResult?.ETag }).toEqual({ sse: 'AES256', key: undefined, etag: `"${md5Hex(body)}"` });
    expect(storedEncryption(f, bucket, 'chain').mode).toBe('SSE-S3');
    const plain = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'chain' }));
    expect({ sse: plain.ServerSideEncryption, etag: plain.ETag }).toEqual({ sse: 'AES256', etag: `"${md5Hex(body)}"` });
    expect((await bodyOf(plain)).equals(body)).toBe(true);
  });

  it('copies an SSE-KMS object to a key of a plain bucket as SSE-S3 (the destination default applies, not the source encryption)', async () => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'src', Body: body, ServerSideEncryption: 'aws:kms', SSEKMSKeyId: keyB.keyId }));
    const other = await createBucket(s3, 'kms-change-dest');
    const copy = await s3.send(new CopyObjectCommand({ Bucket: other, Key: 'dest', CopySource: `${bucket}/src` }));
    expect({ sse: copy.ServerSideEncryption, key: copy.SSEKMSKeyId, etag: copy.CopyObjectResult?.ETag }).toEqual({ sse: 'AES256', key: undefined, etag: `"${md5Hex(body)}"` });
    expect((await readBack(other, 'dest')).equals(body)).toBe(true);
  });
});
