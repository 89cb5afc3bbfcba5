// Wire contract: SSE-C single-part objects: response headers, ETags, and the error rows E10-E20 of S3-SSE.md.
import {
  DeleteObjectCommand,
  GetObjectAttributesCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bodyOf,
  createBucket,
  customerKey,
  expectRawError,
  expectS3Error,
  expectStoreServes,
  md5Base64,
  md5Hex,
  onceClient,
  sseC,
  sseCHeaders,
} from '../support/s3Expect.js';
import { objectPath, sendSigned } from '../support/signedRequest.js';
import { startStoreFixture, type StoreFixture } from '../support/storeFixture.js';

let f: StoreFixture;
let s3: S3Client;
let bucket: string;
const key = customerKey();
beforeAll(async () => {
  f = await startStoreFixture();
  s3 = onceClient(f, true);
  bucket = await createBucket(s3, 'sse-c');
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'secret', Body: 'customer data', Metadata: { visible: 'yes' }, ...sseC(key) }));
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'plain', Body: 'not sse-c' }));
});
afterAll(async () => {
  await f?.close();
});

const MSG = {
  insecure: 'Requests specifying Server Side Encryption with Customer provided keys must be made over a secure connection.',
  incompatible: 'Server Side Encryption with Customer provided key is incompatible with the encryption method specified',
  needAlgorithm: 'Requests specifying Server Side Encryption with Customer provided keys must provide a valid encryption algorithm.',
  needKey: 'Requests specifying Server Side Encryption with Customer provided keys must provide an appropriate secret key.',
  badAlgorithm: 'The Encryption request you specified is not valid. Supported value: AES256.',
  needMd5: 'Requests specifying Server Side Encryption with Customer provided keys must provide the client calculated MD5 of the secret key.',
  md5Mismatch: 'The calculated MD5 hash of the key did not match the hash that was provided.',
  badKey: 'The secret key was invalid for the specified algorithm.',
  keyRequired: 'The object was stored using a form of Server Side Encryption. The correct parameters must be provided to retrieve the object.',
  wrongKey: 'Requests specifying Server Side Encryption with Customer provided keys must provide the correct secret key.',
  notApplicable: 'The encryption parameters are not applicable to this object.',
};

