// PutObject of bytes in memory, signed here with SigV4 and sent on the client's own connection pool: for a small file the AWS SDK's per-request work costs more than the request itself.
import { createHash, createHmac } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { ObjectEncryption, WrittenObject } from './objectStore.js';
import { sseWriteParams } from './sseParams.js';
import { withVersionId } from './versionId.js';

/** Milliseconds a socket may stay silent before the request fails as timed out (as the SDK client's). */
const SOCKET_IDLE_TIMEOUT_MS = 120_000;
const SERVICE = 's3';
const USER_AGENT = 'coffer-sync';

export interface DirectPutEndpoint {
  /** The store's origin and any base path; path-style addressing only. */
  readonly url: URL;
  readonly region: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** The same keep-alive pool (and certificate pin) the SDK client uses. */
  readonly agent: http.Agent;
}

export interface DirectPutRequest {
  readonly bucket: string;
  /** The full object key (prefix included). */
  readonly key: string;
  readonly body: Buffer;
  /** Hex SHA-256 of the body when known (it is then signed as the payload hash without hashing again). */
  readonly sha256?: string;
  readonly encryption: ObjectEncryption;
  /** Already normalised: lower-case names, printable ASCII values. */
  readonly metadata: Readonly<Record<string, string>>;
  /** URL-encoded tag set for x-amz-tagging, if any. */
  readonly tagging?: string;
  readonly signal?: AbortSignal;
}

/** An S3 error answer, shaped as the SDK shapes its errors (name = S3's code, $metadata.httpStatusCode), so classifyError treats both alike. */
export class DirectPutError extends Error {
  readonly $metadata: { httpStatusCode: number };

  constructor(code: string, status: number) {
    super(`PutObject answered ${status} ${code}`);
    this.name = code;
    this.$metadata = { httpStatusCode: status };
  }
}

