// What @aws-sdk/client-s3 really sends, captured by a bare node:http server, verifies and decodes in any split; tampering is caught.
import { randomBytes } from 'node:crypto';
import { type IncomingHttpHeaders, type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { crc32 } from 'node:zlib';

import {
  type ChecksumAlgorithm as SdkChecksumAlgorithm,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { readPayload, verifyRequest } from '../../../../main/core/store/auth/index.js';
import { S3Error } from '../../../../main/core/store/errors.js';
import { checksumBase64, createPlanHasher, planChecksums, verifyChecksums } from '../../../../main/core/store/integrity/index.js';
import { iterate, randomSplit, rng } from './chunkedBodies.js';
import { ACCESS_KEY, SECRET_KEY, caught, secrets } from './sigv4Support.js';

interface Captured {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

const LIST_XML =
  '<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">' +
  '<Name>bucket</Name><Prefix></Prefix><KeyCount>0</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated></ListBucketResult>';

let server: Server;
let client: S3Client;
let last: Captured | undefined;

beforeAll(async () => {
  server = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (part: Buffer) => parts.push(part));
    req.on('end', () => {
      last = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(parts) };
      if (req.method === 'PUT') {
        res.writeHead(200, { ETag: '"0"', 'Content-Length': '0' }).end();
      } else if ((req.url ?? '').includes('list-type=2')) {
        res.writeHead(200, { 'Content-Type': 'application/xml' }).end(LIST_XML);
      } else {
        res.writeHead(200, { 'Content-Length': '1' }).end('x');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  client = new S3Client({
    region: 'us-east-1',
    endpoint: `http://127.0.0.1:${port}`,
    forcePathStyle: true,
    maxAttempts: 1,
    credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: SECRET_KEY },
  });
});

afterAll(async () => {
  client.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

async function capture(send: () => Promise<unknown>): Promise<Captured> {
  last = undefined;
  await send();
  if (last === undefined) throw new Error('nothing captured');
  return last;
}

/** Verifies, decodes in `rounds` random splits and checks the checksums; returns the verified checksum. */
async function verifyCaptured(request: Captured, expected: Buffer, rounds = 25) {
  const auth = verifyRequest(request, secrets, new Date());
  const random = rng(expected.length);
  let verified;
  for (let round = 0; round < rounds; round++) {
    const plan = planChecksums(request.headers);
    const hasher = createPlanHasher(plan);
    const pieces = round === 0 ? [request.body] : randomSplit(request.body, random, round === 1 ? 1 : 1 + Math.floor(random() * 40_000));
    const reader = readPayload(iterate(pieces), auth, request.headers);
    const out: Buffer[] = [];
    for await (const piece of reader) {
      hasher.update(piece);
      out.push(piece);
    }
    expect(Buffer.concat(out).equals(expected)).toBe(true);
    expect(reader.declaredLength).toBe(expected.length);
    verified = verifyChecksums(plan, hasher.finish(), reader.trailers());
  }
  return { auth, verified };
}

async function failureOf(request: Captured): Promise<S3Error> {
  const err = await caught(async () => {
    const auth = verifyRequest(request, secrets, new Date());
    const plan = planChecksums(request.headers);
    const hasher = createPlanHasher(plan);
    const reader = readPayload(iterate([request.body]), auth, request.headers);
    for await (const piece of reader) hasher.update(piece);
    verifyChecksums(plan, hasher.finish(), reader.trailers());
  });
  expect(err).toBeInstanceOf(S3Error);
  return err as S3Error;
}

describe('requests captured from @aws-sdk/client-s3', () => {
  const data = randomBytes(200_000);
  const streamOf = (buffer: Buffer): Readable => Readable.from([buffer.subarray(0, 70_000), buffer.subarray(70_000, 70_001), buffer.subarray(70_001)]);

  it('PutObject with a stream body: STREAMING-UNSIGNED-PAYLOAD-TRAILER, aws-chunked, CRC32 trailer', async () => {
    const request = await capture(() =>
      client.send(new PutObjectCommand({ Bucket: 'bucket', Key: 'dir/stream.bin', Body: streamOf(data), ContentLength: data.length })),
    );
    expect(request.headers).toMatchObject({
      'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
      'content-encoding': 'aws-chunked',
      'transfer-encoding': 'chunked',
      'x-amz-trailer': 'x-amz-checksum-crc32',
      'x-amz-sdk-checksum-algorithm': 'CRC32',
      'x-amz-decoded-content-length': String(data.length),
    });
    expect(request.headers['content-length']).toBeUndefined();
    // One aws-chunk per stream piece, then "0", the checksum trailer and the closing empty line.
    expect(request.body.subarray(0, 7).toString()).toBe('11170\r\n');
    expect(request.body.subarray(-48).toString()).toMatch(/\r\n0\r\nx-amz-checksum-crc32:[A-Za-z0-9+/]{6}==\r\n\r\n$/);

    const { auth, verified } = await verifyCaptured(request, data);
    expect(auth.payload).toEqual({ kind: 'streaming-unsigned-trailer' });
    const expectedCrc = Buffer.alloc(4);
    expectedCrc.writeUInt32BE(crc32(data), 0);
    expect(verified).toEqual({ algorithm: 'CRC32', value: expectedCrc.toString('base64') });
  });

  it.each(['CRC32C', 'CRC64NVME', 'SHA1', 'SHA256'] as const)('PutObject with ChecksumAlgorithm %s: our checksum equals the SDK trailer', async (algorithm) => {
    const request = await capture(() =>
      client.send(
        new PutObjectCommand({
          Bucket: 'bucket',
          Key: `checksum-${algorithm}`,
          Body: streamOf(data),
          ContentLength: data.length,
          ChecksumAlgorithm: algorithm as SdkChecksumAlgorithm,
        }),
      ),
    );
    const name = `x-amz-checksum-${algorithm.toLowerCase()}`;
    expect(request.headers['x-amz-trailer']).toBe(name);
    const { verified } = await verifyCaptured(request, data, 5);
    expect(verified).toEqual({ algorithm, value: checksumBase64(algorithm, data) });
  });

  it('PutObject with a Buffer body: signed SHA-256 payload and an x-amz-checksum-crc32 header', async () => {
    const body = randomBytes(5000);
    const request = await capture(() => client.send(new PutObjectCommand({ Bucket: 'bucket', Key: 'buffer.bin', Body: body })));
    expect(request.headers['x-amz-content-sha256']).toMatch(/^[0-9a-f]{64}$/);
    expect(request.headers['x-amz-checksum-crc32']).toBe(checksumBase64('CRC32', body));
    const { auth, verified } = await verifyCaptured(request, body, 5);
    expect(auth.payload.kind).toBe('sha256');
    expect(verified).toEqual({ algorithm: 'CRC32', value: checksumBase64('CRC32', body) });
  });

  it('GetObject and ListObjectsV2 with awkward keys and prefixes verify as escaped by the SDK', async () => {
    const key = "dir/a+b!c*d'e(f)g~h i/ü€/%2F.txt";
    const get = await capture(() => client.send(new GetObjectCommand({ Bucket: 'bucket', Key: key, Range: 'bytes=0-0' })));
    expect(verifyRequest(get, secrets, new Date()).signedHeaders.has('range')).toBe(true);
    const list = await capture(() =>
      client.send(new ListObjectsV2Command({ Bucket: 'bucket', Prefix: "a b+c/ü'!*()~=&", Delimiter: '/', StartAfter: 'x y' })),
    );
    expect(list.url).toContain('list-type=2');
    expect(verifyRequest(list, secrets, new Date()).kind).toBe('header');
  });

  it('catches a changed byte, a changed trailer and a cut body in a captured upload', async () => {
    const request = await capture(() =>
      client.send(new PutObjectCommand({ Bucket: 'bucket', Key: 'tamper.bin', Body: streamOf(data), ContentLength: data.length })),
    );
    const flipped = Buffer.from(request.body);
    flipped[100] = (flipped[100] ?? 0) ^ 1;
    const byte = await failureOf({ ...request, body: flipped });
    expect([byte.code, byte.message]).toEqual(['BadDigest', 'The CRC32 you specified did not match the calculated checksum.']);

    const trailer = Buffer.from(request.body.toString('latin1').replace(/crc32:[^\r]+/, 'crc32:AAAAAA=='), 'latin1');
    expect((await failureOf({ ...request, body: trailer })).code).toBe('BadDigest');

    const invalidTrailer = Buffer.from(request.body.toString('latin1').replace(/crc32:[^\r]+/, 'crc32:not-base64'), 'latin1');
    expect((await failureOf({ ...request, body: invalidTrailer })).code).toBe('InvalidRequest');

    for (const cut of [10, 150_000, request.body.length - 40]) {
      expect((await failureOf({ ...request, body: request.body.subarray(0, cut) })).code).toBe('IncompleteBody');
    }
  });
});
