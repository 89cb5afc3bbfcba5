// Test support: aws-chunked bodies encoded from the AWS pages independently of the code under test, and helpers to split and stream them.
import { createHash, createHmac } from 'node:crypto';

const sha256Hex = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

export function testSigningKey(secret: string, date: string, region: string): Buffer {
  let key: Buffer | string = `AWS4${secret}`;
  for (const part of [date, region, 's3', 'aws4_request']) key = createHmac('sha256', key).update(part).digest();
  return key as Buffer;
}

export interface ChunkSigning {
  key: Buffer;
  amzDate: string;
  scope: string;
  seed: string;
}

/** STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER] body: chunks of `chunkSize`, then the signed final chunk and trailer. */
export function encodeSignedChunks(data: Buffer, chunkSize: number, signing: ChunkSigning, trailers?: Record<string, string>): Buffer {
  const out: Buffer[] = [];
  let previous = signing.seed;
  const sign = (payload: Buffer): string => {
    const toSign = ['AWS4-HMAC-SHA256-PAYLOAD', signing.amzDate, signing.scope, previous, sha256Hex(''), sha256Hex(payload)].join('\n');
    previous = createHmac('sha256', signing.key).update(toSign).digest('hex');
    return previous;
  };
  for (let offset = 0; offset < data.length; offset += chunkSize) {
    const chunk = data.subarray(offset, offset + chunkSize);
    out.push(Buffer.from(`${chunk.length.toString(16)};chunk-signature=${sign(chunk)}\r\n`), chunk, Buffer.from('\r\n'));
  }
  out.push(Buffer.from(`0;chunk-signature=${sign(Buffer.alloc(0))}\r\n`));
  if (trailers !== undefined) {
    const canonical = Object.keys(trailers).sort().map((name) => `${name}:${trailers[name]}\n`).join('');
    const toSign = ['AWS4-HMAC-SHA256-TRAILER', signing.amzDate, signing.scope, previous, sha256Hex(canonical)].join('\n');
    const signature = createHmac('sha256', signing.key).update(toSign).digest('hex');
    out.push(Buffer.from(canonical.replace(/\n/g, '\r\n')), Buffer.from(`x-amz-trailer-signature:${signature}\r\n`));
  }
  out.push(Buffer.from('\r\n'));
  return Buffer.concat(out);
}

/** STREAMING-UNSIGNED-PAYLOAD-TRAILER body. */
export function encodeUnsignedChunks(data: Buffer, chunkSize: number, trailers: Record<string, string> = {}): Buffer {
  const out: Buffer[] = [];
  for (let offset = 0; offset < data.length; offset += chunkSize) {
    const chunk = data.subarray(offset, offset + chunkSize);
    out.push(Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n'));
  }
  out.push(Buffer.from('0\r\n'));
  for (const [name, value] of Object.entries(trailers)) out.push(Buffer.from(`${name}:${value}\r\n`));
  out.push(Buffer.from('\r\n'));
  return Buffer.concat(out);
}

// ---- splitting and collecting

/** Deterministic PRNG (mulberry32) so failures reproduce. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Cuts `data` into pieces of 1..maxPiece bytes (views, not copies). */
export function randomSplit(data: Buffer, random: () => number, maxPiece: number): Buffer[] {
  const pieces: Buffer[] = [];
  for (let offset = 0; offset < data.length; ) {
    const size = 1 + Math.floor(random() * maxPiece);
    pieces.push(data.subarray(offset, offset + size));
    offset += size;
  }
  return pieces;
}

export async function* iterate(pieces: readonly Buffer[]): AsyncGenerator<Buffer> {
  for (const piece of pieces) yield piece;
}

export async function collect(source: AsyncIterable<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of source) parts.push(part);
  return Buffer.concat(parts);
}