/** RFC 3986 encoding of one path segment, as S3's canonical URI wants it (only unreserved characters stay). */
function encodeSegment(segment: string): string {
  return encodeURIComponent(segment).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function hmac(key: Buffer | string, text: string): Buffer {
  return createHmac('sha256', key).update(text, 'utf8').digest();
}

/** The SSE headers of a write, from the same members the SDK path sends (and the same checks on them). */
function sseHeaders(encryption: ObjectEncryption): Record<string, string> {
  const params = sseWriteParams(encryption);
  const headers: Record<string, string> = {};
  if (params.ServerSideEncryption) headers['x-amz-server-side-encryption'] = params.ServerSideEncryption;
  if (params.SSEKMSKeyId) headers['x-amz-server-side-encryption-aws-kms-key-id'] = params.SSEKMSKeyId;
  if (params.SSECustomerAlgorithm && params.SSECustomerKey) {
    headers['x-amz-server-side-encryption-customer-algorithm'] = params.SSECustomerAlgorithm;
    headers['x-amz-server-side-encryption-customer-key'] = params.SSECustomerKey;
    headers['x-amz-server-side-encryption-customer-key-md5'] = createHash('md5').update(Buffer.from(params.SSECustomerKey, 'base64')).digest('base64');
  }
  return headers;
}

/** `<Code>` of an S3 error document; 'Unknown' when the body has none (classifyError then goes by the status). */
function errorCode(body: string): string {
  const match = /<Code>([^<]{1,128})<\/Code>/.exec(body);
  return match ? match[1]! : 'Unknown';
}

/**
 * One endpoint's direct PUTs. Only path-style addressing (the embedded store, MinIO, Ceph): a
 * store reached by virtual host goes through the SDK, which knows the rules for bucket host names.
 * The clock offset learnt from a RequestTimeTooSkewed answer signs the next request.
 */
export class DirectPut {
  private readonly transport: typeof http | typeof https;
  private readonly basePath: string;
  private signingDate = '';
  private signingKey: Buffer = Buffer.alloc(0);
  private clockOffsetMs = 0;

  constructor(private readonly endpoint: DirectPutEndpoint) {
    this.transport = endpoint.url.protocol === 'https:' ? https : http;
    this.basePath = endpoint.url.pathname.replace(/\/+$/, '');
  }

  /**
   * Sends the PUT and resolves with the ETag and, on a versioned bucket, the x-amz-version-id. Rejects with DirectPutError for an S3 error answer,
   * with Node's error (ECONNRESET, ETIMEDOUT, a TLS or pin failure…) when the exchange fails, and
   * with an AbortError when `signal` fires.
   */
  async put(request: DirectPutRequest): Promise<WrittenObject> {
    const path = `${this.basePath}/${encodeSegment(request.bucket)}/${request.key.split('/').map(encodeSegment).join('/')}`;
    const now = new Date(Date.now() + this.clockOffsetMs);
    const amzDate = now.toISOString().replace(/[-:]|\.\d{3}/g, '');
    const headers: Record<string, string> = {
      host: this.endpoint.url.host,
      'content-length': String(request.body.length),
      'x-amz-content-sha256': request.sha256 ?? createHash('sha256').update(request.body).digest('hex'),
      'x-amz-date': amzDate,
      ...sseHeaders(request.encryption),
      ...(request.sha256 ? { 'x-amz-checksum-sha256': Buffer.from(request.sha256, 'hex').toString('base64') } : {}),
      ...(request.tagging ? { 'x-amz-tagging': request.tagging } : {}),
    };
    for (const [name, value] of Object.entries(request.metadata)) headers[`x-amz-meta-${name}`] = value;
    headers.authorization = this.authorization('PUT', path, headers, amzDate);
    headers['user-agent'] = USER_AGENT;
    const answer = await this.send(path, headers, request.body, request.signal);
    if (answer.status === 200) {
      const etag = answer.headers.etag;
      if (typeof etag !== 'string' || etag === '') throw new DirectPutError('MissingETag', 502);
      const versionId = answer.headers['x-amz-version-id'];
      return { etag, ...withVersionId(typeof versionId === 'string' ? versionId : undefined) };
    }
    const code = errorCode(answer.body);
    const serverDate = Date.parse(String(answer.headers.date ?? ''));
    if (code === 'RequestTimeTooSkewed' && Number.isFinite(serverDate)) this.clockOffsetMs = serverDate - Date.now();
    throw new DirectPutError(code, answer.status);
  }

  private authorization(method: string, path: string, headers: Record<string, string>, amzDate: string): string {
    const names = Object.keys(headers).sort();
    const canonicalHeaders = names.map((n) => `${n}:${headers[n]!.trim().replace(/\s+/g, ' ')}\n`).join('');
    const signedHeaders = names.join(';');
    const canonical = `${method}\n${path}\n\n${canonicalHeaders}\n${signedHeaders}\n${headers['x-amz-content-sha256']}`;
    const day = amzDate.slice(0, 8);
    const scope = `${day}/${this.endpoint.region}/${SERVICE}/aws4_request`;
    const toSign = `AWS4-HMAC-SHA256\n${amzDate}\n${scope}\n${createHash('sha256').update(canonical, 'utf8').digest('hex')}`;
    const signature = createHmac('sha256', this.keyFor(day)).update(toSign, 'utf8').digest('hex');
    return `AWS4-HMAC-SHA256 Credential=${this.endpoint.credentials.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
  }

  /** The day's signing key, derived once per day. */
  private keyFor(day: string): Buffer {
    if (day !== this.signingDate) {
      const kDate = hmac(`AWS4${this.endpoint.credentials.secretAccessKey}`, day);
      this.signingKey = hmac(hmac(hmac(kDate, this.endpoint.region), SERVICE), 'aws4_request');
      this.signingDate = day;
    }
    return this.signingKey;
  }

  private send(path: string, headers: Record<string, string>, body: Buffer, signal: AbortSignal | undefined): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
    const url = this.endpoint.url;
    // An IPv6 literal is connected to without its URL brackets (the Host header keeps them).
    return new Promise((resolve, reject) => {
      const req = this.transport.request(
        { host: url.hostname.replace(/^\[(.*)\]$/, '$1'), port: url.port || undefined, method: 'PUT', path, headers, agent: this.endpoint.agent, signal },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', reject);
        },
      );
      req.setTimeout(SOCKET_IDLE_TIMEOUT_MS, () => req.destroy(Object.assign(new Error('the store did not answer in time'), { code: 'ETIMEDOUT' })));
      req.on('error', reject);
      req.end(body);
    });
  }
}
