// Ciphertext of SSE-C, SSE-KMS and multipart objects altered on disk: reads fail (500 or a cut body), never with wrong bytes.
import { randomBytes } from 'node:crypto';
import { truncateSync } from 'node:fs';
import { GetObjectCommand, PutObjectCommand, S3ServiceException, type GetObjectCommandInput, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KeyMetadata } from '../../main/core/keys/kms/index.js';
import { flipByte, objectBlobFiles, SEGMENT_PLAIN_BYTES, segmentOffset } from '../support/blobFiles.js';
import { kmsErrors, kmsOf } from '../support/kmsSupport.js';
import { uploadMultipart, MIB5 } from '../support/multipart.js';
import { createBucket, customerKey, onceClient, sseC, type ExpectedError } from '../support/s3Expect.js';
import { startStoreFixture, type StoreFixture } from '../support/storeFixture.js';

const MIB = 1024 * 1024;
const SEG = SEGMENT_PLAIN_BYTES;
const KEY = customerKey();
const WRONG_KEY = customerKey();
const MSG_WRONG_KEY = 'Requests specifying Server Side Encryption with Customer provided keys must provide the correct secret key.';

let f: StoreFixture;
let http: S3Client;
let https: S3Client;
let bucket: string;
let cmk: KeyMetadata;

beforeAll(async () => {
  f = await startStoreFixture();
  http = onceClient(f, false);
  https = onceClient(f, true);
  bucket = await createBucket(http, 'tamper-modes');
  cmk = kmsOf(f).createKey({ description: 'tamper tests' });
});

afterAll(async () => {
  await f?.close();
});

/** The whole body, or the error the client saw (an S3 error before the body, or a cut body). */
async function get(client: S3Client, key: string, extra: Partial<GetObjectCommandInput> = {}): Promise<Buffer | Error> {
  try {
    const got = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key, ...extra }));
    return Buffer.from(await got.Body!.transformToByteArray());
  } catch (err) {
    return err as Error;
  }
}

function range(first: number, last: number): { Range: string } {
  return { Range: `bytes=${first}-${last}` };
}

/** What came back, in brief: the bytes themselves would flood a failure message. */
function describeResult(result: Buffer | Error): string {
  return result instanceof Error ? `${result.name}: ${result.message}` : `${result.length} bytes`;
}

/** An S3 error answered before any body: its code, status and message. */
function expectS3ErrorResult(result: Buffer | Error, expected: ExpectedError): void {
  expect(result instanceof S3ServiceException, `expected ${expected.code}, got ${describeResult(result)}`).toBe(true);
  const err = result as S3ServiceException;
  expect({ code: err.name, status: err.$metadata.httpStatusCode, message: err.message }).toEqual({ code: expected.code, status: expected.status, message: expected.message });
}

/** A read that fails: a 500 answered up front or a body cut short, but never bytes and never "wrong key". */
function expectFailedRead(result: Buffer | Error): void {
  expect(result instanceof Error, `expected a failed read, got ${describeResult(result)}`).toBe(true);
  if (result instanceof S3ServiceException) expect({ code: result.name, status: result.$metadata.httpStatusCode }).toEqual({ code: 'InternalError', status: 500 });
}

/** Exactly these bytes (compared with Buffer.equals: a deep toEqual over megabytes is slow). */
function expectBytes(result: Buffer | Error, expected: Buffer): void {
  if (result instanceof Error) throw new Error(`expected ${expected.length} bytes, got ${describeResult(result)}`);
  expect(result.length).toBe(expected.length);
  expect(result.equals(expected), 'the bytes read differ from those written').toBe(true);
}

function onlyFile(key: string): string {
  const files = objectBlobFiles(f.dataDir, bucket, key);
  expect(files).toHaveLength(1);
  return files[0]!;
}