describe('SSE-C objects over HTTPS', () => {
  it('echoes algorithm and key MD5 on Put, Get and Head, never the SSE header or the key', async () => {
    const put = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'echo', Body: 'echo body', ...sseC(key) }));
    expect(put.SSECustomerAlgorithm).toBe('AES256');
    expect(put.SSECustomerKeyMD5).toBe(key.md5);
    expect(put.ServerSideEncryption).toBeUndefined();
    const get = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'echo', ...sseC(key) }));
    expect((await bodyOf(get)).toString()).toBe('echo body');
    expect([get.SSECustomerAlgorithm, get.SSECustomerKeyMD5, get.ServerSideEncryption]).toEqual(['AES256', key.md5, undefined]);
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'echo', ...sseC(key) }));
    expect([head.SSECustomerAlgorithm, head.SSECustomerKeyMD5, head.ServerSideEncryption]).toEqual(['AES256', key.md5, undefined]);
    expect(head.ContentLength).toBe('echo body'.length);
    for (const method of ['GET', 'HEAD', 'PUT'] as const) {
      const raw = await sendSigned(f, { secure: true, method, path: objectPath(bucket, 'echo'), headers: sseCHeaders(key), body: method === 'PUT' ? 'echo body' : undefined });
      expect(raw.status).toBe(200);
      expect(raw.headers['x-amz-server-side-encryption']).toBeUndefined();
      expect(raw.headers['x-amz-server-side-encryption-customer-key']).toBeUndefined();
      expect(JSON.stringify(raw.headers)).not.toContain(key.base64);
    }
  });

  it('gives SSE-C objects ETags that are not the MD5 and differ on every write of the same body', async () => {
    const etags = new Set<string>();
    for (let i = 0; i < 3; i++) {
      const put = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'etag', Body: 'same body', ...sseC(key) }));
      expect(put.ETag).toMatch(/^"[0-9a-f]{32}"$/);
      expect(put.ETag).not.toBe(`"${md5Hex('same body')}"`);
      etags.add(put.ETag!);
    }
    expect(etags.size).toBe(3);
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'etag', ...sseC(key) }));
    expect(etags.has(head.ETag!)).toBe(true);
  });

  it('lists SSE-C objects without a key: plaintext size, stored ETag, no SSE fields', async () => {
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'secret' }));
    expect(listed.Contents?.[0]?.Size).toBe('customer data'.length);
    expect(listed.Contents?.[0]?.ETag).toBe((await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'secret', ...sseC(key) }))).ETag);
    expect(JSON.stringify(listed)).not.toMatch(/SSECustomer|ServerSideEncryption/);
  });

  it('returns user metadata and ranges with the key; GetObjectAttributes needs it too', async () => {
    const get = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'secret', Range: 'bytes=9-', ...sseC(key) }));
    expect((await bodyOf(get)).toString()).toBe('data');
    expect(get.Metadata).toEqual({ visible: 'yes' });
    const attrs = await s3.send(new GetObjectAttributesCommand({ Bucket: bucket, Key: 'secret', ObjectAttributes: ['ObjectSize', 'ETag'], ...sseC(key) }));
    expect(attrs.ObjectSize).toBe('customer data'.length);
    expect(JSON.stringify(attrs)).not.toMatch(/SSECustomer|ServerSideEncryption/);
    await expectS3Error(s3.send(new GetObjectAttributesCommand({ Bucket: bucket, Key: 'secret', ObjectAttributes: ['ObjectSize'] })), {
      code: 'InvalidRequest',
      status: 400,
      message: MSG.keyRequired,
    });
  });

  it('deletes an SSE-C object without its key', async () => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'to-delete', Body: 'x', ...sseC(key) }));
    expect((await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'to-delete' }))).$metadata.httpStatusCode).toBe(204);
    await expectS3Error(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'to-delete', ...sseC(key) })), { code: 'NotFound', status: 404 });
  });

  it('refuses to read an SSE-C object without the key (E18: GET 400 InvalidRequest, HEAD 400)', async () => {
    await expectS3Error(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'secret' })), { code: 'InvalidRequest', status: 400, message: MSG.keyRequired });
    await expectS3Error(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'secret' })), { code: 'Unknown', status: 400 });
  });

  it('refuses another key (E19: GET 403 AccessDenied, HEAD 403), a wrong-length key with a matching MD5 included', async () => {
    const other = customerKey();
    await expectS3Error(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'secret', ...sseC(other) })), { code: 'AccessDenied', status: 403, message: MSG.wrongKey });
    await expectS3Error(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'secret', ...sseC(other) })), { code: 'Unknown', status: 403 });
    const short = key.raw.subarray(0, 24);
    const wrongLength = { SSECustomerAlgorithm: 'AES256', SSECustomerKey: short as unknown as string };
    await expectS3Error(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'secret', ...wrongLength })), { code: 'AccessDenied', status: 403, message: MSG.wrongKey });
  });

  it('refuses an SSE-C key for an object that is not SSE-C (E20)', async () => {
    const expected = { code: 'InvalidRequest', status: 400, message: MSG.notApplicable };
    await expectS3Error(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'plain', ...sseC(key) })), expected);
    await expectS3Error(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'plain', ...sseC(key) })), { code: 'Unknown', status: 400 });
    await expectS3Error(s3.send(new GetObjectAttributesCommand({ Bucket: bucket, Key: 'plain', ObjectAttributes: ['ETag'], ...sseC(key) })), expected);
  });

  it('refuses SSE-C together with the SSE header (E11), checked before the algorithm', async () => {
    const e11 = { code: 'InvalidArgument', status: 400, message: MSG.incompatible };
    await expectS3Error(s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'e11', Body: 'x', ServerSideEncryption: 'AES256', ...sseC(key) })), e11);
    await expectS3Error(s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'e11', Body: 'x', ServerSideEncryption: 'aws:kms', ...sseC(key) })), e11);
    const raw = await sendSigned(f, {
      secure: true,
      method: 'PUT',
      path: objectPath(bucket, 'e11'),
      body: 'x',
      headers: { ...sseCHeaders(key), 'x-amz-server-side-encryption-customer-algorithm': 'KMS', 'x-amz-server-side-encryption': 'AES256' },
    });
    expectRawError(raw, e11);
    expect(raw.error?.details).toMatchObject({ ArgumentName: 'x-amz-server-side-encryption', ArgumentValue: 'AES256' });
  });

  it('refuses an incomplete or inconsistent trio on writes in S3 order (E12, E13, E14, E15, E16, E17)', async () => {
    const put = (headers: Record<string, string>) => sendSigned(f, { secure: true, method: 'PUT', path: objectPath(bucket, 'bad-trio'), body: 'x', headers });
    const { ['x-amz-server-side-encryption-customer-algorithm']: _a, ...noAlgorithm } = sseCHeaders(key);
    expectRawError(await put(noAlgorithm), { code: 'InvalidArgument', status: 400, message: MSG.needAlgorithm });
    expectRawError(await put({ 'x-amz-server-side-encryption-customer-key-md5': key.md5 }), { code: 'InvalidArgument', status: 400, message: MSG.needAlgorithm });
    expectRawError(await put({ 'x-amz-server-side-encryption-customer-algorithm': 'AES256' }), { code: 'InvalidArgument', status: 400, message: MSG.needKey });
    const badAlgorithm = await put({ ...sseCHeaders(key), 'x-amz-server-side-encryption-customer-algorithm': 'AES128' });
    expectRawError(badAlgorithm, { code: 'InvalidEncryptionAlgorithmError', status: 400, message: MSG.badAlgorithm });
    expect(badAlgorithm.error?.details).toMatchObject({ ArgumentName: 'x-amz-server-side-encryption', ArgumentValue: 'AES128' });
    const { ['x-amz-server-side-encryption-customer-key-md5']: _m, ...noMd5 } = sseCHeaders(key);
    expectRawError(await put(noMd5), { code: 'InvalidArgument', status: 400, message: MSG.needMd5 });
    const mismatch = await put({ ...sseCHeaders(key), 'x-amz-server-side-encryption-customer-key-md5': md5Base64('something else') });
    expectRawError(mismatch, { code: 'InvalidArgument', status: 400, message: MSG.md5Mismatch });
    expect(mismatch.error?.details['ArgumentName']).toBe('x-amz-server-side-encryption');
    expect(mismatch.error?.details['ArgumentValue']).toBe('');
    const short = key.raw.subarray(0, 16);
    const shortKey = await put({ ...sseCHeaders(key), 'x-amz-server-side-encryption-customer-key': short.toString('base64'), 'x-amz-server-side-encryption-customer-key-md5': md5Base64(short) });
    expectRawError(shortKey, { code: 'InvalidArgument', status: 400, message: MSG.badKey });
    const notBase64 = await put({ ...sseCHeaders(key), 'x-amz-server-side-encryption-customer-key': '#'.repeat(44), 'x-amz-server-side-encryption-customer-key-md5': md5Base64(Buffer.alloc(0)) });
    expectRawError(notBase64, { code: 'InvalidArgument', status: 400, message: MSG.badKey });
    await expectS3Error(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'bad-trio', ...sseC(key) })), { code: 'NotFound', status: 404 });
  });

  it('refuses a 16-byte key sent by the SDK (E17) and an algorithm other than AES256 on GET and HEAD (E14)', async () => {
    const sixteen = { SSECustomerAlgorithm: 'AES256', SSECustomerKey: key.raw.subarray(0, 16) as unknown as string };
    await expectS3Error(s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'e17', Body: 'x', ...sixteen })), { code: 'InvalidArgument', status: 400, message: MSG.badKey });
    const aes128 = { ...sseC(key), SSECustomerAlgorithm: 'AES128' };
    await expectS3Error(s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'e14', Body: 'x', ...aes128 })), {
      code: 'InvalidEncryptionAlgorithmError',
      status: 400,
      message: MSG.badAlgorithm,
    });
    await expectS3Error(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'secret', ...aes128 })), { code: 'InvalidEncryptionAlgorithmError', status: 400, message: MSG.badAlgorithm });
    await expectS3Error(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'secret', ...aes128 })), { code: 'Unknown', status: 400 });
    const mismatch = await sendSigned(f, { secure: true, path: objectPath(bucket, 'secret'), headers: { ...sseCHeaders(key), 'x-amz-server-side-encryption-customer-key-md5': md5Base64('x') } });
    expectRawError(mismatch, { code: 'InvalidArgument', status: 400, message: MSG.md5Mismatch });
    await expectStoreServes(s3, bucket);
  });
});

