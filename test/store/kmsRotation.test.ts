// Key rotation under a running store: objects sealed before and after on-demand, automatic and AWS-managed KMS rotations, and SSE-S3 master key rotations, all read back (S3-SSE.md 3.5).
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  PutObjectCommand,
  UploadPartCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rootKeyEnv, runCoffer } from '../support/cofferCli.js';
import { daysFromNow, kmsEventsOf, kmsOf, storedEncryption, storedKms } from '../support/kmsSupport.js';
import { MIB5 } from '../support/multipart.js';
import { bodyOf, createBucket, md5Hex, onceClient, patternBytes } from '../support/s3Expect.js';
import { startStoreFixture, type StoreFixture } from '../support/storeFixture.js';

let f: StoreFixture;
let s3: S3Client;
let bucket: string;
beforeAll(async () => {
  f = await startStoreFixture();
  s3 = onceClient(f, false);
  bucket = await createBucket(s3, 'kms-rotation');
});
afterAll(async () => {
  await f?.close();
});

async function putKms(key: string, keyId: string | undefined): Promise<void> {
  const put = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: `contents of ${key}`, ServerSideEncryption: 'aws:kms', SSEKMSKeyId: keyId }));
  expect(put.ServerSideEncryption).toBe('aws:kms');
}

/** Reads the object and returns the key material the store's Decrypt used for it. */
async function readAndMaterial(key: string): Promise<string | undefined> {
  const get = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  expect((await bodyOf(get)).toString(), key).toBe(`contents of ${key}`);
  const events = await kmsEventsOf(f, get.$metadata.requestId);
  expect(events.map((e) => [e.operation, e.outcome])).toEqual([['Decrypt', 'success']]);
  return events[0]!.keyVersion;
}

