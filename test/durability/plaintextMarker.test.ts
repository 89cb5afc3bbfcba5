// Whatever mode writes an object, its data never reaches the data directory in plaintext (files, SQLite and its WAL).
import { randomBytes, createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  UploadPartCommand,
  UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStoreFixture, type StoreFixture } from '../support/storeFixture.js';

let f: StoreFixture;
beforeAll(async () => {
  f = await startStoreFixture();
});
afterAll(async () => {
  await f?.close();
});

const MARKER = Buffer.from(`COFFER-PLAINTEXT-MARKER-${randomBytes(8).toString('hex')}`);
const CUSTOMER_KEY = randomBytes(32);
const SSE_C = {
  SSECustomerAlgorithm: 'AES256',
  SSECustomerKey: CUSTOMER_KEY.toString('base64'),
  SSECustomerKeyMD5: createHash('md5').update(CUSTOMER_KEY).digest('base64'),
};

/** A body full of the marker, sized so that small (inline) and large (file) blobs are both exercised. */
function markedBody(bytes: number): Buffer {
  const body = Buffer.alloc(bytes);
  for (let i = 0; i + MARKER.length <= bytes; i += MARKER.length + 7) MARKER.copy(body, i);
  return body;
}

function allFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? allFiles(path) : [path];
  });
}

describe('the data directory', () => {
  it('never holds a plaintext marker or the customer key, whatever the write path', async () => {
    const c = f.https;
    await c.send(new CreateBucketCommand({ Bucket: 'marker' }));
    for (const size of [MARKER.length, 10_000, 3 * 1024 * 1024]) {
      await c.send(new PutObjectCommand({ Bucket: 'marker', Key: `s3-${size}`, Body: markedBody(size) }));
      await c.send(new PutObjectCommand({ Bucket: 'marker', Key: `c-${size}`, Body: markedBody(size), ...SSE_C }));
    }
    await c.send(new PutObjectCommand({ Bucket: 'marker', Key: 'explicit-s3', Body: markedBody(70_000), ServerSideEncryption: 'AES256' }));
    await c.send(new CopyObjectCommand({ Bucket: 'marker', Key: 'copied-to-c', CopySource: 'marker/s3-10000', ...SSE_C }));
    await c.send(
      new CopyObjectCommand({
        Bucket: 'marker',
        Key: 'copied-to-s3',
        CopySource: 'marker/c-10000',
        CopySourceSSECustomerAlgorithm: 'AES256',
        CopySourceSSECustomerKey: SSE_C.SSECustomerKey,
        CopySourceSSECustomerKeyMD5: SSE_C.SSECustomerKeyMD5,
      }),
    );
    for (const sse of [{}, SSE_C]) {
      const key = `multipart-${Object.keys(sse).length}`;
      const { UploadId } = await c.send(new CreateMultipartUploadCommand({ Bucket: 'marker', Key: key, ...sse }));
      const p1 = await c.send(new UploadPartCommand({ Bucket: 'marker', Key: key, UploadId, PartNumber: 1, Body: markedBody(5 * 1024 * 1024), ...sse }));
      const p2 = await c.send(
        new UploadPartCopyCommand({ Bucket: 'marker', Key: key, UploadId, PartNumber: 2, CopySource: 'marker/s3-10000', ...sse }),
      );
      await c.send(
        new CompleteMultipartUploadCommand({
          Bucket: 'marker',
          Key: key,
          UploadId,
          MultipartUpload: { Parts: [{ PartNumber: 1, ETag: p1.ETag }, { PartNumber: 2, ETag: p2.CopyPartResult!.ETag }] },
        }),
      );
    }
    const forbidden = [MARKER, CUSTOMER_KEY, Buffer.from(SSE_C.SSECustomerKey), Buffer.from(SSE_C.SSECustomerKeyMD5), createHash('md5').update(CUSTOMER_KEY).digest()];
    const files = allFiles(f.dataDir);
    expect(files.some((file) => file.endsWith('store.db-wal') || file.endsWith('store.db'))).toBe(true);
    expect(files.filter((file) => file.includes('blobs')).length).toBeGreaterThan(2);
    for (const file of files) {
      const bytes = readFileSync(file);
      for (const needle of forbidden) expect(bytes.includes(needle), `${file} contains a secret or plaintext`).toBe(false);
    }
  });
});
