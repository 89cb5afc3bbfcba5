// Wire contract: presigned (query-signed SigV4) GET and PUT URLs, signed SSE headers (R1.6), expiry, tampering, unsigned headers.
// @aws-sdk/s3-request-presigner is not installed; URLs are presigned with @smithy/signature-v4 the way it does.
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bodyOf, createBucket, customerKey, expectRawError, expectStoreServes, md5Hex, onceClient, sseC, sseCHeaders, TRANSPORTS } from '../support/s3Expect.js';
import { fetchPresigned, objectPath, presignUrl } from '../support/signedRequest.js';
import { startStoreFixture, type StoreFixture } from '../support/storeFixture.js';

let f: StoreFixture;
beforeAll(async () => {
  f = await startStoreFixture();
});
afterAll(async () => {
  await f?.close();
});

describe.each(TRANSPORTS)('presigned URLs over $name', ({ secure }) => {
  let s3: S3Client;
  let bucket: string;
  beforeAll(async () => {
    s3 = onceClient(f, secure);
    bucket = await createBucket(s3, 'presigned');
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'dir/report 1.txt', Body: 'presigned body', ContentType: 'text/plain' }));
  });

  it('serves a presigned GET, including a key that needs escaping', async () => {
    const url = await presignUrl(f, { method: 'GET', path: objectPath(bucket, 'dir/report 1.txt'), secure });
    expect(url.href).toContain('X-Amz-Signature=');
    const res = await fetchPresigned(f, url, 'GET', { secure });
    expect(res.status).toBe(200);
    expect(res.body.toString()).toBe('presigned body');
    expect(res.headers['content-type']).toBe('text/plain');
    expect(res.headers['x-amz-server-side-encryption']).toBe('AES256');
  });

  it('applies response-* overrides signed into a presigned GET', async () => {
    const url = await presignUrl(f, { method: 'GET', path: objectPath(bucket, 'dir/report 1.txt'), query: { 'response-content-disposition': 'attachment; filename="r.txt"' }, secure });
    const res = await fetchPresigned(f, url, 'GET', { secure });
    expect(res.headers['content-disposition']).toBe('attachment; filename="r.txt"');
  });

  it('stores a presigned PUT as an SSE-S3 object with an MD5 ETag', async () => {
    const url = await presignUrl(f, { method: 'PUT', path: objectPath(bucket, 'uploaded'), secure });
    const res = await fetchPresigned(f, url, 'PUT', { secure, body: 'put through a URL' });
    expect(res.status).toBe(200);
    expect(res.headers.etag).toBe(`"${md5Hex('put through a URL')}"`);
    expect(res.headers['x-amz-server-side-encryption']).toBe('AES256');
    expect((await bodyOf(await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'uploaded' })))).toString()).toBe('put through a URL');
  });

  it('requires the signed SSE header of a presigned PUT to be sent, and applies it', async () => {
    const url = await presignUrl(f, { method: 'PUT', path: objectPath(bucket, 'with-sse'), headers: { 'x-amz-server-side-encryption': 'AES256' }, secure });
    expect(url.headers['x-amz-server-side-encryption']).toBe('AES256');
    const ok = await fetchPresigned(f, url, 'PUT', { secure, body: 'sse' });
    expect(ok.status).toBe(200);
    expect(ok.headers['x-amz-server-side-encryption']).toBe('AES256');
    const { ['x-amz-server-side-encryption']: _dropped, ...without } = url.headers;
    const missing = await fetchPresigned(f, { ...url, headers: without }, 'PUT', { secure, body: 'sse' });
    expectRawError(missing, { code: 'SignatureDoesNotMatch', status: 403 });
  });

  it('applies an SSE value hoisted into the query string, as older presigners send it (R1.6)', async () => {
    const aes = await presignUrl(f, { method: 'PUT', path: objectPath(bucket, 'hoisted'), headers: { 'x-amz-server-side-encryption': 'AES256' }, hoist: ['x-amz-server-side-encryption'], secure });
    expect(aes.headers['x-amz-server-side-encryption']).toBeUndefined();
    expect(aes.url).toContain('x-amz-server-side-encryption=AES256');
    const ok = await fetchPresigned(f, aes, 'PUT', { secure, body: 'hoisted' });
    expect(ok.status).toBe(200);
    expect(ok.headers['x-amz-server-side-encryption']).toBe('AES256');
    // Not silently ignored: a hoisted aws:kms is applied (the aws/s3 managed key, as no key id came with it)...
    const kms = await presignUrl(f, { method: 'PUT', path: objectPath(bucket, 'hoisted-kms'), headers: { 'x-amz-server-side-encryption': 'aws:kms' }, hoist: ['x-amz-server-side-encryption'], secure });
    const kmsPut = await fetchPresigned(f, kms, 'PUT', { secure, body: 'x' });
    expect(kmsPut.status).toBe(200);
    expect(kmsPut.headers['x-amz-server-side-encryption']).toBe('aws:kms');
    expect(kmsPut.headers['x-amz-server-side-encryption-aws-kms-key-id']).toBe(f.store.services.kms.describeKey({ keyId: 'alias/aws/s3' }).arn);
    // ...and so is a hoisted key id: an unknown one is refused as it would be in a header.
    const kmsHeaders = { 'x-amz-server-side-encryption': 'aws:kms', 'x-amz-server-side-encryption-aws-kms-key-id': 'fake-key-id' };
    const unknown = await presignUrl(f, { method: 'PUT', path: objectPath(bucket, 'hoisted-kms-id'), headers: kmsHeaders, hoist: Object.keys(kmsHeaders), secure });
    expectRawError(await fetchPresigned(f, unknown, 'PUT', { secure, body: 'x' }), { code: 'KMS.NotFoundException', status: 400, message: "Invalid keyId 'fake-key-id'" });
    const bogus = await presignUrl(f, { method: 'PUT', path: objectPath(bucket, 'hoisted-bad'), headers: { 'x-amz-server-side-encryption': 'aes256' }, hoist: ['x-amz-server-side-encryption'], secure });
    expectRawError(await fetchPresigned(f, bogus, 'PUT', { secure, body: 'x' }), { code: 'InvalidArgument', status: 400, message: 'The encryption method specified is not supported' });
  });

  it('refuses x-amz-* headers that were not signed (403 AccessDenied, HeadersNotSigned)', async () => {
    const url = await presignUrl(f, { method: 'PUT', path: objectPath(bucket, 'unsigned-header'), secure });
    const res = await fetchPresigned(f, url, 'PUT', { secure, body: 'x', extraHeaders: { 'x-amz-server-side-encryption': 'AES256', 'x-amz-meta-note': 'n' } });
    expectRawError(res, { code: 'AccessDenied', status: 403, message: 'There were headers present in the request which were not signed' });
    expect(res.error?.details['HeadersNotSigned']).toBe('x-amz-meta-note, x-amz-server-side-encryption');
  });

  it('refuses an expired URL (403 AccessDenied "Request has expired")', async () => {
    const url = await presignUrl(f, { method: 'GET', path: objectPath(bucket, 'dir/report 1.txt'), expiresIn: 60, signingDate: new Date(Date.now() - 3_600_000), secure });
    expectRawError(await fetchPresigned(f, url, 'GET', { secure }), { code: 'AccessDenied', status: 403, message: 'Request has expired' });
  });

  it('refuses a URL whose path, query or signature was altered (403 SignatureDoesNotMatch)', async () => {
    const url = await presignUrl(f, { method: 'GET', path: objectPath(bucket, 'dir/report 1.txt'), secure });
    const otherKey = { ...url, url: url.url.replace('report%201.txt', 'report%202.txt') };
    expectRawError(await fetchPresigned(f, otherKey, 'GET', { secure }), { code: 'SignatureDoesNotMatch', status: 403 });
    const longer = { ...url, url: url.url.replace('X-Amz-Expires=900', 'X-Amz-Expires=901') };
    expectRawError(await fetchPresigned(f, longer, 'GET', { secure }), { code: 'SignatureDoesNotMatch', status: 403 });
    const forged = { ...url, url: url.url.replace(/X-Amz-Signature=([0-9a-f])/, (_, c: string) => `X-Amz-Signature=${c === '0' ? '1' : '0'}`) };
    expectRawError(await fetchPresigned(f, forged, 'GET', { secure }), { code: 'SignatureDoesNotMatch', status: 403 });
    expectRawError(await fetchPresigned(f, url, 'PUT', { secure, body: 'x' }), { code: 'SignatureDoesNotMatch', status: 403 });
    await expectStoreServes(s3, bucket);
  });
});

