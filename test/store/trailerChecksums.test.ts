// Wire contract: SHA-1 and SHA-256 checksums sent as aws-chunked trailers (unsigned and signed forms) to a live store, and header-signed UNSIGNED-PAYLOAD PUTs.
import { GetObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeSignedChunks, encodeUnsignedChunks, testSigningKey } from '../core/store/auth/chunkedBodies.js';
import { NodeSha256 } from '../core/store/auth/sigv4Support.js';
import { checksumMember, checksumOf, type Algorithm } from '../support/checksums.js';
import { bodyOf, createBucket, customerKey, expectRawError, expectS3Error, md5Base64, md5Hex, onceClient, patternBytes, sseC, sseCHeaders, TRANSPORTS } from '../support/s3Expect.js';
import { objectPath, sendRaw, sendSigned, type RawResponse } from '../support/signedRequest.js';
import { startStoreFixture, TEST_CREDENTIALS, type StoreFixture } from '../support/storeFixture.js';

/** 64 KiB, the chunk size the SDKs stream with. */
const CHUNK_BYTES = 64 * 1024;
const BODY = patternBytes(3 * CHUNK_BYTES + 1234, 41);
const TRAILER_ALGORITHMS: readonly Algorithm[] = ['SHA1', 'SHA256'];

let f: StoreFixture;
beforeAll(async () => {
  f = await startStoreFixture();
});
afterAll(async () => {
  await f?.close();
});

const signer = new SignatureV4({ service: 's3', region: 'us-east-1', credentials: TEST_CREDENTIALS, sha256: NodeSha256, uriEscapePath: false, applyChecksum: true });

function trailerName(algorithm: Algorithm): string {
  return `x-amz-checksum-${algorithm.toLowerCase()}`;
}

/** A value of the right length for the algorithm, but of other bytes. */
function wrongValue(algorithm: Algorithm): string {
  return checksumOf(algorithm, Buffer.from('not the body'));
}

type Form = 'unsigned' | 'signed';

/** PUTs `data` as an aws-chunked body whose trailer carries `trailers`: STREAMING-UNSIGNED-PAYLOAD-TRAILER or the signed-trailer form. */
async function putWithTrailer(
  form: Form,
  secure: boolean,
  path: string,
  data: Buffer,
  trailers: Record<string, string>,
  extra: Record<string, string> = {},
  /** Signed form only: after signing, the trailer carries these values instead (same lengths). */
  swapTrailers?: Record<string, string>,
): Promise<RawResponse> {
  const head = {
    'content-encoding': 'aws-chunked',
    'x-amz-decoded-content-length': String(data.length),
    'x-amz-trailer': Object.keys(trailers).join(','),
    ...extra,
  };
  if (form === 'unsigned') {
    const body = encodeUnsignedChunks(data, CHUNK_BYTES, trailers);
    return sendSigned(f, { secure, method: 'PUT', path, body, headers: { ...head, 'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER' } });
  }
  // The head is signed first; every chunk and the trailer are then chained from its signature.
  const listener = new URL(secure ? f.httpsUrl : f.httpUrl);
  const headers = { host: listener.host, ...head, 'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER' };
  const signed = await signer.sign({ method: 'PUT', protocol: listener.protocol, hostname: listener.hostname, path, query: {}, headers }, { signingDate: new Date() });
  const out = signed.headers as Record<string, string>;
  const seed = /Signature=([0-9a-f]{64})/.exec(out['authorization']!)![1]!;
  const amzDate = out['x-amz-date']!;
  const day = amzDate.slice(0, 8);
  const signing = { key: testSigningKey(TEST_CREDENTIALS.secretAccessKey, day, 'us-east-1'), amzDate, scope: `${day}/us-east-1/s3/aws4_request`, seed };
  let body = encodeSignedChunks(data, CHUNK_BYTES, signing, trailers);
  for (const [name, value] of Object.entries(swapTrailers ?? {})) {
    const signedLine = Buffer.from(`${name}:${trailers[name]}\r\n`);
    const at = body.lastIndexOf(signedLine);
    if (at < 0) throw new Error(`no ${name} trailer to swap`);
    body = Buffer.concat([body.subarray(0, at), Buffer.from(`${name}:${value}\r\n`), body.subarray(at + signedLine.length)]);
  }
  return sendRaw(f, secure, { method: 'PUT', url: path, headers: { ...out, 'content-length': String(body.length) }, body });
}

