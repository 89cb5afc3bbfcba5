// Server-side copies over S3's single-copy limit go part by part (UploadPartCopy), against the real embedded store.
// The limit is lowered to 5 MiB here so a 12 MiB object takes the path a 6 GiB file takes with the default.
import { randomBytes } from 'node:crypto';
import { GetObjectCommand, GetObjectTaggingCommand, ListMultipartUploadsCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryUploadLedger } from '../../../../main/core/sync/remote/memoryUploadLedger.js';
import type { ObjectEncryption } from '../../../../main/core/sync/remote/objectStore.js';
import { createS3ObjectStore, type S3ObjectStore } from '../../../../main/core/sync/remote/s3ObjectStore.js';
import { startStoreFixture, TEST_CREDENTIALS, type StoreFixture } from '../../../support/storeFixture.js';
import { expectRemoteError, patternBytes } from './remoteSupport.js';

const MIB = 1024 * 1024;

/** The SDK command names a client sends, in order. */
function recordCommands(client: S3Client): string[] {
  const sent: string[] = [];
  client.middlewareStack.add(
    (next, context) => async (args) => {
      sent.push(String(context.commandName).replace(/Command$/, ''));
      return next(args);
    },
    { step: 'finalizeRequest', name: 'recordCommandsForTest' },
  );
  return sent;
}

