// Test support: raw SigV4-signed (or presigned) HTTP(S) requests to the store, for what the SDK refuses to send.
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import http, { type IncomingHttpHeaders } from 'node:http';
import https from 'node:https';
import { checkServerIdentity } from 'node:tls';
import { SignatureV4 } from '@smithy/signature-v4';
import { TEST_CREDENTIALS, type StoreFixture } from './storeFixture.js';

type SourceData = string | ArrayBuffer | ArrayBufferView;

function bytes(data: SourceData): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data);
}

/**
 * The hash constructor the signer needs (SHA-256, or HMAC-SHA256 given a secret). Neither
 * @aws-crypto/sha256-js nor @smithy/hash-node is installed, so node:crypto backs it.
 */
class NodeSha256 {
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

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

function signer(credentials: Credentials = TEST_CREDENTIALS, region = 'us-east-1'): SignatureV4 {
  // uriEscapePath false is what @aws-sdk/client-s3 configures: S3 paths are signed as sent.
  return new SignatureV4({ service: 's3', region, credentials, sha256: NodeSha256, uriEscapePath: false, applyChecksum: true });
}

/** The SDK's URI escaping: encodeURIComponent plus !'()*. */
export function uriEscape(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** "/bucket/key" with every key segment escaped as the SDK escapes it. */
export function objectPath(bucket: string, key?: string): string {
  return key === undefined ? `/${uriEscape(bucket)}` : `/${uriEscape(bucket)}/${key.split('/').map(uriEscape).join('/')}`;
}

export type Query = Record<string, string>;

/** Empty values go out as a bare name (`?uploads`), as the SDK sends subresources. */
function serializeQuery(query: Query): string {
  return Object.entries(query)
    .map(([k, v]) => (v === '' ? uriEscape(k) : `${uriEscape(k)}=${uriEscape(v)}`))
    .join('&');
}

export interface RawRequest {
  method?: string;
  /** Already escaped (see objectPath). */
  path: string;
  query?: Query;
  headers?: Record<string, string>;
  body?: string | Buffer;
  secure?: boolean;
  /** Host header to send and sign (virtual-hosted style); defaults to the listener's host:port. */
  host?: string;
  credentials?: Credentials;
  signingDate?: Date;
  /** Flip one hex digit of the signature after signing. */
  corruptSignature?: boolean;
}

export interface S3ErrorBody {
  code: string;
  message: string;
  /** Every other child element of <Error>, by name. */
  details: Record<string, string>;
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** The parsed <Error> document, when the body is one. */
  error: S3ErrorBody | undefined;
}

function decodeXmlText(text: string): string {
  return text.replace(/&(lt|gt|amp|quot|apos);/g, (_, e: string) => ({ lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" })[e] ?? '');
}

export function parseErrorXml(body: Buffer): S3ErrorBody | undefined {
  const text = body.toString('utf8');
  const inner = /<Error>([\s\S]*)<\/Error>/.exec(text)?.[1];
  if (inner === undefined) return undefined;
  const details: Record<string, string> = {};
  for (const m of inner.matchAll(/<([A-Za-z0-9-]+)>([\s\S]*?)<\/\1>|<([A-Za-z0-9-]+)\/>/g)) {
    if (m[1] !== undefined) details[m[1]] = decodeXmlText(m[2] ?? '');
    else if (m[3] !== undefined) details[m[3]] = '';
  }
  const { Code: code = '', Message: message = '', ...rest } = details;
  return { code, message, details: rest };
}

function listenerOf(f: StoreFixture, secure: boolean): URL {
  return new URL(secure ? f.httpsUrl : f.httpUrl);
}

/** Sends exactly these bytes to the store and collects the answer. */
export function sendRaw(
  f: StoreFixture,
  secure: boolean,
  request: { method: string; url: string; headers: Record<string, string>; body?: Buffer | undefined },
): Promise<RawResponse> {
  const listener = listenerOf(f, secure);
  const options = { host: listener.hostname, port: Number(listener.port), method: request.method, path: request.url, headers: request.headers };
  return new Promise<RawResponse>((resolve, reject) => {
    const onResponse = (res: http.IncomingMessage): void => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, error: parseErrorXml(body) });
      });
    };
    // The certificate is checked against the address connected to, not the Host header under test.
    const tls = { ca: f.caCert, checkServerIdentity: (_: string, cert: Parameters<typeof checkServerIdentity>[1]) => checkServerIdentity(listener.hostname, cert) };
    const req = secure ? https.request({ ...options, ...tls, agent: false }, onResponse) : http.request({ ...options, agent: false }, onResponse);
    req.on('error', reject);
    req.end(request.body);
  });
}

