// SSE-KMS, streamed, presigned and SSE-C key rotation writes never leave plaintext or a key in the data directory.
import { Readable } from 'node:stream';
import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  PutObjectCommand,
  UploadPartCommand,
  type ChecksumAlgorithm,
  type GetObjectCommandInput,
  type S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUDIT_DB_FILE } from '../../main/core/audit/auditDatabase.js';
import { KMS_DB_FILE, type KeyMetadata } from '../../main/core/keys/kms/index.js';
import { STORE_DB_FILE } from '../../main/core/store/storeServices.js';
import { filesUnder } from '../support/blobFiles.js';
import { auditLogOf, dataKeyOf, kmsOf } from '../support/kmsSupport.js';
import { customerKeyForms, findNeedles, keyForms, markedBody, plaintextMarker, type Needle } from '../support/leakScan.js';
import { uploadMultipart, MIB5 } from '../support/multipart.js';
import { copySourceSseC, createBucket, customerKey, expectS3Error, onceClient, sseC, sseCHeaders, type CustomerKey } from '../support/s3Expect.js';
import { fetchPresigned, objectPath, presignUrl } from '../support/signedRequest.js';
import { startStoreFixture, type StoreFixture } from '../support/storeFixture.js';

const MIB = 1024 * 1024;
/** Inline in store.db, just past one segment, and a multi-segment file. */
const SIZES = [10_000, 70_000, 3 * MIB];

let f: StoreFixture;
let http: S3Client;
let https: S3Client;
let bucket: string;
let cmk: KeyMetadata;

beforeAll(async () => {
  f = await startStoreFixture();
  http = onceClient(f, false);
  https = onceClient(f, true);
  bucket = await createBucket(http, 'marker-modes');
  cmk = kmsOf(f).createKey({ description: 'plaintext marker tests' });
});

afterAll(async () => {
  await f?.close();
});

async function readBack(client: S3Client, key: string, extra: Partial<GetObjectCommandInput> = {}): Promise<Buffer> {
  const got = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key, ...extra }));
  return Buffer.from(await got.Body!.transformToByteArray());
}

/** Compared with Buffer.equals: a deep toEqual over megabytes is slow. */
async function expectStored(client: S3Client, key: string, expected: Buffer, extra: Partial<GetObjectCommandInput> = {}): Promise<void> {
  const stored = await readBack(client, key, extra);
  expect(stored.length, key).toBe(expected.length);
  expect(stored.equals(expected), `${key} reads back other bytes than were written`).toBe(true);
}

/** The KMS data key of each object, in the forms it could be kept in. */
function dataKeyNeedles(keys: readonly string[]): Needle[] {
  return keys.flatMap((key) => keyForms(`data key of ${key}`, dataKeyOf(f, bucket, key)));
}

/** Where in the data dir (blob files, store.db, kms.db, audit.db and their WALs) any needle is found, after the access history is written. */
async function leaksOf(needles: readonly Needle[]): Promise<string[]> {
  await auditLogOf(f).flush();
  const names = filesUnder(f.dataDir).map((file) => file.slice(f.dataDir.length + 1));
  for (const db of [STORE_DB_FILE, KMS_DB_FILE, AUDIT_DB_FILE]) expect(names).toEqual(expect.arrayContaining([db, `${db}-wal`]));
  expect(names.some((name) => name.startsWith('blobs/'))).toBe(true);
  return findNeedles(f.dataDir, needles);
}

/** `body` in pieces through a Readable, so the SDK streams it (aws-chunked, checksum in a trailer). */
function streamOf(body: Buffer): Readable {
  const pieces: Buffer[] = [];
  for (let at = 0; at < body.length; at += 256 * 1024) pieces.push(body.subarray(at, at + 256 * 1024));
  return Readable.from(pieces);
}