describe('KMS key rotation', () => {
  it('keeps objects written before and after RotateKeyOnDemand readable, each with the material that sealed it', async () => {
    const key = kmsOf(f).createKey({ alias: 'alias/on-demand' });
    await putKms('before-on-demand', 'alias/on-demand');
    const rotated = kmsOf(f).rotateKeyOnDemand({ keyId: key.keyId });
    expect(rotated.keyMaterialId).not.toBe(key.currentKeyMaterialId);
    await putKms('after-on-demand', 'alias/on-demand');
    expect(storedKms(f, bucket, 'before-on-demand').keyMaterialId).toBe(key.currentKeyMaterialId);
    expect(storedKms(f, bucket, 'after-on-demand').keyMaterialId).toBe(rotated.keyMaterialId);
    expect(await readAndMaterial('before-on-demand')).toBe(key.currentKeyMaterialId);
    expect(await readAndMaterial('after-on-demand')).toBe(rotated.keyMaterialId);
    expect(kmsOf(f).listKeyRotations({ keyId: key.keyId }).map((r) => [r.keyMaterialId, r.rotationType])).toEqual([[rotated.keyMaterialId, 'ON_DEMAND']]);
    // Same key, same ARN: rotation changes only the material (S3-SSE.md 3.5).
    expect(storedKms(f, bucket, 'after-on-demand').keyArn).toBe(key.arn);
  });

  it('rotates a key automatically once its period has passed, and objects of every material still read', async () => {
    const key = kmsOf(f).createKey();
    kmsOf(f).enableKeyRotation({ keyId: key.keyId, rotationPeriodInDays: 90 });
    await putKms('auto-1', key.keyId);
    // The KMS's due work runs at a given time: the day before the period ends nothing happens, the day after it rotates.
    expect(kmsOf(f).runDueWork(daysFromNow(89)).rotated.map((r) => r.keyId)).not.toContain(key.arn);
    const due = kmsOf(f).runDueWork(daysFromNow(91)).rotated.find((r) => r.keyId === key.arn);
    expect(due?.keyMaterialId).toMatch(/^[0-9a-f]{64}$/);
    expect(kmsOf(f).describeKey({ keyId: key.keyId }).currentKeyMaterialId).toBe(due!.keyMaterialId);
    await putKms('auto-2', key.arn);
    const onDemand = kmsOf(f).rotateKeyOnDemand({ keyId: key.keyId });
    await putKms('auto-3', key.keyId);
    const materials = ['auto-1', 'auto-2', 'auto-3'].map((k) => storedKms(f, bucket, k).keyMaterialId);
    expect(materials).toEqual([key.currentKeyMaterialId, due!.keyMaterialId, onDemand.keyMaterialId]);
    expect(new Set(materials).size).toBe(3);
    for (const [i, k] of ['auto-1', 'auto-2', 'auto-3'].entries()) expect(await readAndMaterial(k)).toBe(materials[i]);
    expect(kmsOf(f).listKeyRotations({ keyId: key.keyId }).map((r) => r.rotationType)).toEqual(['AUTOMATIC', 'ON_DEMAND']);
  });

  it('completes a multipart upload begun before a rotation, its parts sent after it', async () => {
    const key = kmsOf(f).createKey();
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'mpu-rotated', ServerSideEncryption: 'aws:kms', SSEKMSKeyId: key.keyId }));
    const first = patternBytes(MIB5, 81);
    const p1 = await s3.send(new UploadPartCommand({ Bucket: bucket, Key: 'mpu-rotated', UploadId, PartNumber: 1, Body: first }));
    kmsOf(f).rotateKeyOnDemand({ keyId: key.keyId });
    const second = patternBytes(4096, 82);
    const p2 = await s3.send(new UploadPartCommand({ Bucket: bucket, Key: 'mpu-rotated', UploadId, PartNumber: 2, Body: second }));
    await s3.send(
      new CompleteMultipartUploadCommand({ Bucket: bucket, Key: 'mpu-rotated', UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: p1.ETag }, { PartNumber: 2, ETag: p2.ETag }] } }),
    );
    expect(storedKms(f, bucket, 'mpu-rotated').keyMaterialId).toBe(key.currentKeyMaterialId);
    const got = await bodyOf(await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'mpu-rotated' })));
    expect(got.equals(Buffer.concat([first, second]))).toBe(true);
  });

  it('rotates the aws/s3 managed key by itself after a year; objects under both materials read', async () => {
    await putKms('managed-1', undefined);
    const managed = kmsOf(f).describeKey({ keyId: 'alias/aws/s3' });
    expect(kmsOf(f).getKeyRotationStatus({ keyId: managed.keyId })).toMatchObject({ keyRotationEnabled: true, rotationPeriodInDays: 365 });
    const due = kmsOf(f).runDueWork(daysFromNow(366)).rotated.find((r) => r.keyId === managed.arn);
    expect(due).toBeDefined();
    await putKms('managed-2', 'alias/aws/s3');
    expect([storedKms(f, bucket, 'managed-1').keyMaterialId, storedKms(f, bucket, 'managed-2').keyMaterialId]).toEqual([managed.currentKeyMaterialId, due!.keyMaterialId]);
    expect(await readAndMaterial('managed-1')).toBe(managed.currentKeyMaterialId);
    expect(await readAndMaterial('managed-2')).toBe(due!.keyMaterialId);
  });

  it('picks up `coffer kms rotate-key-on-demand` run against the live data dir at once', async () => {
    const key = kmsOf(f).createKey({ alias: 'alias/cli-rotated' });
    await putKms('cli-before', key.keyId);
    const run = await runCoffer(['kms', 'rotate-key-on-demand', '--key-id', 'alias/cli-rotated', '--data-dir', f.dataDir, '--json'], rootKeyEnv(f.store.services.options.rootKey));
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({ KeyId: key.keyId });
    await putKms('cli-after', key.keyId);
    const after = storedKms(f, bucket, 'cli-after').keyMaterialId;
    expect(after).not.toBe(key.currentKeyMaterialId);
    expect(after).toBe(kmsOf(f).describeKey({ keyId: key.keyId }).currentKeyMaterialId);
    expect(await readAndMaterial('cli-before')).toBe(key.currentKeyMaterialId);
    expect(await readAndMaterial('cli-after')).toBe(after);
  });
});

describe('SSE-S3 master key rotation', () => {
  it('seals new objects under the new version, in the store or by `coffer store rotate-master-key`; older objects still read', async () => {
    const keyring = f.store.services.keyring;
    const put = async (key: string) => {
      const out = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: `contents of ${key}` }));
      expect({ sse: out.ServerSideEncryption, etag: out.ETag }).toEqual({ sse: 'AES256', etag: `"${md5Hex(`contents of ${key}`)}"` });
    };
    const versionOf = (key: string): number => {
      const stored = storedEncryption(f, bucket, key);
      if (stored.mode !== 'SSE-S3') throw new Error(`${key} is ${stored.mode}`);
      return stored.masterKeyVersion;
    };
    await put('s3-v1');
    const v1 = versionOf('s3-v1');
    const v2 = keyring.rotate();
    await put('s3-v2');
    const cli = await runCoffer(['store', 'rotate-master-key', '--data-dir', f.dataDir], rootKeyEnv(f.store.services.options.rootKey));
    expect(cli.code, cli.stderr).toBe(0);
    expect(cli.stdout).toContain(`version ${v2} -> ${v2 + 1}`);
    await put('s3-v3');
    expect([versionOf('s3-v1'), versionOf('s3-v2'), versionOf('s3-v3')]).toEqual([v1, v1 + 1, v1 + 2]);
    for (const key of ['s3-v1', 's3-v2', 's3-v3']) {
      expect((await bodyOf(await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key })))).toString()).toBe(`contents of ${key}`);
    }
    expect(keyring.list().map((v) => v.version)).toEqual([v1, v1 + 1, v1 + 2]);
  });
});