describe('SSE-C over plain HTTP (E10)', () => {
  const E10 = { code: 'InvalidRequest', status: 400, message: MSG.insecure };

  it('refuses every SSE-C request over HTTP before looking at the key, HEAD with a bare 400', async () => {
    const http = onceClient(f, false);
    await expectS3Error(http.send(new PutObjectCommand({ Bucket: bucket, Key: 'insecure', Body: 'x', ...sseC(key) })), E10);
    await expectS3Error(http.send(new GetObjectCommand({ Bucket: bucket, Key: 'secret', ...sseC(key) })), E10);
    await expectS3Error(http.send(new HeadObjectCommand({ Bucket: bucket, Key: 'secret', ...sseC(key) })), { code: 'Unknown', status: 400 });
    await expectS3Error(http.send(new GetObjectAttributesCommand({ Bucket: bucket, Key: 'secret', ObjectAttributes: ['ETag'], ...sseC(key) })), E10);
    await expectS3Error(http.send(new GetObjectCommand({ Bucket: bucket, Key: 'plain', ...sseC(key) })), E10);
    const garbage = await sendSigned(f, { method: 'PUT', path: objectPath(bucket, 'insecure'), body: 'x', headers: { 'x-amz-server-side-encryption-customer-algorithm': 'nonsense' } });
    expectRawError(garbage, E10);
    const head = await sendSigned(f, { method: 'HEAD', path: objectPath(bucket, 'secret'), headers: sseCHeaders(key) });
    expect([head.status, head.body.length]).toEqual([400, 0]);
    await expectS3Error(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'insecure', ...sseC(key) })), { code: 'NotFound', status: 404 });
    await expectStoreServes(http, bucket);
  });

  it('serves SSE-C over HTTP only when the store allows it (allowInsecureSseC)', async () => {
    const g = await startStoreFixture({ allowInsecureSseC: true });
    try {
      const http = onceClient(g, false);
      const b = await createBucket(http, 'insecure-ok');
      const put = await http.send(new PutObjectCommand({ Bucket: b, Key: 'k', Body: 'over http', ...sseC(key) }));
      expect(put.SSECustomerKeyMD5).toBe(key.md5);
      expect((await bodyOf(await http.send(new GetObjectCommand({ Bucket: b, Key: 'k', ...sseC(key) })))).toString()).toBe('over http');
      await expectS3Error(http.send(new GetObjectCommand({ Bucket: b, Key: 'k' })), { code: 'InvalidRequest', status: 400, message: MSG.keyRequired });
    } finally {
      await g.close();
    }
  });
});
