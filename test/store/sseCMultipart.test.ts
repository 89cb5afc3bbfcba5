// Wire contract: SSE-C multipart uploads: part and completion headers and ETags, the part key rules E21/E22, E2 and E10 on parts.
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  ListPartsCommand,
  UploadPartCommand,
  UploadPartCopyCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIB5, multipartEtag } from '../support/multipart.js';
import { bodyOf, copySourceSseC, createBucket, customerKey, expectRawError, expectS3Error, md5Hex, onceClient, patternBytes, sseC, sseCHeaders } from '../support/s3Expect.js';
import { objectPath, sendSigned } from '../support/signedRequest.js';
import { startStoreFixture, type StoreFixture } from '../support/storeFixture.js';

let f: StoreFixture;
let s3: S3Client;
let bucket: string;
const key = customerKey();
beforeAll(async () => {
  f = await startStoreFixture();
  s3 = onceClient(f, true);
  bucket = await createBucket(s3, 'sse-c-mpu');
});
afterAll(async () => {
  await f?.close();
});

const E21 = {
  code: 'InvalidRequest',
  status: 400,
  message: 'The multipart upload initiate requested encryption. Subsequent part requests must include the appropriate encryption parameters.',
};
const E22 = { code: 'InvalidRequest', status: 400, message: 'The provided encryption parameters did not match the ones used originally.' };

async function startUpload(objectKey: string, sse: Record<string, string> = sseC(key)): Promise<string> {
  const create = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: objectKey, ...sse }));
  return create.UploadId!;
}

