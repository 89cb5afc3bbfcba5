// A lean SigV4 S3 client over node:http / node:https, used unchanged for every benchmark target.
//
// Every request is signed with header auth and UNSIGNED-PAYLOAD (the body is not hashed by the
// client), so the client's cost per request is one HMAC chain and the bytes it moves.
import { createHash, createHmac } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';

export interface ClientOptions {
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
  /** PEM certificate to trust for an https endpoint (a self-signed store certificate). */
  ca?: string;
  /** Keep-alive sockets per endpoint; at least the highest concurrency used. */
  maxSockets: number;
}

export interface BenchResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** Bytes received (the body is handed to `onData` and dropped, or collected when no sink is given). */
  bytes: number;
  body: Buffer | undefined;
}

export type RequestBody = { kind: 'buffer'; data: Buffer } | { kind: 'stream'; data: Readable; length: number };

const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';

/** RFC 3986 encoding of one path segment, as SigV4 canonical URIs for S3 want it. */
function encodeSegment(segment: string): string {
  return encodeURIComponent(segment).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export function objectPath(bucket: string, key?: string): string {
  const parts = key === undefined ? [bucket] : [bucket, ...key.split('/')];
  return `/${parts.map(encodeSegment).join('/')}`;
}

function hmac(key: Buffer | string, text: string): Buffer {
  return createHmac('sha256', key).update(text, 'utf8').digest();
}

export class SignedClient {
  readonly agent: http.Agent;
  private readonly url: URL;
  private readonly transport: typeof http | typeof https;
  private readonly hostHeader: string;
  private signingDate = '';
  private signingKey: Buffer = Buffer.alloc(0);

  constructor(private readonly options: ClientOptions) {
    this.url = new URL(options.endpoint);
    const secure = this.url.protocol === 'https:';
    this.transport = secure ? https : http;
    const agentOptions = { keepAlive: true, maxSockets: options.maxSockets, maxFreeSockets: options.maxSockets };
    this.agent = secure ? new https.Agent({ ...agentOptions, ca: options.ca }) : new http.Agent(agentOptions);
    this.hostHeader = this.url.host;
  }

  close(): void {
    this.agent.destroy();
  }

  /** The signed headers for one request; `extra` (lower-case names) are sent and, for x-amz-*, signed. */
  private sign(method: string, path: string, extra: Record<string, string>): Record<string, string> {
    const now = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
    const day = now.slice(0, 8);
    if (day !== this.signingDate) {
      const kDate = hmac(`AWS4${this.options.secretAccessKey}`, day);
      this.signingKey = hmac(hmac(hmac(kDate, this.options.region), 's3'), 'aws4_request');
      this.signingDate = day;
    }
    const signed: Record<string, string> = { host: this.hostHeader, 'x-amz-content-sha256': UNSIGNED_PAYLOAD, 'x-amz-date': now };
    for (const [name, value] of Object.entries(extra)) if (name.startsWith('x-amz-')) signed[name] = value;
    const names = Object.keys(signed).sort();
    const canonical = [
      method,
      path,
      '',
      ...names.map((n) => `${n}:${signed[n]!.trim()}`),
      '',
      names.join(';'),
      UNSIGNED_PAYLOAD,
    ].join('\n');
    const scope = `${day}/${this.options.region}/s3/aws4_request`;
    const toSign = ['AWS4-HMAC-SHA256', now, scope, createHash('sha256').update(canonical, 'utf8').digest('hex')].join('\n');
    const signature = createHmac('sha256', this.signingKey).update(toSign, 'utf8').digest('hex');
    return {
      ...extra,
      ...signed,
      authorization: `AWS4-HMAC-SHA256 Credential=${this.options.accessKeyId}/${scope}, SignedHeaders=${names.join(';')}, Signature=${signature}`,
    };
  }

  /**
   * One request. Without `onData` the response body is collected (small bodies, error XML); with it
   * each received chunk is passed on and dropped. Non-2xx answers reject with the body text.
   */
  request(
    method: string,
    path: string,
    headers: Record<string, string> = {},
    body?: RequestBody,
    onData?: (chunk: Buffer) => void,
  ): Promise<BenchResponse> {
    const extra = { ...headers };
    if (body) extra['content-length'] = String(body.kind === 'buffer' ? body.data.length : body.length);
    else if (method === 'PUT') extra['content-length'] = '0';
    const signedHeaders = this.sign(method, path, extra);
    return new Promise<BenchResponse>((resolve, reject) => {
      const req = this.transport.request(
        { method, host: this.url.hostname, port: this.url.port, path, headers: signedHeaders, agent: this.agent },
        (res) => {
          const status = res.statusCode ?? 0;
          const ok = status >= 200 && status < 300;
          const collected: Buffer[] = [];
          let bytes = 0;
          res.on('data', (chunk: Buffer) => {
            bytes += chunk.length;
            if (ok && onData) onData(chunk);
            else collected.push(chunk);
          });
          res.on('error', reject);
          res.on('end', () => {
            const text = collected.length > 0 ? Buffer.concat(collected) : undefined;
            if (!ok) reject(new Error(`${method} ${path}: HTTP ${status}: ${text?.toString('utf8').slice(0, 400) ?? ''}`));
            else resolve({ status, headers: res.headers, bytes, body: onData ? undefined : text ?? Buffer.alloc(0) });
          });
        },
      );
      req.on('error', reject);
      if (!body) req.end();
      else if (body.kind === 'buffer') req.end(body.data);
      else {
        body.data.on('error', (err) => req.destroy(err));
        body.data.pipe(req);
      }
    });
  }
}
