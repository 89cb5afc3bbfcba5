// Signed aws-chunked uploads (STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]) sent to a listening store,
// as older SDKs and some tools stream them: every chunk signed, chained from the request's signature.
import { createHash, randomBytes } from 'node:crypto';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendRaw, type RawResponse } from '../support/signedRequest.js';
import { startStoreFixture, TEST_CREDENTIALS, type StoreFixture } from '../support/storeFixture.js';
import { encodeSignedChunks, testSigningKey } from '../core/store/auth/chunkedBodies.js';
import { NodeSha256 } from '../core/store/auth/sigv4Support.js';

let f: StoreFixture;
const BUCKET = 'signed-chunks';
const CHUNK = 64 * 1024;

beforeAll(async () => {
  f = await startStoreFixture();
  await f.http.send(new (await import('@aws-sdk/client-s3')).CreateBucketCommand({ Bucket: BUCKET }));
});
afterAll(async () => {
  await f?.close();
});

const signer = new SignatureV4({ service: 's3', region: 'us-east-1', credentials: TEST_CREDENTIALS, sha256: NodeSha256, uriEscapePath: false, applyChecksum: true });

/** Signs the request head for a streamed body, then encodes `data` in signed chunks chained from that signature. */
async function putChunked(key: string, data: Buffer, options: { trailers?: Record<string, string>; tamper?: boolean } = {}): Promise<RawResponse> {
  const listener = new URL(f.httpUrl);
  const mode = options.trailers ? 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER' : 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD';
  const headers: Record<string, string> = {
    host: listener.host,
    'x-amz-content-sha256': mode,
    'content-encoding': 'aws-chunked',
    'x-amz-decoded-content-length': String(data.length),
    'x-amz-server-side-encryption': 'AES256',
    ...(options.trailers ? { 'x-amz-trailer': Object.keys(options.trailers).join(',') } : {}),
  };
  const now = new Date();
  const signed = await signer.sign({ method: 'PUT', protocol: 'http:', hostname: listener.hostname, path: `/${BUCKET}/${key}`, query: {}, headers }, { signingDate: now });
  const out = signed.headers as Record<string, string>;
  const seed = /Signature=([0-9a-f]{64})/.exec(out['authorization']!)![1]!;
  const amzDate = out['x-amz-date']!;
  const day = amzDate.slice(0, 8);
  const body = encodeSignedChunks(data, CHUNK, { key: testSigningKey(TEST_CREDENTIALS.secretAccessKey, day, 'us-east-1'), amzDate, scope: `${day}/us-east-1/s3/aws4_request`, seed }, options.trailers);
  // A byte changed after signing, inside the second chunk's data.
  if (options.tamper) {
    const at = body.indexOf(Buffer.from('\r\n', 'latin1'), CHUNK) + 100;
    body[at] = body[at]! ^ 1;
  }
  return sendRaw(f, false, { method: 'PUT', url: `/${BUCKET}/${key}`, headers: { ...out, 'content-length': String(body.length) }, body });
}

async function stored(key: string): Promise<Buffer> {
  const out = await f.http.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  return Buffer.from(await out.Body!.transformToByteArray());
}

describe('signed aws-chunked uploads to a listening store', () => {
  it('stores the decoded bytes of a signed chunked PUT, with the MD5 ETag of an SSE-S3 object', async () => {
    const data = randomBytes(3 * CHUNK + 1234);
    const res = await putChunked('signed.bin', data);
    expect(res.status, res.body.toString()).toBe(200);
    expect(res.headers['etag']).toBe(`"${createHash('md5').update(data).digest('hex')}"`);
    expect(res.headers['x-amz-server-side-encryption']).toBe('AES256');
    expect((await stored('signed.bin')).equals(data)).toBe(true);
  });

  it('checks a signed trailer checksum: the right one is stored, a wrong one is refused', async () => {
    const data = randomBytes(2 * CHUNK + 7);
    const crc32 = Buffer.alloc(4);
    crc32.writeUInt32BE(crc32Of(data));
    const good = await putChunked('trailer.bin', data, { trailers: { 'x-amz-checksum-crc32': crc32.toString('base64') } });
    expect(good.status, good.body.toString()).toBe(200);
    expect(good.headers['x-amz-checksum-crc32']).toBe(crc32.toString('base64'));
    expect((await stored('trailer.bin')).equals(data)).toBe(true);
    const bad = await putChunked('trailer-bad.bin', data, { trailers: { 'x-amz-checksum-crc32': 'AAAAAA==' } });
    expect([bad.status, bad.error?.code]).toEqual([400, 'BadDigest']);
  });

  it('refuses a chunk changed after signing, keeps the previous version, and keeps serving', async () => {
    const first = randomBytes(2 * CHUNK);
    expect((await putChunked('kept.bin', first)).status).toBe(200);
    const res = await putChunked('kept.bin', randomBytes(2 * CHUNK + 10), { tamper: true });
    expect([res.status, res.error?.code]).toEqual([403, 'SignatureDoesNotMatch']);
    expect((await stored('kept.bin')).equals(first)).toBe(true);
  });
});

/** CRC-32 (ISO-HDLC), bit by bit: the reference the store's table-driven code is checked against. */
function crc32Of(data: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of data) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}