describe('an SSE-C object with a tampered blob', () => {
  it('answers 500 InternalError to the right key when its first segment is altered, and still 403 to a wrong key', async () => {
    const body = randomBytes(MIB);
    await https.send(new PutObjectCommand({ Bucket: bucket, Key: 'c-first', Body: body, ...sseC(KEY) }));
    expectBytes(await get(https, 'c-first', sseC(KEY)), body);
    flipByte(onlyFile('c-first'), segmentOffset(0) + 100);
    expectS3ErrorResult(await get(https, 'c-first', sseC(KEY)), kmsErrors.tampered);
    expectS3ErrorResult(await get(https, 'c-first', { ...sseC(KEY), ...range(0, 9) }), kmsErrors.tampered);
    // The key check uses the stored proof, not the data: a wrong key is still refused as one.
    expectS3ErrorResult(await get(https, 'c-first', sseC(WRONG_KEY)), { code: 'AccessDenied', status: 403, message: MSG_WRONG_KEY });
  });

  it('cuts the whole body when a later segment is altered; ranges before it read correctly, ranges from it fail with 500', async () => {
    const body = randomBytes(MIB);
    await https.send(new PutObjectCommand({ Bucket: bucket, Key: 'c-late', Body: body, ...sseC(KEY) }));
    flipByte(onlyFile('c-late'), segmentOffset(8) + 1000);
    expectFailedRead(await get(https, 'c-late', sseC(KEY)));
    expectBytes(await get(https, 'c-late', { ...sseC(KEY), ...range(0, 8 * SEG - 1) }), body.subarray(0, 8 * SEG));
    expectBytes(await get(https, 'c-late', { ...sseC(KEY), ...range(5 * SEG + 7, 6 * SEG + 99) }), body.subarray(5 * SEG + 7, 6 * SEG + 100));
    expectS3ErrorResult(await get(https, 'c-late', { ...sseC(KEY), ...range(8 * SEG + 10, 8 * SEG + 20) }), kmsErrors.tampered);
    // Segments are authenticated one by one: those after the altered one are intact and still read.
    expectBytes(await get(https, 'c-late', { ...sseC(KEY), ...range(9 * SEG, 10 * SEG - 1) }), body.subarray(9 * SEG, 10 * SEG));
  });

  it('fails every read once its blob is truncated, at a segment boundary or inside a segment', async () => {
    for (const cut of [segmentOffset(4), segmentOffset(4) + 1000]) {
      const key = `c-truncated-${cut}`;
      await https.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: randomBytes(MIB), ...sseC(KEY) }));
      truncateSync(onlyFile(key), cut);
      expectS3ErrorResult(await get(https, key, sseC(KEY)), kmsErrors.tampered);
      expectS3ErrorResult(await get(https, key, { ...sseC(KEY), ...range(0, 10) }), kmsErrors.tampered);
    }
  });
});

describe('an SSE-KMS object with a tampered blob', () => {
  it('answers 500 InternalError when its first segment is altered', async () => {
    const body = randomBytes(MIB);
    await http.send(new PutObjectCommand({ Bucket: bucket, Key: 'kms-first', Body: body, ServerSideEncryption: 'aws:kms', SSEKMSKeyId: cmk.keyId }));
    expectBytes(await get(http, 'kms-first'), body);
    flipByte(onlyFile('kms-first'), segmentOffset(0) + 16);
    expectS3ErrorResult(await get(http, 'kms-first'), kmsErrors.tampered);
  });

  it('cuts the whole body when its last segment is altered; a range before it reads correctly', async () => {
    const body = randomBytes(MIB + 5000);
    await http.send(new PutObjectCommand({ Bucket: bucket, Key: 'kms-late', Body: body, ServerSideEncryption: 'aws:kms' }));
    flipByte(onlyFile('kms-late'), segmentOffset(16) + 10);
    expectFailedRead(await get(http, 'kms-late'));
    expectBytes(await get(http, 'kms-late', range(0, 16 * SEG - 1)), body.subarray(0, 16 * SEG));
    expectS3ErrorResult(await get(http, 'kms-late', range(16 * SEG, 16 * SEG + 99)), kmsErrors.tampered);
  });
});

describe('a multipart object with a byte altered in part 2', () => {
  let part1: Buffer;
  let part2: Buffer;
  beforeAll(async () => {
    part1 = randomBytes(MIB5);
    part2 = randomBytes(MIB);
    await uploadMultipart(http, bucket, 'mp', [part1, part2]);
    expectBytes(await get(http, 'mp'), Buffer.concat([part1, part2]));
    const files = objectBlobFiles(f.dataDir, bucket, 'mp');
    expect(files).toHaveLength(2);
    flipByte(files[1]!, segmentOffset(0) + 50);
  });

  it('fails a whole GET (the body is cut after part 1) and a range that reaches into part 2', async () => {
    expectFailedRead(await get(http, 'mp'));
    expectFailedRead(await get(http, 'mp', range(MIB5 - 100, MIB5 + 100)));
  });

  it('reads ranges wholly inside part 1 correctly, up to its last byte', async () => {
    expectBytes(await get(http, 'mp', range(1000, 3 * MIB)), part1.subarray(1000, 3 * MIB + 1));
    expectBytes(await get(http, 'mp', range(MIB5 - 100, MIB5 - 1)), part1.subarray(MIB5 - 100));
  });

  it('serves partNumber=1 whole and answers partNumber=2 with 500 InternalError', async () => {
    expectBytes(await get(http, 'mp', { PartNumber: 1 }), part1);
    expectS3ErrorResult(await get(http, 'mp', { PartNumber: 2 }), kmsErrors.tampered);
  });

  it("still reads part 2's segments after the altered one", async () => {
    expectBytes(await get(http, 'mp', range(MIB5 + SEG, MIB5 + 2 * SEG - 1)), part2.subarray(SEG, 2 * SEG));
  });
});