describe.each(TRANSPORTS)('trailer checksums over $name', ({ secure }) => {
  let s3: S3Client;
  let bucket: string;
  beforeAll(async () => {
    s3 = onceClient(f, secure);
    bucket = await createBucket(s3, 'trailers');
  });

  describe.each(['unsigned', 'signed'] as const)('%s trailer', (form) => {
    it.each(TRAILER_ALGORITHMS)('stores a correct %s trailer and returns it on GET and HEAD with ChecksumMode ENABLED', async (algorithm) => {
      const key = `${form}-${algorithm}`;
      const value = checksumOf(algorithm, BODY);
      const put = await putWithTrailer(form, secure, objectPath(bucket, key), BODY, { [trailerName(algorithm)]: value });
      expect(put.status, put.body.toString()).toBe(200);
      expect(put.headers[trailerName(algorithm)]).toBe(value);
      expect(put.headers['etag']).toBe(`"${md5Hex(BODY)}"`);
      const get = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, ChecksumMode: 'ENABLED' }));
      expect(get[checksumMember(algorithm)]).toBe(value);
      expect(get.ChecksumType).toBe('FULL_OBJECT');
      // The SDK checks the body against the returned checksum as it reads it.
      expect((await bodyOf(get)).equals(BODY)).toBe(true);
      const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key, ChecksumMode: 'ENABLED' }));
      expect(head[checksumMember(algorithm)]).toBe(value);
      expect(head.ContentLength).toBe(BODY.length);
    });

    it.each(TRAILER_ALGORITHMS)('refuses a wrong %s trailer with 400 BadDigest, storing nothing and keeping the previous object', async (algorithm) => {
      const fresh = `${form}-bad-${algorithm}`;
      const bad = await putWithTrailer(form, secure, objectPath(bucket, fresh), BODY, { [trailerName(algorithm)]: wrongValue(algorithm) });
      expectRawError(bad, { code: 'BadDigest', status: 400, message: `The ${algorithm} you specified did not match the calculated checksum.` });
      await expectS3Error(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: fresh })), { code: 'NotFound', status: 404 });

      const kept = `${form}-kept-${algorithm}`;
      const first = patternBytes(5000, 3);
      expect((await putWithTrailer(form, secure, objectPath(bucket, kept), first, { [trailerName(algorithm)]: checksumOf(algorithm, first) })).status).toBe(200);
      const overwrite = await putWithTrailer(form, secure, objectPath(bucket, kept), BODY, { [trailerName(algorithm)]: wrongValue(algorithm) });
      expect([overwrite.status, overwrite.error?.code]).toEqual([400, 'BadDigest']);
      const get = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: kept, ChecksumMode: 'ENABLED' }));
      expect(get[checksumMember(algorithm)]).toBe(checksumOf(algorithm, first));
      expect((await bodyOf(get)).equals(first)).toBe(true);
    });
  });
});

describe('signed trailer changed after signing', () => {
  it.each(TRAILER_ALGORITHMS)('refuses a %s trailer that no longer matches its trailer signature with 403 SignatureDoesNotMatch, storing nothing', async (algorithm) => {
    const s3 = onceClient(f, false);
    const bucket = await createBucket(s3, 'trailer-sig');
    const name = trailerName(algorithm);
    // Signed over a wrong value, then swapped for the right one: only the trailer signature can catch it.
    const res = await putWithTrailer('signed', false, objectPath(bucket, 'swapped'), BODY, { [name]: wrongValue(algorithm) }, {}, { [name]: checksumOf(algorithm, BODY) });
    expectRawError(res, { code: 'SignatureDoesNotMatch', status: 403 });
    await expectS3Error(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'swapped' })), { code: 'NotFound', status: 404 });
  });
});

describe('trailer checksum of an SSE-C object over HTTPS', () => {
  it('stores the plaintext SHA-256 from an unsigned trailer and returns it with the key', async () => {
    const s3 = onceClient(f, true);
    const bucket = await createBucket(s3, 'trailers-c');
    const key = customerKey();
    const value = checksumOf('SHA256', BODY);
    const put = await putWithTrailer('unsigned', true, objectPath(bucket, 'c'), BODY, { 'x-amz-checksum-sha256': value }, sseCHeaders(key));
    expect(put.status, put.body.toString()).toBe(200);
    expect(put.headers['x-amz-server-side-encryption-customer-key-md5']).toBe(key.md5);
    const get = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'c', ChecksumMode: 'ENABLED', ...sseC(key) }));
    expect(get.ChecksumSHA256).toBe(value);
    expect((await bodyOf(get)).equals(BODY)).toBe(true);
    const bad = await putWithTrailer('unsigned', true, objectPath(bucket, 'c-bad'), BODY, { 'x-amz-checksum-sha256': wrongValue('SHA256') }, sseCHeaders(key));
    expectRawError(bad, { code: 'BadDigest', status: 400, message: 'The SHA256 you specified did not match the calculated checksum.' });
    await expectS3Error(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'c-bad', ...sseC(key) })), { code: 'NotFound', status: 404 });
  });
});

describe.each(TRANSPORTS)('header-signed UNSIGNED-PAYLOAD PUT over $name', ({ secure }) => {
  it('stores the body and reads it back; Content-MD5 is still checked', async () => {
    const s3 = onceClient(f, secure);
    const bucket = await createBucket(s3, 'unsigned-payload');
    const path = objectPath(bucket, 'plain');
    const put = await sendSigned(f, { secure, method: 'PUT', path, body: BODY, headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } });
    expect(put.status, put.body.toString()).toBe(200);
    expect(put.headers['etag']).toBe(`"${md5Hex(BODY)}"`);
    expect((await bodyOf(await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'plain' })))).equals(BODY)).toBe(true);

    // Nothing vouches for an unsigned payload but Content-MD5: a mismatch must be refused, not stored.
    const bad = await sendSigned(f, { secure, method: 'PUT', path: objectPath(bucket, 'bad-md5'), body: BODY, headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD', 'content-md5': md5Base64('other') } });
    expectRawError(bad, { code: 'BadDigest', status: 400 });
    await expectS3Error(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'bad-md5' })), { code: 'NotFound', status: 404 });
  });
});
