// Payload reading: the AWS documentation's streaming examples verify byte for byte; tampered chunks, trailers, hashes and lengths fail as S3 does.
import { createHash, randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

import { describe, expect, it } from 'vitest';

import { type AuthContext, readPayload, storedContentEncoding, verifyRequest } from '../../../../main/core/store/auth/index.js';
import { S3Error } from '../../../../main/core/store/errors.js';
import { planChecksums, createPlanHasher, verifyChecksums } from '../../../../main/core/store/integrity/index.js';
import {
  collect,
  encodeSignedChunks,
  encodeUnsignedChunks,
  iterate,
  randomSplit,
  rng,
  testSigningKey,
} from './chunkedBodies.js';
import { ACCESS_KEY, SECRET_KEY, type WireRequest, caught, secrets, seedSignatureOf, signHeaders } from './sigv4Support.js';

async function readAll(body: Buffer, auth: AuthContext, headers: IncomingHttpHeaders, pieces?: Buffer[]) {
  const reader = readPayload(iterate(pieces ?? [body]), auth, headers);
  const data = await collect(reader);
  return { data, trailers: reader.trailers(), declaredLength: reader.declaredLength };
}

async function readError(body: Buffer, auth: AuthContext, headers: IncomingHttpHeaders): Promise<S3Error> {
  const err = await caught(() => readAll(body, auth, headers));
  expect(err).toBeInstanceOf(S3Error);
  return err as S3Error;
}

// ---- The two worked examples of the AWS pages, with their published signatures.

const AWS_DATE = new Date('2013-05-24T00:00:00Z');
const SCOPE = '20130524/us-east-1/s3/aws4_request';
const A_65536 = Buffer.alloc(65536, 'a');
const A_1024 = Buffer.alloc(1024, 'a');

/** sigv4-streaming.html, "Example: PUT Object". */
function awsStreamingExample(): { request: WireRequest; body: Buffer } {
  const headers = {
    host: 's3.amazonaws.com',
    'x-amz-date': '20130524T000000Z',
    'x-amz-storage-class': 'REDUCED_REDUNDANCY',
    'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
    'content-encoding': 'aws-chunked',
    'x-amz-decoded-content-length': '66560',
    'content-length': '66824',
    authorization:
      `AWS4-HMAC-SHA256 Credential=${ACCESS_KEY}/${SCOPE},SignedHeaders=content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class,` +
      'Signature=4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9',
  };
  const body = Buffer.concat([
    Buffer.from('10000;chunk-signature=ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648\r\n'),
    A_65536,
    Buffer.from('\r\n400;chunk-signature=0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497\r\n'),
    A_1024,
    Buffer.from('\r\n0;chunk-signature=b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9\r\n\r\n'),
  ]);
  return { request: { method: 'PUT', url: '/examplebucket/chunkObject.txt', headers }, body };
}

/** sigv4-streaming-trailers.html, "Example: PUT Object" with a CRC32C trailer. */
function awsTrailerExample(checksum = 'sOO8/Q=='): { request: WireRequest; body: Buffer } {
  const headers = {
    host: 's3.amazonaws.com',
    'x-amz-date': '20130524T000000Z',
    'x-amz-storage-class': 'REDUCED_REDUNDANCY',
    'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER',
    'content-encoding': 'aws-chunked',
    'x-amz-decoded-content-length': '66560',
    'x-amz-trailer': 'x-amz-checksum-crc32c',
    authorization:
      `AWS4-HMAC-SHA256 Credential=${ACCESS_KEY}/${SCOPE},SignedHeaders=content-encoding;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class;x-amz-trailer,` +
      'Signature=106e2a8a18243abcf37539882f36619c00e2dfc72633413f02d3b74544bfeb8e',
  };
  const body = Buffer.concat([
    Buffer.from('10000;chunk-signature=b474d8862b1487a5145d686f57f013e54db672cee1c953b3010fb58501ef5aa2\r\n'),
    A_65536,
    Buffer.from('\r\n400;chunk-signature=1c1344b170168f8e65b41376b44b20fe354e373826ccbbe2c1d40a8cae51e5c7\r\n'),
    A_1024,
    Buffer.from('\r\n0;chunk-signature=2ca2aba2005185cf7159c6277faf83795951dd77a3a99e6e65d5c9f85863f992\r\n'),
    Buffer.from(`x-amz-checksum-crc32c:${checksum}\r\n`),
    Buffer.from('x-amz-trailer-signature:d81f82fc3505edab99d459891051a732e8730629a2e4a59689829ca17fe2e435\r\n\r\n'),
  ]);
  return { request: { method: 'PUT', url: '/examplebucket/chunkObject.txt', headers }, body };
}

describe('readPayload with the AWS documentation examples', () => {
  it('verifies the signed chunk chain of sigv4-streaming.html in any split', async () => {
    const { request, body } = awsStreamingExample();
    const auth = verifyRequest(request, secrets, AWS_DATE);
    expect(auth.payload).toEqual({ kind: 'streaming-signed', trailer: false });
    const random = rng(1);
    for (let round = 0; round < 20; round++) {
      const out = await readAll(body, auth, request.headers, randomSplit(body, random, round === 0 ? 1 : 9000));
      expect(out.data.equals(Buffer.concat([A_65536, A_1024]))).toBe(true);
      expect(out.declaredLength).toBe(66560);
      expect(out.trailers).toEqual({});
    }
  });

  it('verifies the chunk and trailer signatures and the CRC32C of sigv4-streaming-trailers.html', async () => {
    const { request, body } = awsTrailerExample();
    const auth = verifyRequest(request, secrets, AWS_DATE);
    const plan = planChecksums(request.headers);
    const hasher = createPlanHasher(plan);
    const reader = readPayload(iterate(randomSplit(body, rng(2), 5000)), auth, request.headers);
    for await (const piece of reader) hasher.update(piece);
    expect(reader.trailers()).toEqual({ 'x-amz-checksum-crc32c': 'sOO8/Q==' });
    expect(verifyChecksums(plan, hasher.finish(), reader.trailers())).toEqual({ algorithm: 'CRC32C', value: 'sOO8/Q==' });
  });

  it('rejects a changed data byte, a swapped chunk signature, a changed trailer and a missing trailer signature', async () => {
    const streaming = awsStreamingExample();
    const auth = verifyRequest(streaming.request, secrets, AWS_DATE);
    const flipped = Buffer.from(streaming.body);
    flipped[65_700] = 0x62; // a byte of the second chunk
    expect((await readError(flipped, auth, streaming.request.headers)).code).toBe('SignatureDoesNotMatch');
    const swapped = Buffer.from(streaming.body.toString('latin1').replace('ad80c730', 'ad80c731'), 'latin1');
    expect((await readError(swapped, auth, streaming.request.headers)).code).toBe('SignatureDoesNotMatch');
    const unsignedFraming = Buffer.from(streaming.body.toString('latin1').replace(/;chunk-signature=[0-9a-f]{64}/g, ''), 'latin1');
    expect((await readError(unsignedFraming, auth, streaming.request.headers)).code).toBe('IncompleteBody');

    const trailer = awsTrailerExample('AAAAAA==');
    const trailerAuth = verifyRequest(trailer.request, secrets, AWS_DATE);
    expect((await readError(trailer.body, trailerAuth, trailer.request.headers)).code).toBe('SignatureDoesNotMatch');
    const unsignedTrailer = Buffer.from(awsTrailerExample().body.toString('latin1').replace(/x-amz-trailer-signature:[0-9a-f]+\r\n/, ''), 'latin1');
    expect((await readError(unsignedTrailer, trailerAuth, trailer.request.headers)).code).toBe('MalformedTrailerError');
  });

  it('rejects a short body and a body longer or shorter than x-amz-decoded-content-length', async () => {
    const { request, body } = awsStreamingExample();
    const auth = verifyRequest(request, secrets, AWS_DATE);
    for (const cut of [60_000, 66_000, body.length - 1]) {
      expect((await readError(body.subarray(0, cut), auth, request.headers)).code).toBe('IncompleteBody');
    }
    for (const length of ['66559', '66561']) {
      const headers = { ...request.headers, 'x-amz-decoded-content-length': length };
      expect((await readError(body, auth, headers)).code).toBe('IncompleteBody');
    }
  });
});

describe('readPayload with bodies signed for this test', () => {
  const NOW = new Date('2026-03-01T12:00:00Z');

  async function streamingRequest(mode: string, data: Buffer, extra: Record<string, string> = {}) {
    const request = await signHeaders(
      {
        method: 'PUT',
        path: '/bucket/object',
        headers: { 'x-amz-content-sha256': mode, 'content-encoding': 'aws-chunked', 'x-amz-decoded-content-length': String(data.length), ...extra },
      },
      NOW,
    );
    const auth = verifyRequest(request, secrets, NOW);
    const signing = { key: testSigningKey(SECRET_KEY, '20260301', 'us-east-1'), amzDate: '20260301T120000Z', scope: '20260301/us-east-1/s3/aws4_request', seed: seedSignatureOf(request) };
    return { request, auth, signing };
  }

  it('decodes signed streams with random chunk sizes and splits, yielding views of the received buffers', async () => {
    const random = rng(3);
    for (const size of [0, 1, 8191, 65536, 300_000]) {
      const data = randomBytes(size);
      const { request, auth, signing } = await streamingRequest('STREAMING-AWS4-HMAC-SHA256-PAYLOAD', data);
      const body = encodeSignedChunks(data, 1 + Math.floor(random() * 70_000), signing);
      const pieces = randomSplit(body, random, 50_000);
      const reader = readPayload(iterate(pieces), auth, request.headers);
      const out: Buffer[] = [];
      for await (const slice of reader) {
        expect(pieces.some((piece) => piece.buffer === slice.buffer)).toBe(true);
        out.push(slice);
      }
      expect(Buffer.concat(out).equals(data)).toBe(true);
    }
  });

  it('verifies a signed trailer and refuses trailers that were not declared', async () => {
    const data = randomBytes(20_000);
    const crc = 'x-amz-checksum-crc32';
    const { request, auth, signing } = await streamingRequest('STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER', data, { 'x-amz-trailer': crc });
    const good = encodeSignedChunks(data, 8192, signing, { [crc]: 'AAAAAA==' });
    expect((await readAll(good, auth, request.headers)).trailers).toEqual({ [crc]: 'AAAAAA==' });
    const undeclared = encodeSignedChunks(data, 8192, signing, { [crc]: 'AAAAAA==', 'x-amz-meta-x': '1' });
    expect((await readError(undeclared, auth, request.headers)).code).toBe('MalformedTrailerError');
    const missing = encodeSignedChunks(data, 8192, signing, {});
    expect((await readError(missing, auth, request.headers)).code).toBe('MalformedTrailerError');
  });

  it('checks a signed body hash after the last byte and the length in every mode', async () => {
    const body = Buffer.from('hello world');
    const request = await signHeaders({ method: 'PUT', path: '/bucket/k', body, headers: { 'content-length': String(body.length) } }, NOW);
    const auth = verifyRequest(request, secrets, NOW);
    expect((await readAll(body, auth, request.headers)).data.toString()).toBe('hello world');
    const other = await readError(Buffer.from('hello World'), auth, request.headers);
    expect(other.code).toBe('XAmzContentSHA256Mismatch');
    expect(other.details['S3ComputedContentSHA256']).toBe(createHash('sha256').update('hello World').digest('hex'));
    expect((await readError(Buffer.from('hello'), auth, request.headers)).code).toBe('IncompleteBody');
    expect((await readError(Buffer.from('hello world!'), auth, request.headers)).code).toBe('IncompleteBody');

    const unsigned = await signHeaders({ method: 'PUT', path: '/bucket/k', headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD', 'content-length': '3' } }, NOW);
    const unsignedAuth = verifyRequest(unsigned, secrets, NOW);
    expect((await readAll(Buffer.from('abc'), unsignedAuth, unsigned.headers)).declaredLength).toBe(3);
    expect((await readError(Buffer.from('ab'), unsignedAuth, unsigned.headers)).code).toBe('IncompleteBody');
  });

  it('decodes aws-chunked declared only by Content-Encoding, and refuses x-amz-trailer on a body that cannot carry one', async () => {
    const data = Buffer.from('streamed');
    const request = await signHeaders(
      { method: 'PUT', path: '/bucket/k', headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD', 'content-encoding': 'gzip, aws-chunked', 'x-amz-decoded-content-length': '8' } },
      NOW,
    );
    const auth = verifyRequest(request, secrets, NOW);
    expect((await readAll(encodeUnsignedChunks(data, 3), auth, request.headers)).data.toString()).toBe('streamed');
    expect(storedContentEncoding(request.headers)).toBe('gzip');

    const plain = await signHeaders({ method: 'PUT', path: '/bucket/k', headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD', 'x-amz-trailer': 'x-amz-checksum-crc32' } }, NOW);
    const err = await caught(() => readPayload(iterate([]), verifyRequest(plain, secrets, NOW), plain.headers));
    expect((err as S3Error).code).toBe('MalformedTrailerError');
  });

  it('hands out trailers only after the end, and reads a body once', async () => {
    const request = await signHeaders({ method: 'PUT', path: '/bucket/k', headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } }, NOW);
    const reader = readPayload(iterate([Buffer.from('x')]), verifyRequest(request, secrets, NOW), request.headers);
    expect(() => reader.trailers()).toThrow();
    await collect(reader);
    expect(reader.trailers()).toEqual({});
    expect(() => reader[Symbol.asyncIterator]()).toThrow();
  });
});