describe('SSE-C multipart uploads over HTTPS', () => {
  it('echoes the key MD5 on Create and UploadPart, gives opaque part ETags, and completes without the key or any echo', async () => {
    const create = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'mpu', ...sseC(key) }));
    expect([create.SSECustomerAlgorithm, create.SSECustomerKeyMD5, create.ServerSideEncryption]).toEqual(['AES256', key.md5, undefined]);
    const UploadId = create.UploadId;
    const bodies = [patternBytes(MIB5, 5), patternBytes(777, 6)];
    const etags: string[] = [];
    for (const [i, Body] of bodies.entries()) {
      const part = await s3.send(new UploadPartCommand({ Bucket: bucket, Key: 'mpu', UploadId, PartNumber: i + 1, Body, ...sseC(key) }));
      expect([part.SSECustomerAlgorithm, part.SSECustomerKeyMD5, part.ServerSideEncryption]).toEqual(['AES256', key.md5, undefined]);
      expect(part.ETag).toMatch(/^"[0-9a-f]{32}"$/);
      expect(part.ETag).not.toBe(`"${md5Hex(Body)}"`);
      etags.push(part.ETag!);
    }
    const listed = await s3.send(new ListPartsCommand({ Bucket: bucket, Key: 'mpu', UploadId }));
    expect(listed.Parts?.map((p) => [p.Size, p.ETag])).toEqual(bodies.map((b, i) => [b.length, etags[i]]));
    const complete = await s3.send(
      new CompleteMultipartUploadCommand({ Bucket: bucket, Key: 'mpu', UploadId, MultipartUpload: { Parts: etags.map((ETag, i) => ({ PartNumber: i + 1, ETag })) } }),
    );
    expect(complete.ETag).toBe(multipartEtag(etags));
    expect(complete.ServerSideEncryption).toBeUndefined();
    const get = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'mpu', ...sseC(key) }));
    expect(get.SSECustomerKeyMD5).toBe(key.md5);
    expect(get.ETag).toBe(complete.ETag);
    expect((await bodyOf(get)).equals(Buffer.concat(bodies))).toBe(true);
    await expectS3Error(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'mpu' })), { code: 'InvalidRequest', status: 400 });
    await expectS3Error(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'mpu', ...sseC(customerKey()) })), { code: 'AccessDenied', status: 403 });
  });

  it('accepts the right key on Complete and refuses another (E22)', async () => {
    const UploadId = await startUpload('complete-key');
    const part = await s3.send(new UploadPartCommand({ Bucket: bucket, Key: 'complete-key', UploadId, PartNumber: 1, Body: 'p', ...sseC(key) }));
    const complete = (sse: Record<string, string>) =>
      s3.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: 'complete-key', UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] }, ...sse }));
    await expectS3Error(complete(sseC(customerKey())), E22);
    const body = `<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>${part.ETag}</ETag></Part></CompleteMultipartUpload>`;
    const done = await sendSigned(f, { secure: true, method: 'POST', path: objectPath(bucket, 'complete-key'), query: { uploadId: UploadId }, body, headers: sseCHeaders(key) });
    expect(done.status).toBe(200);
    expect(done.body.toString()).toContain(`<ETag>${multipartEtag([part.ETag!]).replace(/"/g, '&quot;')}</ETag>`);
    // No SSE-C echo on Complete, as AWS answers (S3-SSE.md 1.2), and never an SSE header for an SSE-C object.
    for (const name of ['x-amz-server-side-encryption', 'x-amz-server-side-encryption-customer-algorithm', 'x-amz-server-side-encryption-customer-key-md5']) {
      expect(done.headers[name]).toBeUndefined();
    }
  });

  it('refuses a part without the key, and a part with a key on an upload that is not SSE-C (E21)', async () => {
    const UploadId = await startUpload('no-key');
    await expectS3Error(s3.send(new UploadPartCommand({ Bucket: bucket, Key: 'no-key', UploadId, PartNumber: 1, Body: 'x' })), E21);
    const plainUpload = await startUpload('plain-upload', {});
    await expectS3Error(s3.send(new UploadPartCommand({ Bucket: bucket, Key: 'plain-upload', UploadId: plainUpload, PartNumber: 1, Body: 'x', ...sseC(key) })), E21);
    expect((await s3.send(new ListPartsCommand({ Bucket: bucket, Key: 'no-key', UploadId }))).Parts ?? []).toEqual([]);
  });

  it('refuses a part under another key than the upload was started with (E22)', async () => {
    const UploadId = await startUpload('other-key');
    await expectS3Error(s3.send(new UploadPartCommand({ Bucket: bucket, Key: 'other-key', UploadId, PartNumber: 1, Body: 'x', ...sseC(customerKey()) })), E22);
    const ok = await s3.send(new UploadPartCommand({ Bucket: bucket, Key: 'other-key', UploadId, PartNumber: 1, Body: 'x', ...sseC(key) }));
    expect(ok.SSECustomerKeyMD5).toBe(key.md5);
  });

  it('refuses the SSE header on a part of an SSE-C upload (E2)', async () => {
    const UploadId = await startUpload('sse-on-part');
    const res = await sendSigned(f, {
      secure: true,
      method: 'PUT',
      path: objectPath(bucket, 'sse-on-part'),
      query: { partNumber: '1', uploadId: UploadId },
      body: 'x',
      headers: { ...sseCHeaders(key), 'x-amz-server-side-encryption': 'AES256' },
    });
    expectRawError(res, { code: 'InvalidArgument', status: 400, message: 'x-amz-server-side-encryption header is not supported for this operation.' });
  });

  it('validates the part trio like a write (E14, E16)', async () => {
    const UploadId = await startUpload('bad-part-trio');
    const part = (headers: Record<string, string>) =>
      sendSigned(f, { secure: true, method: 'PUT', path: objectPath(bucket, 'bad-part-trio'), query: { partNumber: '1', uploadId: UploadId }, body: 'x', headers });
    expectRawError(await part({ ...sseCHeaders(key), 'x-amz-server-side-encryption-customer-algorithm': 'AES128' }), {
      code: 'InvalidEncryptionAlgorithmError',
      status: 400,
      message: 'The Encryption request you specified is not valid. Supported value: AES256.',
    });
    expectRawError(await part({ ...sseCHeaders(key), 'x-amz-server-side-encryption-customer-key-md5': key.md5.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')) }), {
      code: 'InvalidArgument',
      status: 400,
      message: 'The calculated MD5 hash of the key did not match the hash that was provided.',
    });
  });

  it('refuses SSE-C parts and SSE-C uploads over plain HTTP (E10)', async () => {
    const http = onceClient(f, false);
    const E10 = { code: 'InvalidRequest', status: 400, message: 'Requests specifying Server Side Encryption with Customer provided keys must be made over a secure connection.' };
    await expectS3Error(http.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'http-mpu', ...sseC(key) })), E10);
    const UploadId = await startUpload('http-part');
    await expectS3Error(http.send(new UploadPartCommand({ Bucket: bucket, Key: 'http-part', UploadId, PartNumber: 1, Body: 'x', ...sseC(key) })), E10);
    await expectS3Error(
      http.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: 'http-part', UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: '"x"' }] }, ...sseC(key) })),
      E10,
    );
    await s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: 'http-part', UploadId }));
  });

  it('copies parts from an SSE-C source into an SSE-C upload under another key (UploadPartCopy)', async () => {
    const sourceKey = customerKey();
    const source = patternBytes(MIB5 + 10, 8);
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'copy-src', Body: source, ...sseC(sourceKey) }));
    const UploadId = await startUpload('copy-dst');
    const copyPart = (PartNumber: number, range: string, extra: Record<string, string>) =>
      s3.send(new UploadPartCopyCommand({ Bucket: bucket, Key: 'copy-dst', UploadId, PartNumber, CopySource: `${bucket}/copy-src`, CopySourceRange: range, ...extra }));
    await expectS3Error(copyPart(1, `bytes=0-${MIB5 - 1}`, sseC(key)), {
      code: 'InvalidRequest',
      status: 400,
      message: 'The object was stored using a form of Server Side Encryption. The correct parameters must be provided to retrieve the object.',
    });
    await expectS3Error(copyPart(1, `bytes=0-${MIB5 - 1}`, copySourceSseC(sourceKey)), E21);
    await expectS3Error(copyPart(1, `bytes=0-${MIB5 - 1}`, { ...sseC(key), ...copySourceSseC(key) }), { code: 'AccessDenied', status: 403 });
    const first = await copyPart(1, `bytes=0-${MIB5 - 1}`, { ...sseC(key), ...copySourceSseC(sourceKey) });
    expect([first.SSECustomerAlgorithm, first.SSECustomerKeyMD5, first.ServerSideEncryption]).toEqual(['AES256', key.md5, undefined]);
    expect(first.CopyPartResult?.ETag).not.toBe(`"${md5Hex(source.subarray(0, MIB5))}"`);
    const second = await copyPart(2, `bytes=${MIB5}-${source.length - 1}`, { ...sseC(key), ...copySourceSseC(sourceKey) });
    const etags = [first.CopyPartResult!.ETag!, second.CopyPartResult!.ETag!];
    await s3.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: 'copy-dst', UploadId, MultipartUpload: { Parts: etags.map((ETag, i) => ({ PartNumber: i + 1, ETag })) } }));
    const get = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'copy-dst', ...sseC(key) }));
    expect((await bodyOf(get)).equals(source)).toBe(true);
  });
});
