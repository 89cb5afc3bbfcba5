// Wire contract: flexible checksums and Content-MD5 on uploads (BadDigest), and checksums returned and validated on GET.
import { Readable } from 'node:stream';
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  UploadPartCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALGORITHMS, checksumBytes, checksumMember, checksumOf, type Algorithm } from '../support/checksums.js';
import { bodyOf, createBucket, customerKey, expectRawError, expectS3Error, md5Base64, onceClient, patternBytes, sseC, TRANSPORTS } from '../support/s3Expect.js';
import { objectPath, sendSigned } from '../support/signedRequest.js';
import { startStoreFixture, type StoreFixture } from '../support/storeFixture.js';

let f: StoreFixture;
beforeAll(async () => {
  f = await startStoreFixture();
});
afterAll(async () => {
  await f?.close();
});

const BODY = patternBytes(70_000, 99);

/** A checksum of the right length for the algorithm but of other data. */
function wrongChecksum(algorithm: Algorithm): string {
  return checksumOf(algorithm, Buffer.from('not the body'));
}

describe.each(TRANSPORTS)('checksums over $name', ({ secure }) => {
  let s3: S3Client;
  let bucket: string;
  beforeAll(async () => {
    s3 = onceClient(f, secure);
    bucket = await createBucket(s3, 'checksums');
  });

  it.each(ALGORITHMS)('stores a %s checksum the SDK computed, echoes it, and returns it for the SDK to validate on GET', async (algorithm) => {
    const key = `ok-${algorithm}`;
    const put = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: BODY, ChecksumAlgorithm: algorithm }));
    expect(put[checksumMember(algorithm)]).toBe(checksumOf(algorithm, BODY));
    expect(put.ChecksumType).toBe('FULL_OBJECT');
    const get = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, ChecksumMode: 'ENABLED' }));
    expect(get[checksumMember(algorithm)]).toBe(checksumOf(algorithm, BODY));
    expect(get.ChecksumType).toBe('FULL_OBJECT');
    // The SDK validates the body against the returned checksum while it is read; a mismatch would throw here.
    expect((await bodyOf(get)).equals(BODY)).toBe(true);
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key, ChecksumMode: 'ENABLED' }));
    expect(head[checksumMember(algorithm)]).toBe(checksumOf(algorithm, BODY));
  });

  it.each(ALGORITHMS)('refuses a wrong %s value with 400 BadDigest and stores nothing', async (algorithm) => {
    const key = `bad-${algorithm}`;
    await expectS3Error(s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: BODY, [checksumMember(algorithm)]: wrongChecksum(algorithm) })), {
      code: 'BadDigest',
      status: 400,
      message: `The ${algorithm} you specified did not match the calculated checksum.`,
    });
    await expectS3Error(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key })), { code: 'NotFound', status: 404 });
  });

  it('verifies a checksum sent as an aws-chunked trailer with a streamed body', async () => {
    const put = await s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: 'streamed', Body: Readable.from([BODY.subarray(0, 30_000), BODY.subarray(30_000)]), ContentLength: BODY.length, ChecksumAlgorithm: 'CRC32C' }),
    );
    expect(put.ChecksumCRC32C).toBe(checksumOf('CRC32C', BODY));
    const get = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'streamed', ChecksumMode: 'ENABLED' }));
    expect(get.ChecksumCRC32C).toBe(checksumOf('CRC32C', BODY));
    expect((await bodyOf(get)).equals(BODY)).toBe(true);
  });

  it('refuses a wrong trailer checksum with 400 BadDigest', async () => {
    const chunk = BODY.subarray(0, 1000);
    const body = Buffer.concat([
      Buffer.from(`${chunk.length.toString(16)}\r\n`),
      chunk,
      Buffer.from(`\r\n0\r\nx-amz-checksum-crc32:${wrongChecksum('CRC32')}\r\n\r\n`),
    ]);
    const res = await sendSigned(f, {
      secure,
      method: 'PUT',
      path: objectPath(bucket, 'bad-trailer'),
      body,
      headers: {
        'content-encoding': 'aws-chunked',
        'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
        'x-amz-decoded-content-length': String(chunk.length),
        'x-amz-trailer': 'x-amz-checksum-crc32',
      },
    });
    expectRawError(res, { code: 'BadDigest', status: 400, message: 'The CRC32 you specified did not match the calculated checksum.' });
  });

  it('checks Content-MD5: a match stores, a mismatch is 400 BadDigest, a malformed value 400 InvalidDigest', async () => {
    const ok = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'md5-ok', Body: BODY, ContentMD5: md5Base64(BODY) }));
    expect(ok.$metadata.httpStatusCode).toBe(200);
    await expectS3Error(s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'md5-bad', Body: BODY, ContentMD5: md5Base64('other') })), {
      code: 'BadDigest',
      status: 400,
      message: 'The Content-MD5 you specified did not match what we received.',
    });
    await expectS3Error(s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'md5-bad', Body: BODY, ContentMD5: 'not-base64-md5' })), {
      code: 'InvalidDigest',
      status: 400,
      message: 'The Content-MD5 you specified is not valid.',
    });
    await expectS3Error(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'md5-bad' })), { code: 'NotFound', status: 404 });
  });

  it('returns no checksum for a range (the checksum covers the whole object only)', async () => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'ranged', Body: BODY, ChecksumAlgorithm: 'SHA256' }));
    const get = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'ranged', Range: 'bytes=0-99', ChecksumMode: 'ENABLED' }));
    expect(get.ChecksumSHA256).toBeUndefined();
    expect((await bodyOf(get)).equals(BODY.subarray(0, 100))).toBe(true);
  });

  it('combines part checksums into a composite -N checksum on Complete', async () => {
    const parts = [patternBytes(5 * 1024 * 1024, 1), patternBytes(1000, 2)];
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'composite', ChecksumAlgorithm: 'SHA256' }));
    const uploaded = [];
    for (const [i, Body] of parts.entries()) {
      const part = await s3.send(new UploadPartCommand({ Bucket: bucket, Key: 'composite', UploadId, PartNumber: i + 1, Body, ChecksumAlgorithm: 'SHA256' }));
      expect(part.ChecksumSHA256).toBe(checksumOf('SHA256', Body));
      uploaded.push({ PartNumber: i + 1, ETag: part.ETag, ChecksumSHA256: part.ChecksumSHA256 });
    }
    const complete = await s3.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: 'composite', UploadId, MultipartUpload: { Parts: uploaded } }));
    const composite = checksumOf('SHA256', Buffer.concat(parts.map((p) => checksumBytes('SHA256', p))));
    expect(complete.ChecksumSHA256).toBe(`${composite}-2`);
    expect(complete.ChecksumType).toBe('COMPOSITE');
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'composite', ChecksumMode: 'ENABLED' }));
    expect(head.ChecksumSHA256).toBe(`${composite}-2`);
  });

  it('refuses a wrong part checksum with 400 BadDigest', async () => {
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'bad-part', ChecksumAlgorithm: 'CRC32' }));
    await expectS3Error(s3.send(new UploadPartCommand({ Bucket: bucket, Key: 'bad-part', UploadId, PartNumber: 1, Body: BODY, ChecksumCRC32: wrongChecksum('CRC32') })), {
      code: 'BadDigest',
      status: 400,
    });
  });
});

describe('checksums of SSE-C objects', () => {
  it('returns the plaintext checksum of an SSE-C object with its key', async () => {
    const s3 = onceClient(f, true);
    const bucket = await createBucket(s3, 'checksums-c');
    const key = customerKey();
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'c', Body: BODY, ChecksumAlgorithm: 'CRC64NVME', ...sseC(key) }));
    const get = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'c', ChecksumMode: 'ENABLED', ...sseC(key) }));
    expect(get.ChecksumCRC64NVME).toBe(checksumOf('CRC64NVME', BODY));
    expect((await bodyOf(get)).equals(BODY)).toBe(true);
  });
});