/** A client that keeps the headers of every request it sends, as they leave it. */
function recordingClient(secure: boolean): { client: S3Client; sent: Record<string, string>[] } {
  const client = onceClient(f, secure);
  const sent: Record<string, string>[] = [];
  client.middlewareStack.add(
    (next) => async (args) => {
      sent.push({ ...(args.request as { headers: Record<string, string> }).headers });
      return next(args);
    },
    { step: 'finalizeRequest', priority: 'low', name: 'recordSentHeaders' },
  );
  return { client, sent };
}

/** Re-encrypts an SSE-C object under a new key, as S3 documents: a copy onto itself, old key as the source's, new key as the target's. */
async function rotate(name: string, from: CustomerKey, to: CustomerKey): Promise<void> {
  await https.send(new CopyObjectCommand({ Bucket: bucket, Key: name, CopySource: `${bucket}/${name}`, ...copySourceSseC(from), ...sseC(to) }));
}

describe('the data directory holds neither plaintext nor a key', () => {
  it('after SSE-KMS PUTs (a customer key, the aws/s3 key, a bucket key) and an SSE-KMS multipart upload', async () => {
    const marker = plaintextMarker('kms');
    const keys: string[] = [];
    for (const size of SIZES) {
      const variants = [
        { name: `kms-cmk-${size}`, extra: { SSEKMSKeyId: cmk.keyId } },
        { name: `kms-managed-${size}`, extra: {} },
        { name: `kms-bucket-key-${size}`, extra: { SSEKMSKeyId: cmk.arn, BucketKeyEnabled: true } },
      ];
      for (const { name, extra } of variants) {
        await http.send(new PutObjectCommand({ Bucket: bucket, Key: name, Body: markedBody(marker, size), ServerSideEncryption: 'aws:kms', ...extra }));
        await expectStored(http, name, markedBody(marker, size));
        keys.push(name);
      }
    }
    const parts = [markedBody(marker, MIB5), markedBody(marker, 10_000)];
    await uploadMultipart(http, bucket, 'kms-multipart', parts, { ServerSideEncryption: 'aws:kms', SSEKMSKeyId: cmk.keyId });
    await expectStored(http, 'kms-multipart', Buffer.concat(parts));
    keys.push('kms-multipart');
    expect(await leaksOf([marker, ...dataKeyNeedles(keys)])).toEqual([]);
  });

  it('after streamed PUTs and parts the SDK sends aws-chunked with a checksum trailer', async () => {
    const marker = plaintextMarker('streamed');
    const key = customerKey();
    const plain = recordingClient(false);
    const secure = recordingClient(true);
    const body = markedBody(marker, 3 * MIB + 12_345);
    const puts: { name: string; client: S3Client; extra: Record<string, unknown>; read: Partial<GetObjectCommandInput> }[] = [
      { name: 'streamed-s3', client: plain.client, extra: { ChecksumAlgorithm: 'CRC32C' satisfies ChecksumAlgorithm }, read: {} },
      { name: 'streamed-kms', client: plain.client, extra: { ServerSideEncryption: 'aws:kms', SSEKMSKeyId: cmk.keyId }, read: {} },
      { name: 'streamed-c', client: secure.client, extra: { ...sseC(key), ChecksumAlgorithm: 'SHA256' satisfies ChecksumAlgorithm }, read: sseC(key) },
    ];
    for (const put of puts) {
      await put.client.send(new PutObjectCommand({ Bucket: bucket, Key: put.name, Body: streamOf(body), ContentLength: body.length, ...put.extra }));
      await expectStored(put.client, put.name, body, put.read);
    }
    // A multipart SSE-C upload whose parts are streamed too.
    const parts = [markedBody(marker, MIB5), markedBody(marker, 100_000)];
    const { UploadId } = await secure.client.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'streamed-parts', ...sseC(key) }));
    const etags: string[] = [];
    for (const [i, part] of parts.entries()) {
      const out = await secure.client.send(
        new UploadPartCommand({ Bucket: bucket, Key: 'streamed-parts', UploadId, PartNumber: i + 1, Body: streamOf(part), ContentLength: part.length, ...sseC(key) }),
      );
      etags.push(out.ETag!);
    }
    await secure.client.send(
      new CompleteMultipartUploadCommand({ Bucket: bucket, Key: 'streamed-parts', UploadId, MultipartUpload: { Parts: etags.map((ETag, i) => ({ PartNumber: i + 1, ETag })) } }),
    );
    await expectStored(secure.client, 'streamed-parts', Buffer.concat(parts), sseC(key));
    // The bodies really went out chunked, each with a checksum trailer.
    const uploads = [...plain.sent, ...secure.sent].filter((h) => h['x-amz-decoded-content-length'] !== undefined);
    expect(uploads).toHaveLength(puts.length + parts.length);
    for (const headers of uploads) {
      expect(headers['content-encoding']).toContain('aws-chunked');
      expect(headers['x-amz-trailer']).toMatch(/^x-amz-checksum-/);
    }
    expect(await leaksOf([marker, ...customerKeyForms('customer key', key.raw), ...dataKeyNeedles(['streamed-kms'])])).toEqual([]);
  });

  it('after presigned PUT URLs: the bucket default, SSE-KMS and SSE-C', async () => {
    const marker = plaintextMarker('presigned');
    const key = customerKey();
    const body = markedBody(marker, MIB + 777);
    // The bucket default (SSE-S3) and SSE-KMS over HTTP, sent with fetch as a browser or curl would.
    const plainUrls: { name: string; headers: Record<string, string> }[] = [
      { name: 'presigned-default', headers: {} },
      { name: 'presigned-kms', headers: { 'x-amz-server-side-encryption': 'aws:kms', 'x-amz-server-side-encryption-aws-kms-key-id': cmk.keyId } },
    ];
    for (const { name, headers } of plainUrls) {
      const url = await presignUrl(f, { method: 'PUT', path: objectPath(bucket, name), headers });
      // fetch derives Host from the URL itself (the same host the URL was signed for).
      const toSend = Object.fromEntries(Object.entries(url.headers).filter(([name]) => name !== 'host'));
      const res = await fetch(url.href, { method: 'PUT', headers: toSend, body });
      expect(res.status, await res.text()).toBe(200);
      await expectStored(http, name, body);
    }
    // SSE-C needs HTTPS and the store's own certificate, which fetch cannot be told to trust.
    const url = await presignUrl(f, { method: 'PUT', path: objectPath(bucket, 'presigned-c'), headers: sseCHeaders(key), secure: true });
    const res = await fetchPresigned(f, url, 'PUT', { secure: true, body });
    expect(res.status, res.body.toString()).toBe(200);
    await expectStored(https, 'presigned-c', body, sseC(key));
    expect(await leaksOf([marker, ...customerKeyForms('customer key', key.raw), ...dataKeyNeedles(['presigned-kms'])])).toEqual([]);
  });

  it('after an SSE-C key rotation by copying each object onto itself with the old key as source and the new as destination', async () => {
    const marker = plaintextMarker('rotation');
    const oldKey = customerKey();
    const newKey = customerKey();
    const bodies = new Map<string, Buffer>(SIZES.map((size) => [`rotated-${size}`, markedBody(marker, size)]));
    for (const [name, body] of bodies) await https.send(new PutObjectCommand({ Bucket: bucket, Key: name, Body: body, ...sseC(oldKey) }));
    const parts = [markedBody(marker, MIB5), markedBody(marker, 100_000)];
    await uploadMultipart(https, bucket, 'rotated-multipart', parts, sseC(oldKey), sseC(oldKey));
    bodies.set('rotated-multipart', Buffer.concat(parts));
    for (const [name, body] of bodies) {
      await rotate(name, oldKey, newKey);
      await expectStored(https, name, body, sseC(newKey));
      await expectS3Error(readBack(https, name, sseC(oldKey)), { code: 'AccessDenied', status: 403 });
    }
    const needles = [marker, ...customerKeyForms('old customer key', oldKey.raw), ...customerKeyForms('new customer key', newKey.raw)];
    expect(await leaksOf(needles)).toEqual([]);
  });
});