describe('presigned URLs for SSE-C objects', () => {
  it('serves a presigned GET of an SSE-C object over HTTPS when the signed trio is sent, as headers or hoisted', async () => {
    const s3 = onceClient(f, true);
    const bucket = await createBucket(s3, 'presigned-c');
    const key = customerKey();
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'c', Body: 'customer', ...sseC(key) }));
    const path = objectPath(bucket, 'c');
    const url = await presignUrl(f, { method: 'GET', path, headers: sseCHeaders(key), secure: true });
    const res = await fetchPresigned(f, url, 'GET', { secure: true });
    expect(res.status).toBe(200);
    expect(res.body.toString()).toBe('customer');
    expect(res.headers['x-amz-server-side-encryption-customer-key-md5']).toBe(key.md5);
    const hoisted = await presignUrl(f, { method: 'GET', path, headers: sseCHeaders(key), hoist: Object.keys(sseCHeaders(key)), secure: true });
    expect((await fetchPresigned(f, hoisted, 'GET', { secure: true })).body.toString()).toBe('customer');
    const noKey = await presignUrl(f, { method: 'GET', path, secure: true });
    expectRawError(await fetchPresigned(f, noKey, 'GET', { secure: true }), { code: 'InvalidRequest', status: 400 });
    const overHttp = await presignUrl(f, { method: 'GET', path, headers: sseCHeaders(key), hoist: Object.keys(sseCHeaders(key)) });
    expectRawError(await fetchPresigned(f, overHttp, 'GET'), {
      code: 'InvalidRequest',
      status: 400,
      message: 'Requests specifying Server Side Encryption with Customer provided keys must be made over a secure connection.',
    });
  });

  it('stores a presigned SSE-C PUT under the signed key', async () => {
    const s3 = onceClient(f, true);
    const bucket = await createBucket(s3, 'presigned-c-put');
    const key = customerKey();
    const url = await presignUrl(f, { method: 'PUT', path: objectPath(bucket, 'c'), headers: sseCHeaders(key), secure: true });
    const res = await fetchPresigned(f, url, 'PUT', { secure: true, body: 'customer put' });
    expect(res.status).toBe(200);
    expect(res.headers['x-amz-server-side-encryption-customer-key-md5']).toBe(key.md5);
    expect((await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'c', ...sseC(key) }))).ContentLength).toBe('customer put'.length);
  });
});
