// The re-seal job against a real store: SSE-S3 objects to the newest master key version, SSE-KMS objects to the newest material, data untouched.
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  UploadPartCommand,
  type PutObjectCommandInput,
  type S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KeyMetadata } from '../../main/core/keys/kms/index.js';
import { resealObjects, type ResealProgress } from '../../main/core/store/maintenance/resealObjects.js';
import type { MetadataStore } from '../../main/core/store/storage/metadataStore.js';
import { MIB5, uploadMultipart } from '../support/multipart.js';
import { auditEvents } from '../support/policySupport.js';
import { ciphertextSnapshot, sealedState, storedRow } from '../support/resealSupport.js';
import { bodyOf, createBucket, customerKey, expectS3Error, onceClient, patternBytes, sseC } from '../support/s3Expect.js';
import { startStoreFixture, type StoreFixture } from '../support/storeFixture.js';

const ACTOR = { principal: 'reseal-test' };

function reseal(f: StoreFixture, meta: MetadataStore = f.store.services.meta, onProgress?: (p: ResealProgress) => void): Promise<ResealProgress> {
  const { keyring, kms, audit } = f.store.services;
  return resealObjects({ meta, keyring, kms, audit }, ACTOR, onProgress);
}

function contextHeader(pairs: Record<string, string>): string {
  return Buffer.from(JSON.stringify(pairs), 'utf8').toString('base64');
}