describe('S3 store: copies larger than one CopyObject may carry', () => {
  let f: StoreFixture;
  const stores: S3ObjectStore[] = [];
  let bucketCounter = 0;
  const body = patternBytes(12 * MIB + 4321, 7);
  const keyA: ObjectEncryption = { mode: 'sse-c', key: randomBytes(32) };
  const keyB: ObjectEncryption = { mode: 'sse-c', key: randomBytes(32) };

  const open = (): { store: S3ObjectStore; bucket: string; sent: string[] } => {
    const bucket = `copy-${process.pid}-${++bucketCounter}`;
    const store = createS3ObjectStore({
      endpoint: f.httpsUrl, region: 'us-east-1', bucket, prefix: 'folder', credentials: TEST_CREDENTIALS,
      forcePathStyle: true, tls: { caPem: f.caCert }, ledger: new MemoryUploadLedger(), singleCopyLimitBytes: 5 * MIB,
    });
    stores.push(store);
    return { store, bucket, sent: recordCommands(store.client) };
  };

  const read = async (bucket: string, key: string, encryption?: ObjectEncryption) => {
    const sseC = encryption?.mode === 'sse-c' ? { SSECustomerAlgorithm: 'AES256', SSECustomerKey: encryption.key.toString('base64') } : {};
    const out = await f.https.send(new GetObjectCommand({ Bucket: bucket, Key: `folder/${key}`, ...sseC }));
    return { bytes: Buffer.from(await out.Body!.transformToByteArray()), out };
  };
  const tagsOf = async (bucket: string, key: string) =>
    Object.fromEntries(((await f.https.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: `folder/${key}` }))).TagSet ?? []).map((t) => [t.Key, t.Value]));
  const openUploads = async (bucket: string) => (await f.https.send(new ListMultipartUploadsCommand({ Bucket: bucket }))).Uploads ?? [];

  beforeAll(async () => {
    f = await startStoreFixture();
  });
  afterAll(async () => {
    for (const s of stores) await s.close();
    await f?.close();
  });

  it('copies part by part, carrying metadata, content type and tags as CopyObject would', async () => {
    const { store, bucket, sent } = open();
    await store.ensureBucket();
    await f.https.send(
      new PutObjectCommand({
        Bucket: bucket, Key: 'folder/big.bin', Body: body, ContentType: 'application/x-test', Metadata: { sha256: 'abc' }, Tagging: 'owner=laptop',
        SSECustomerAlgorithm: 'AES256', SSECustomerKey: (keyA as { key: Buffer }).key.toString('base64'),
      }),
    );
    sent.length = 0;
    const { etag } = await store.copy('big.bin', 'moved/big.bin', { sourceEncryption: keyA, encryption: { mode: 'sse-s3' }, sourceSize: body.length });
    expect(sent).toEqual(['HeadObject', 'GetObjectTagging', 'CreateMultipartUpload', 'UploadPartCopy', 'UploadPartCopy', 'UploadPartCopy', 'CompleteMultipartUpload']);
    expect(etag).toMatch(/^"[0-9a-f]{32}-3"$/);
    const copied = await read(bucket, 'moved/big.bin');
    expect(copied.bytes.equals(body)).toBe(true);
    expect(copied.out.ServerSideEncryption).toBe('AES256');
    expect(copied.out.ContentType).toBe('application/x-test');
    expect(copied.out.Metadata).toEqual({ sha256: 'abc' });
    expect(copied.out.ETag).toBe(etag);
    expect(await tagsOf(bucket, 'moved/big.bin')).toEqual({ owner: 'laptop' });
    expect(await openUploads(bucket)).toEqual([]);
  });

  it('re-keys a large SSE-C object onto itself, replacing metadata and tags when asked', async () => {
    const { store, bucket } = open();
    await store.ensureBucket();
    await store.putBytes('doc.bin', body, { encryption: keyA, metadata: { sha256: 'old' }, tags: { a: '1' } });
    await store.copy('doc.bin', 'doc.bin', { sourceEncryption: keyA, encryption: keyB, metadata: { sha256: 'new' }, tags: { b: '2' }, sourceSize: body.length });
    const copied = await read(bucket, 'doc.bin', keyB);
    expect(copied.bytes.equals(body)).toBe(true);
    expect(copied.out.Metadata).toEqual({ sha256: 'new' });
    expect(await tagsOf(bucket, 'doc.bin')).toEqual({ b: '2' });
    await expect(read(bucket, 'doc.bin', keyA)).rejects.toMatchObject({ $metadata: { httpStatusCode: 403 } });
  });

  it('sends one CopyObject for a source within the limit, asking its size first only when the caller does not know it', async () => {
    const { store, bucket, sent } = open();
    await store.ensureBucket();
    await store.putBytes('small.txt', Buffer.from('small'), { encryption: { mode: 'sse-s3' } });
    sent.length = 0;
    await store.copy('small.txt', 'a.txt', { encryption: { mode: 'sse-s3' }, sourceSize: 5 });
    expect(sent).toEqual(['CopyObject']);
    sent.length = 0;
    await store.copy('small.txt', 'b.txt', { encryption: { mode: 'sse-s3' } });
    expect(sent).toEqual(['HeadObject', 'CopyObject']);
    expect((await read(bucket, 'b.txt')).bytes.toString()).toBe('small');
  });

  it('fails, and leaves no upload behind, when the source is replaced during the copy', async () => {
    const { store, bucket } = open();
    await store.ensureBucket();
    await store.putBytes('moving.bin', body, { encryption: { mode: 'sse-s3' } });
    // Another writer replaces the source just before the first part is copied.
    let replaced = false;
    store.client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'UploadPartCopyCommand' && !replaced) {
          replaced = true;
          await f.https.send(new PutObjectCommand({ Bucket: bucket, Key: 'folder/moving.bin', Body: 'a newer version' }));
        }
        return next(args);
      },
      { step: 'initialize', name: 'replaceSourceForTest' },
    );
    await expectRemoteError(store.copy('moving.bin', 'copy.bin', { encryption: { mode: 'sse-s3' }, sourceSize: body.length }), 'skip', 'PreconditionFailed');
    expect(replaced).toBe(true);
    expect(await openUploads(bucket)).toEqual([]);
    await expect(read(bucket, 'copy.bin')).rejects.toMatchObject({ name: 'NoSuchKey' });
  });

  it('refuses a single-copy limit S3 would not honour', () => {
    const options = { endpoint: f.httpsUrl, region: 'us-east-1', bucket: 'x', prefix: '', credentials: TEST_CREDENTIALS, forcePathStyle: true, ledger: new MemoryUploadLedger() };
    expect(() => createS3ObjectStore({ ...options, singleCopyLimitBytes: MIB })).toThrow(RangeError);
    expect(() => createS3ObjectStore({ ...options, singleCopyLimitBytes: 6 * 1024 ** 3 })).toThrow(RangeError);
  });
});
