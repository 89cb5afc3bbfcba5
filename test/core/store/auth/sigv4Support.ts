// Test support: requests signed and presigned by the real SDK signer (@smithy/signature-v4), as the client would put them on the wire.
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

/**
 * How a presigner prepares the request before SignatureV4.presign:
 * - 'v3': @aws-sdk/s3-request-presigner: x-amz-content-sha256=UNSIGNED-PAYLOAD hoisted into the
 *   query, x-amz-server-side-encryption* kept as signed headers, content-type left unsigned;
 * - 'botocore': the payload is UNSIGNED-PAYLOAD but appears nowhere in the URL; SSE headers signed;
 * - 'hoist-all': older SDKs (JS v2, Ruby): every x-amz-* header moves into the query.
 */
export type PresignStyle = 'v3' | 'botocore' | 'hoist-all';

/** Presigns like getSignedUrl(); headers still in `headers` afterwards are the ones the client must send. */
export async function presign(
  spec: RequestSpec,
  date: Date,
  options: { expiresIn?: number; style?: PresignStyle; unhoistableHeaders?: Set<string>; signer?: SignatureV4 } = {},
): Promise<WireRequest> {
  const signer = options.signer ?? newSigner();
  const style = options.style ?? 'v3';
  const request = httpRequest({ ...spec, headers: { ...(spec.headers ?? {}), 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } });
  const unhoistable = new Set(options.unhoistableHeaders ?? []);
  const unsignable = new Set<string>(['content-type']);
  if (style !== 'hoist-all') {
    for (const name of Object.keys(request.headers)) if (name.startsWith('x-amz-server-side-encryption')) unhoistable.add(name);
  }
  if (style === 'botocore') {
    unhoistable.add('x-amz-content-sha256');
    unsignable.add('x-amz-content-sha256');
  }
  const signed = (await signer.presign(request, {
    signingDate: date,
    expiresIn: options.expiresIn ?? 3600,
    unhoistableHeaders: unhoistable,
    unsignableHeaders: unsignable,
  })) as unknown as SignedShape;
  if (style === 'botocore') delete signed.headers['x-amz-content-sha256'];
  return toWire(signed);
}

/** The Signature= value of an Authorization header. */
export function seedSignatureOf(request: WireRequest): string {
  const match = /Signature=([0-9a-f]{64})/.exec(String(request.headers['authorization']));
  if (match?.[1] === undefined) throw new Error('no signature');
  return match[1];
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