describe('re-sealing a store with every kind of object', () => {
  let f: StoreFixture;
  let s3: S3Client;
  let bucket: string;
  let other: string;
  let cmk: KeyMetadata;
  let firstMaterial: string;
  const customer = customerKey();
  /** What each object must read back as, by "bucket/key", with the SDK members its GET needs. */
  const written = new Map<string, { bucket: string; key: string; body: Buffer; etag: string; read: Record<string, string> }>();
  let pendingKms: { key: string; uploadId: string; first: { ETag?: string } };
  let pendingS3: { key: string; uploadId: string };

  async function write(target: string, key: string, body: Buffer, extra: Partial<PutObjectCommandInput> = {}, read: Record<string, string> = {}): Promise<void> {
    const out = await s3.send(new PutObjectCommand({ Bucket: target, Key: key, Body: body, ...extra }));
    written.set(`${target}/${key}`, { bucket: target, key, body, etag: out.ETag!, read });
  }

  beforeAll(async () => {
    f = await startStoreFixture();
    s3 = onceClient(f, true);
    const { keyring, kms } = f.store.services;
    bucket = await createBucket(s3, 'reseal');
    other = await createBucket(s3, 'reseal-other');
    cmk = kms.createKey({ alias: 'alias/reseal-cmk', description: 'rotated during the test' });
    firstMaterial = cmk.currentKeyMaterialId;
    expect(keyring.current().version).toBe(1);
    // Master key version 1: an inline object, one stored as a file, a multipart object, an unfinished upload.
    await write(bucket, 's3-v1-small', patternBytes(1000, 1));
    await write(bucket, 's3-v1-large', patternBytes(300 * 1024, 2), { ServerSideEncryption: 'AES256' });
    const parts = [patternBytes(MIB5, 3), patternBytes(4321, 4)];
    const mpu = await uploadMultipart(s3, bucket, 's3-v1-mpu', parts);
    written.set(`${bucket}/s3-v1-mpu`, { bucket, key: 's3-v1-mpu', body: Buffer.concat(parts), etag: mpu.complete.ETag!, read: {} });
    const s3Upload = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'pending-s3' }));
    pendingS3 = { key: 'pending-s3', uploadId: s3Upload.UploadId! };
    // The CMK's first material: plain, with a context and a bucket key, and an unfinished upload with one part.
    await write(bucket, 'kms-m1', patternBytes(200 * 1024, 5), { ServerSideEncryption: 'aws:kms', SSEKMSKeyId: cmk.arn });
    const context = contextHeader({ project: 'reseal' });
    await write(other, 'kms-m1-context', patternBytes(777, 6), {
      ServerSideEncryption: 'aws:kms',
      SSEKMSKeyId: 'alias/reseal-cmk',
      SSEKMSEncryptionContext: context,
      BucketKeyEnabled: true,
    });
    const kmsUpload = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'pending-kms', ServerSideEncryption: 'aws:kms', SSEKMSKeyId: cmk.arn }));
    const first = await s3.send(new UploadPartCommand({ Bucket: bucket, Key: 'pending-kms', UploadId: kmsUpload.UploadId, PartNumber: 1, Body: patternBytes(MIB5, 7) }));
    pendingKms = { key: 'pending-kms', uploadId: kmsUpload.UploadId!, first };
    await write(other, 'customer', patternBytes(150 * 1024, 8), sseC(customer), sseC(customer));
    // Then both keys move on, and one object of each kind is written under the new key.
    expect(keyring.rotate()).toBe(2);
    await write(other, 's3-v2', patternBytes(500, 9));
    const rotated = kms.rotateKeyOnDemand({ keyId: cmk.keyId });
    expect(rotated.keyMaterialId).not.toBe(firstMaterial);
    await write(other, 'kms-m2', patternBytes(600, 10), { ServerSideEncryption: 'aws:kms', SSEKMSKeyId: cmk.arn });
  });
  afterAll(async () => {
    await f?.close();
  });

  async function expectAllReadBack(): Promise<void> {
    for (const [name, o] of written) {
      const got = await s3.send(new GetObjectCommand({ Bucket: o.bucket, Key: o.key, ...o.read }));
      expect(got.ETag, name).toBe(o.etag);
      expect((await bodyOf(got)).equals(o.body), `${name} reads back byte for byte`).toBe(true);
    }
  }

  it('moves every stale key, skips current and SSE-C ones, touches no ciphertext, and a second run finds nothing to do', async () => {
    const { db, kms } = f.store.services;
    const before = sealedState(db).rows;
    const ciphertext = ciphertextSnapshot(f.dataDir, db);
    expect(ciphertext.size).toBeGreaterThan(0);
    const progress: ResealProgress[] = [];
    const result = await reseal(f, undefined, (p) => progress.push(p));
    // 8 objects and 2 uploads: v1 x3, kms-m1 x2 and both uploads move; s3-v2, kms-m2 and the SSE-C object stay.
    expect(result).toEqual({ scanned: 10, total: 10, resealed: 7, skipped: 3, failed: 0 });
    expect(progress.at(-1)).toEqual(result);
    expect(progress.every((p) => p.total === 10 && p.scanned <= 10)).toBe(true);

    const after = sealedState(db).rows;
    const current = kms.describeKey({ keyId: cmk.keyId }).currentKeyMaterialId;
    expect([...after.keys()]).toEqual([...before.keys()]);
    for (const [name, stored] of after) {
      const was = before.get(name)!;
      if (stored.mode === 'SSE-S3') expect(stored.masterKeyVersion, name).toBe(2);
      if (stored.mode === 'SSE-KMS') {
        expect([stored.keyArn, stored.keyMaterialId], name).toEqual([cmk.arn, current]);
        // Context and bucket key are kept as they were stored.
        expect(was.mode === 'SSE-KMS' && [was.context, was.bucketKey]).toEqual([stored.context, stored.bucketKey]);
      }
      if (stored.mode === 'SSE-C') expect(stored, name).toEqual(was);
    }
    expect(after.get(`${other}/s3-v2`)).toEqual(before.get(`${other}/s3-v2`));
    expect(after.get(`${other}/kms-m2`)).toEqual(before.get(`${other}/kms-m2`));
    expect(after.get(`${bucket}/s3-v1-small`)).not.toEqual(before.get(`${bucket}/s3-v1-small`));
    expect(ciphertextSnapshot(f.dataDir, db)).toEqual(ciphertext);
    await expectAllReadBack();

    const again = await reseal(f);
    expect(again).toEqual({ scanned: 10, total: 10, resealed: 0, skipped: 10, failed: 0 });
    expect(sealedState(db).rows).toEqual(after);
  });

  it('leaves the unfinished uploads completable, their first parts included', async () => {
    // The first test re-sealed both uploads.
    const rows = sealedState(f.store.services.db).rows;
    const kmsUpload = rows.get(`upload:${pendingKms.uploadId}`);
    const s3Upload = rows.get(`upload:${pendingS3.uploadId}`);
    const current = f.store.services.kms.describeKey({ keyId: cmk.keyId }).currentKeyMaterialId;
    expect(kmsUpload?.mode === 'SSE-KMS' && kmsUpload.keyMaterialId).toBe(current);
    expect(s3Upload?.mode === 'SSE-S3' && s3Upload.masterKeyVersion).toBe(2);
    const second = patternBytes(999, 11);
    const part2 = await s3.send(new UploadPartCommand({ Bucket: bucket, Key: 'pending-kms', UploadId: pendingKms.uploadId, PartNumber: 2, Body: second }));
    const done = await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key: 'pending-kms',
        UploadId: pendingKms.uploadId,
        MultipartUpload: { Parts: [{ PartNumber: 1, ETag: pendingKms.first.ETag }, { PartNumber: 2, ETag: part2.ETag }] },
      }),
    );
    expect(done.SSEKMSKeyId).toBe(cmk.arn);
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'pending-kms' }));
    expect((await bodyOf(got)).equals(Buffer.concat([patternBytes(MIB5, 7), second]))).toBe(true);
    const only = await s3.send(new UploadPartCommand({ Bucket: bucket, Key: 'pending-s3', UploadId: pendingS3.uploadId, PartNumber: 1, Body: 'last' }));
    await s3.send(
      new CompleteMultipartUploadCommand({ Bucket: bucket, Key: 'pending-s3', UploadId: pendingS3.uploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: only.ETag }] } }),
    );
    expect((await bodyOf(await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'pending-s3' })))).toString()).toBe('last');
  });

  it("records one ResealObjects admin event with the job's counts", async () => {
    const events = await auditEvents(f, { category: 'admin', operations: ['ResealObjects'] });
    expect(events.map((r) => [r.event.outcome, r.event.principal, r.event.details])).toEqual([
      ['success', ACTOR.principal, { scanned: 10, resealed: 7, skipped: 3, failed: 0 }],
      ['success', ACTOR.principal, { scanned: 10, resealed: 0, skipped: 10, failed: 0 }],
    ]);
  });
});

