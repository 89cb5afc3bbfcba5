// Wire contract: Range GETs on single-part objects (every form S3 serves, 416) and ?partNumber on them.
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bodyOf, createBucket, expectS3Error, md5Hex, onceClient, patternBytes, TRANSPORTS } from '../support/s3Expect.js';
import { objectPath, sendSigned } from '../support/signedRequest.js';
import { startStoreFixture, type StoreFixture } from '../support/storeFixture.js';

let f: StoreFixture;
beforeAll(async () => {
  f = await startStoreFixture();
});
afterAll(async () => {
  await f?.close();
});

/** Three full 64 KiB segments and a partial fourth, so ranges can cross segment boundaries. */
const SIZE = 3 * 65536 + 1000;
const BODY = patternBytes(SIZE, 11);

describe.each(TRANSPORTS)('ranges over $name', ({ secure }) => {
  let s3: S3Client;
  let bucket: string;
  beforeAll(async () => {
    s3 = onceClient(f, secure);
    bucket = await createBucket(s3, 'ranges');
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'obj', Body: BODY }));
  });

  // [Range header, first byte, last byte]
  it.each([
    ['first byte', 'bytes=0-0', 0, 0],
    ['closed range', 'bytes=10-19', 10, 19],
    ['open-ended', `bytes=${SIZE - 100}-`, SIZE - 100, SIZE - 1],
    ['suffix', 'bytes=-7', SIZE - 7, SIZE - 1],
    ['suffix longer than the object', `bytes=-${SIZE + 50}`, 0, SIZE - 1],
    ['end past the object', `bytes=5-${SIZE + 1000}`, 5, SIZE - 1],
    ['across a segment boundary', 'bytes=65530-65545', 65530, 65545],
    ['exactly one segment', 'bytes=65536-131071', 65536, 131071],
    ['across two boundaries', 'bytes=65535-131072', 65535, 131072],
    ['last byte', `bytes=${SIZE - 1}-${SIZE - 1}`, SIZE - 1, SIZE - 1],
  ])('serves %s (%s) as 206 with Content-Range', async (_, range, first, last) => {
    const get = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'obj', Range: range }));
    expect(get.$metadata.httpStatusCode).toBe(206);
    expect(get.ContentRange).toBe(`bytes ${first}-${last}/${SIZE}`);
    expect(get.ContentLength).toBe(last - first + 1);
    expect(get.ETag).toBe(`"${md5Hex(BODY)}"`);
    expect((await bodyOf(get)).equals(BODY.subarray(first, last + 1))).toBe(true);
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'obj', Range: range }));
    expect(head.$metadata.httpStatusCode).toBe(206);
    expect(head.ContentRange).toBe(`bytes ${first}-${last}/${SIZE}`);
    expect(head.ContentLength).toBe(last - first + 1);
  });

  it.each([
    ['start at the size', `bytes=${SIZE}-`],
    ['start past the size', `bytes=${SIZE + 10}-${SIZE + 20}`],
    ['empty suffix', 'bytes=-0'],
  ])('answers an unsatisfiable range (%s) with 416 InvalidRange and bytes */size', async (_, range) => {
    await expectS3Error(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'obj', Range: range })), {
      code: 'InvalidRange',
      status: 416,
      message: 'The requested range is not satisfiable',
    });
    const raw = await sendSigned(f, { secure, path: objectPath(bucket, 'obj'), headers: { range } });
    expect(raw.status).toBe(416);
    expect(raw.headers['content-range']).toBe(`bytes */${SIZE}`);
    expect(raw.error?.details['ActualObjectSize']).toBe(String(SIZE));
    const head = await sendSigned(f, { secure, method: 'HEAD', path: objectPath(bucket, 'obj'), headers: { range } });
    expect(head.status).toBe(416);
    expect(head.body.length).toBe(0);
  });

  it.each([
    ['not bytes', 'items=0-5'],
    ['no numbers', 'bytes=abc'],
    ['last before first', 'bytes=20-10'],
  ])('ignores a range it cannot parse (%s) and serves the whole object with 200', async (_, range) => {
    const get = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'obj', Range: range }));
    expect(get.$metadata.httpStatusCode).toBe(200);
    expect(get.ContentRange).toBeUndefined();
    expect((await bodyOf(get)).equals(BODY)).toBe(true);
  });

  it('serves partNumber=1 of a single-part object as the whole object, without a parts count', async () => {
    const get = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'obj', PartNumber: 1 }));
    expect((await bodyOf(get)).equals(BODY)).toBe(true);
    expect(get.ContentLength).toBe(SIZE);
    expect(get.PartsCount).toBeUndefined();
    expect(get.ETag).toBe(`"${md5Hex(BODY)}"`);
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'obj', PartNumber: 1 }));
    expect(head.ContentLength).toBe(SIZE);
  });

  it('refuses partNumber=2 of a single-part object (400 InvalidPart), and 0 or 10001 (400 InvalidArgument)', async () => {
    await expectS3Error(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'obj', PartNumber: 2 })), { code: 'InvalidPart', status: 400 });
    await expectS3Error(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'obj', PartNumber: 2 })), { code: 'Unknown', status: 400 });
    for (const partNumber of ['0', '10001']) {
      const raw = await sendSigned(f, { secure, path: objectPath(bucket, 'obj'), query: { partNumber } });
      expect(raw.status).toBe(400);
      expect(raw.error?.code).toBe('InvalidArgument');
      expect(raw.error?.message).toBe('Part number must be an integer between 1 and 10000, inclusive');
    }
  });

  it('refuses Range together with partNumber (400 InvalidRequest)', async () => {
    await expectS3Error(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'obj', PartNumber: 1, Range: 'bytes=0-1' })), {
      code: 'InvalidRequest',
      status: 400,
      message: 'Cannot specify both Range header and partNumber query parameter',
    });
  });
});
