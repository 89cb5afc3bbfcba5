// Wire contract: ranged and per-part reads of multipart objects whose parts (5 MiB + 1 byte) align with no internal block size, SSE-S3 and SSE-C.
import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  UploadPartCopyCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIB5, multipartEtag, uploadMultipart } from '../support/multipart.js';
import { bodyOf, copySourceSseC, createBucket, customerKey, md5Hex, onceClient, patternBytes, sseC } from '../support/s3Expect.js';
import { startStoreFixture, type StoreFixture } from '../support/storeFixture.js';

let f: StoreFixture;
beforeAll(async () => {
  f = await startStoreFixture();
});
afterAll(async () => {
  await f?.close();
});

/** 5 MiB + 1: not a multiple of 64 KiB, so every part boundary falls inside an encryption segment. */
const P = MIB5 + 1;
const PARTS = [patternBytes(P, 41), patternBytes(P, 42), patternBytes(P, 43)];
const WHOLE = Buffer.concat(PARTS);
const SIZE = WHOLE.length;

/** [first, last] inclusive byte ranges at, around and across the part boundaries. */
function boundaryRanges(): [number, number][] {
  const ranges: [number, number][] = [];
  for (const b of [P, 2 * P]) {
    ranges.push([b - 1, b - 1], [b, b], [b - 1, b], [b - 2, b + 1], [b - 65536, b + 65536], [b + 1, b + 70000]);
  }
  ranges.push([0, P - 1], [P, 2 * P - 1], [2 * P, SIZE - 1], [P - 1, 2 * P], [1, SIZE - 2]);
  return ranges;
}

/** Every range of a fixed step across the object, as s3-tests test_encryption_sse_c_unaligned_multipart_upload reads it. */
function steppedRanges(step: number): [number, number][] {
  const ranges: [number, number][] = [];
  for (let start = 0; start < SIZE; start += step) ranges.push([start, Math.min(start + step, SIZE) - 1]);
  return ranges;
}

const MODES = [
  { name: 'SSE-S3 over HTTP', secure: false, key: undefined },
  { name: 'SSE-C over HTTPS', secure: true, key: customerKey() },
] as const;

describe.each(MODES)('unaligned multipart object, $name', ({ secure, key }) => {
  let s3: S3Client;
  let bucket: string;
  let etag: string;
  const sse = key ? sseC(key) : {};
  beforeAll(async () => {
    s3 = onceClient(f, secure);
    bucket = await createBucket(s3, 'mpu-ranges');
    const { parts, complete } = await uploadMultipart(s3, bucket, 'obj', PARTS, sse, sse);
    for (const [i, part] of parts.entries()) {
      if (key) expect(part.ETag).not.toBe(`"${md5Hex(PARTS[i]!)}"`);
      else expect(part.ETag).toBe(`"${md5Hex(PARTS[i]!)}"`);
    }
    expect(complete.ETag).toBe(multipartEtag(parts.map((p) => p.ETag!)));
    etag = complete.ETag!;
  });

  async function expectRange(first: number, last: number): Promise<void> {
    const get = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'obj', Range: `bytes=${first}-${last}`, ...sse }));
    expect(get.$metadata.httpStatusCode).toBe(206);
    expect(get.ContentRange).toBe(`bytes ${first}-${last}/${SIZE}`);
    expect(get.ContentLength).toBe(last - first + 1);
    const body = await bodyOf(get);
    expect(body.length).toBe(last - first + 1);
    expect(body.equals(WHOLE.subarray(first, last + 1)), `bytes ${first}-${last}`).toBe(true);
  }

  it('serves the whole object with its size and -3 ETag', async () => {
    const get = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'obj', ...sse }));
    expect(get.ContentLength).toBe(SIZE);
    expect(get.ETag).toBe(etag);
    expect((await bodyOf(get)).equals(WHOLE)).toBe(true);
  });

  it('serves ranges at, just before, just after and across the part boundaries', async () => {
    for (const [first, last] of boundaryRanges()) await expectRange(first, last);
  });

  it('serves every 1,000,000-byte and 10,000,000-byte range across the object', async () => {
    for (const [first, last] of [...steppedRanges(1_000_000), ...steppedRanges(10_000_000)]) await expectRange(first, last);
  });

  it('serves suffix and open-ended ranges that start inside a part', async () => {
    const suffix = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'obj', Range: `bytes=-${P + 5}`, ...sse }));
    expect(suffix.ContentRange).toBe(`bytes ${SIZE - P - 5}-${SIZE - 1}/${SIZE}`);
    expect((await bodyOf(suffix)).equals(WHOLE.subarray(SIZE - P - 5))).toBe(true);
    const open = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'obj', Range: `bytes=${2 * P - 3}-`, ...sse }));
    expect((await bodyOf(open)).equals(WHOLE.subarray(2 * P - 3))).toBe(true);
  });

  it('copies a source range across part boundaries (UploadPartCopy) and the whole object (CopyObject)', async () => {
    const source = key ? copySourceSseC(key) : {};
    const first = P - 100;
    const last = 2 * P + 100;
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'copied-range', ...sse }));
    const part = await s3.send(
      new UploadPartCopyCommand({ Bucket: bucket, Key: 'copied-range', UploadId, PartNumber: 1, CopySource: `${bucket}/obj`, CopySourceRange: `bytes=${first}-${last}`, ...sse, ...source }),
    );
    await s3.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: 'copied-range', UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.CopyPartResult!.ETag }] } }));
    const ranged = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'copied-range', ...sse }));
    expect((await bodyOf(ranged)).equals(WHOLE.subarray(first, last + 1))).toBe(true);
    await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'copied-whole', CopySource: `${bucket}/obj`, ...source }));
    const whole = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'copied-whole' }));
    expect(whole.ServerSideEncryption).toBe('AES256');
    expect(whole.ETag).toBe(`"${md5Hex(WHOLE)}"`);
    expect((await bodyOf(whole)).equals(WHOLE)).toBe(true);
  });

  it('serves each part by ?partNumber with the parts count', async () => {
    for (const n of [1, 2, 3]) {
      const get = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'obj', PartNumber: n, ...sse }));
      expect(get.PartsCount).toBe(3);
      expect(get.ETag).toBe(etag);
      expect(get.ContentRange).toBe(`bytes ${(n - 1) * P}-${n * P - 1}/${SIZE}`);
      expect((await bodyOf(get)).equals(PARTS[n - 1]!)).toBe(true);
    }
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'obj', PartNumber: 3, ...sse }));
    expect(head.ContentLength).toBe(P);
    expect(head.PartsCount).toBe(3);
  });
});