describe('a CMK that is disabled when the job runs', () => {
  let f: StoreFixture;
  let s3: S3Client;

  beforeAll(async () => {
    f = await startStoreFixture();
    s3 = onceClient(f, false);
  });
  afterAll(async () => {
    await f?.close();
  });

  it('counts its objects as failed, leaves them as they were, and they read back once the key is enabled again', async () => {
    const { kms, db } = f.store.services;
    const bucket = await createBucket(s3, 'reseal-disabled');
    const key = kms.createKey({ description: 'disabled during the job' });
    const body = patternBytes(4096, 21);
    const put = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'locked', Body: body, ServerSideEncryption: 'aws:kms', SSEKMSKeyId: key.arn }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'plain', Body: 'sse-s3' }));
    kms.rotateKeyOnDemand({ keyId: key.keyId });
    kms.disableKey({ keyId: key.keyId });
    const before = storedRow(db, bucket, 'locked');

    const result = await reseal(f);
    expect(result).toEqual({ scanned: 2, total: 2, resealed: 0, skipped: 1, failed: 1 });
    expect(storedRow(db, bucket, 'locked')).toEqual(before);
    await expectS3Error(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'locked' })), { code: 'KMS.DisabledException', status: 400 });
    const events = await auditEvents(f, { category: 'admin', operations: ['ResealObjects'] });
    expect(events.map((r) => [r.event.outcome, r.event.details])).toEqual([['failure', { scanned: 2, resealed: 0, skipped: 1, failed: 1 }]]);

    kms.enableKey({ keyId: key.keyId });
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'locked' }));
    expect([got.ETag, (await bodyOf(got)).equals(body)]).toEqual([put.ETag, true]);
    expect(await reseal(f)).toEqual({ scanned: 2, total: 2, resealed: 1, skipped: 1, failed: 0 });
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'locked' }));
    expect(head.ETag).toBe(put.ETag);
  });
});

