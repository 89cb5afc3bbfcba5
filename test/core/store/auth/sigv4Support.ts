// Test support: requests signed by the real SDK signer (@smithy/signature-v4), and aws-chunked bodies encoded independently of the code under test.
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

import { SignatureV4 } from '@smithy/signature-v4';

import type { SecretLookup } from '../../../../main/core/store/auth/index.js';

// The example credentials from the AWS SigV4 documentation.
export const ACCESS_KEY = 'AKIAIOSFODNN7EXAMPLE';
export const SECRET_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
export const secrets: SecretLookup = (id) => (id === ACCESS_KEY ? SECRET_KEY : undefined);

type SourceData = string | ArrayBuffer | ArrayBufferView;

function bytes(data: SourceData): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data);
}

/**
 * The hash constructor the SDK signer needs (SHA-256, or HMAC-SHA256 when given a secret). Neither
 * @aws-crypto/sha256-js nor @smithy/hash-node is installed, so node:crypto backs it.
 */
export class NodeSha256 {
  private hash: Hash | Hmac;
  constructor(private readonly secret?: SourceData) {
    this.hash = this.fresh();
  }
  private fresh(): Hash | Hmac {
    return this.secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(this.secret));
  }
  update(data: SourceData): void {
    this.hash.update(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return this.hash.digest();
  }
  reset(): void {
    this.hash = this.fresh();
  }
}

export function newSigner(options: { secret?: string; region?: string; applyChecksum?: boolean } = {}): SignatureV4 {
  return new SignatureV4({
    service: 's3',
    region: options.region ?? 'us-east-1',
    credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: options.secret ?? SECRET_KEY },
    sha256: NodeSha256,
    // What @aws-sdk/client-s3 configures: S3 paths are signed exactly as sent, never re-escaped.
    uriEscapePath: false,
    applyChecksum: options.applyChecksum ?? true,
  });
}

/** The SDK's URI escaping (encodeURIComponent plus !'()*), as its query-string builder uses it. */
export function sdkEscape(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export type Query = Record<string, string | string[] | null>;

export function serializeQuery(query: Query): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(query)) {
    if (value === null) parts.push(sdkEscape(key));
    else for (const one of Array.isArray(value) ? value : [value]) parts.push(`${sdkEscape(key)}=${sdkEscape(one)}`);
  }
  return parts.join('&');
}

export interface WireRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
}

export interface RequestSpec {
  method?: string;
  /** Already escaped, as the S3 serializer produces it. */
  path?: string;
  query?: Query;
  headers?: Record<string, string>;
  body?: string | Buffer;
  host?: string;
}

interface SignedShape {
  method: string;
  path: string;
  query?: Query;
  headers: Record<string, string>;
}

function toWire(request: SignedShape): WireRequest {
  const query = serializeQuery(request.query ?? {});
  const headers: IncomingHttpHeaders = {};
  for (const [name, value] of Object.entries(request.headers)) headers[name.toLowerCase()] = value;
  return { method: request.method, url: query === '' ? request.path : `${request.path}?${query}`, headers };
}

function httpRequest(spec: RequestSpec) {
  const host = spec.host ?? 'localhost:9000';
  return {
    method: spec.method ?? 'GET',
    protocol: 'http:',
    hostname: host.split(':')[0] ?? host,
    path: spec.path ?? '/bucket/key',
    query: spec.query ?? {},
    headers: { host, ...(spec.headers ?? {}) },
    body: spec.body,
  };
}

/** Signs with an Authorization header, as every SDK call does. */
export async function signHeaders(
  spec: RequestSpec,
  date: Date,
  options: { signer?: SignatureV4; unsignableHeaders?: Set<string> } = {},
): Promise<WireRequest> {
  const signer = options.signer ?? newSigner();
  const signed = (await signer.sign(httpRequest(spec), {
    signingDate: date,
    unsignableHeaders: options.unsignableHeaders,
  })) as unknown as SignedShape;
  return toWire(signed);
}

/** Presigns like a getSignedUrl() presigner; headers still in `headers` afterwards must be sent by the client. */
export async function presign(
  spec: RequestSpec,
  date: Date,
  options: { expiresIn?: number; unhoistableHeaders?: Set<string>; signer?: SignatureV4 } = {},
): Promise<WireRequest> {
  const signer = options.signer ?? newSigner();
  const signed = (await signer.presign(httpRequest(spec), {
    signingDate: date,
    expiresIn: options.expiresIn ?? 3600,
    unhoistableHeaders: options.unhoistableHeaders,
  })) as unknown as SignedShape;
  return toWire(signed);
}

/** The Signature= value of an Authorization header. */
export function seedSignatureOf(request: WireRequest): string {
  const match = /Signature=([0-9a-f]{64})/.exec(String(request.headers['authorization']));
  if (match?.[1] === undefined) throw new Error('no signature');
  return match[1];
}

// ---- independent aws-chunked encoding (computed here from the AWS pages, not with the code under test)

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

/** Runs `fn` and returns the thrown value (fails the test if nothing was thrown). */
export async function caught(fn: () => unknown): Promise<unknown> {
  try {
    await fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected an error');
}