/** Signs with an Authorization header (as the SDK does, payload hash included) and sends. */
export async function sendSigned(f: StoreFixture, spec: RawRequest): Promise<RawResponse> {
  const secure = spec.secure ?? false;
  const listener = listenerOf(f, secure);
  const host = spec.host ?? listener.host;
  const body = spec.body === undefined ? undefined : Buffer.from(spec.body);
  const headers: Record<string, string> = { host, ...(spec.headers ?? {}) };
  if (body !== undefined) headers['content-length'] = String(body.length);
  const signed = await signer(spec.credentials).sign(
    { method: spec.method ?? 'GET', protocol: listener.protocol, hostname: host.split(':')[0]!, path: spec.path, query: spec.query ?? {}, headers, body },
    { signingDate: spec.signingDate ?? new Date() },
  );
  const outHeaders = { ...(signed.headers as Record<string, string>) };
  if (spec.corruptSignature) {
    outHeaders['authorization'] = outHeaders['authorization']!.replace(/Signature=([0-9a-f])/, (_, c: string) => `Signature=${c === '0' ? '1' : '0'}`);
  }
  const query = serializeQuery(spec.query ?? {});
  return sendRaw(f, secure, { method: spec.method ?? 'GET', url: query === '' ? spec.path : `${spec.path}?${query}`, headers: outHeaders, body });
}

export interface PresignSpec {
  method: 'GET' | 'PUT' | 'HEAD' | 'DELETE';
  path: string;
  query?: Query;
  /** Headers to sign; the consumer of the URL must send them (x-amz-* stay headers, as the v3 presigner keeps them). */
  headers?: Record<string, string>;
  /** x-amz-* headers to move into the query string instead (older presigners). */
  hoist?: readonly string[];
  secure?: boolean;
  expiresIn?: number;
  signingDate?: Date;
}

export interface PresignedUrl {
  /** Path and query to request. */
  url: string;
  /** The full URL, for display. */
  href: string;
  /** Headers the URL was signed with (host included); send them all. */
  headers: Record<string, string>;
}

/**
 * Presigns as @aws-sdk/s3-request-presigner does (it is not installed): UNSIGNED-PAYLOAD,
 * x-amz-content-sha256 hoisted into the query, every other x-amz-* header kept signed unless listed in `hoist`.
 */
export async function presignUrl(f: StoreFixture, spec: PresignSpec): Promise<PresignedUrl> {
  const secure = spec.secure ?? false;
  const listener = listenerOf(f, secure);
  const headers: Record<string, string> = { host: listener.host, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD', ...(spec.headers ?? {}) };
  const hoist = new Set(['x-amz-content-sha256', ...(spec.hoist ?? [])]);
  const unhoistable = new Set(Object.keys(headers).filter((h) => h.startsWith('x-amz-') && !hoist.has(h)));
  const signed = await signer().presign(
    { method: spec.method, protocol: listener.protocol, hostname: listener.hostname, port: Number(listener.port), path: spec.path, query: spec.query ?? {}, headers },
    { expiresIn: spec.expiresIn ?? 900, signingDate: spec.signingDate ?? new Date(), unhoistableHeaders: unhoistable },
  );
  const query = serializeQuery(signed.query as Query);
  const url = `${spec.path}?${query}`;
  return { url, href: `${listener.origin}${url}`, headers: signed.headers as Record<string, string> };
}

/** Requests a presigned URL with its signed headers (plus any extra ones). */
export function fetchPresigned(
  f: StoreFixture,
  presigned: PresignedUrl,
  method: string,
  options: { secure?: boolean; body?: string | Buffer; extraHeaders?: Record<string, string> } = {},
): Promise<RawResponse> {
  const body = options.body === undefined ? undefined : Buffer.from(options.body);
  const headers = { ...presigned.headers, ...(options.extraHeaders ?? {}), ...(body ? { 'content-length': String(body.length) } : {}) };
  return sendRaw(f, options.secure ?? false, { method, url: presigned.url, headers, body });
}