describe('compare-and-swap against writers that land between the read and the swap', () => {
  let f: StoreFixture;
  let s3: S3Client;

  beforeAll(async () => {
    f = await startStoreFixture();
    s3 = onceClient(f, false);
  });
  afterAll(async () => {
    await f?.close();
  });

  /**
   * The job's metadata with its first read of each kind taken earlier: the rows it works on are the
   * ones read before the test's writes, and every swap goes through the real compare-and-swap.
   */
  function readEarly(meta: MetadataStore): MetadataStore {
    const objects = meta.sealedObjects('', '', 500);
    const uploads = meta.sealedUploads('', 500);
    const early = Object.create(meta) as MetadataStore;
    let objectsServed = false;
    let uploadsServed = false;
    early.sealedObjects = (afterBucket, afterKey, limit) => {
      if (objectsServed) return meta.sealedObjects(afterBucket, afterKey, limit);
      objectsServed = true;
      return objects;
    };
    early.sealedUploads = (afterUploadId, limit) => {
      if (uploadsServed) return meta.sealedUploads(afterUploadId, limit);
      uploadsServed = true;
      return uploads;
    };
    return early;
  }

  it('an object overwritten, or an upload completed, after the read keeps what the writer left', async () => {
    const { db, keyring } = f.store.services;
    const bucket = await createBucket(s3, 'reseal-cas');
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'overwritten', Body: 'old version' }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'untouched', Body: 'stays' }));
    const upload = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'finished' }));
    const part = await s3.send(new UploadPartCommand({ Bucket: bucket, Key: 'finished', UploadId: upload.UploadId, PartNumber: 1, Body: 'done' }));
    const early = readEarly(f.store.services.meta);

    // The writers: a new version of one object, and the upload completed (its row is gone).
    const next = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'overwritten', Body: 'new version' }));
    await s3.send(
      new CompleteMultipartUploadCommand({ Bucket: bucket, Key: 'finished', UploadId: upload.UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] } }),
    );
    const written = storedRow(db, bucket, 'overwritten');
    expect(written.mode === 'SSE-S3' && written.masterKeyVersion).toBe(1);
    keyring.rotate();

    // 'overwritten' and the upload lose their swap; 'untouched' moves. 'finished' was not in the first read.
    expect(await reseal(f, early)).toEqual({ scanned: 3, total: 3, resealed: 1, skipped: 2, failed: 0 });
    expect(storedRow(db, bucket, 'overwritten')).toEqual(written);
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'overwritten' }));
    expect([(await bodyOf(got)).toString(), got.ETag]).toEqual(['new version', next.ETag]);
    expect((await bodyOf(await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'finished' })))).toString()).toBe('done');
    const moved = storedRow(db, bucket, 'untouched');
    expect(moved.mode === 'SSE-S3' && moved.masterKeyVersion).toBe(2);

    // The skip was the swap losing, not the row being current: the next run moves it.
    expect(await reseal(f)).toEqual({ scanned: 3, total: 3, resealed: 2, skipped: 1, failed: 0 });
    const finalRow = storedRow(db, bucket, 'overwritten');
    expect(finalRow.mode === 'SSE-S3' && finalRow.masterKeyVersion).toBe(2);
    expect((await bodyOf(await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'overwritten' })))).toString()).toBe('new version');
  });
});
