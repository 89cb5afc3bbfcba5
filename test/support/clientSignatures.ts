// Test support: SigV4 signatures as a client makes them, for any credentials and region (presigned URLs, and the signatures an SDK client sent).
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import type { S3Client } from '@aws-sdk/client-s3';
import { SignatureV4 } from '@smithy/signature-v4';

type Bytes = string | ArrayBuffer | ArrayBufferView;

function toBuffer(data: Bytes): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data);
}

/** SHA-256, or HMAC-SHA256 when given a secret, in the shape @smithy/signature-v4 asks for (node:crypto backs it). */
class Sha256 {
  private state: Hash | Hmac;
  constructor(private readonly secret?: Bytes) {
    this.state = this.start();
  }
  private start(): Hash | Hmac {
    return this.secret === undefined ? createHash('sha256') : createHmac('sha256', toBuffer(this.secret));
  }
  update(data: Bytes): void {
    this.state.update(toBuffer(data));
  }
  async digest(): Promise<Uint8Array> {
    return this.state.digest();
  }
  reset(): void {
    this.state = this.start();
  }
}

export interface SigningIdentity {
  credentials: { accessKeyId: string; secretAccessKey: string };
  region: string;
}

/**
 * A presigned path-style GET URL for `bucket/key` on `endpoint` (http or https origin), signed as
 * S3 presigners sign it (UNSIGNED-PAYLOAD, only `host` signed). `key` must be URL-safe as given.
 */
export async function presignedGetUrl(endpoint: string, bucket: string, key: string, who: SigningIdentity, expiresInSeconds = 900): Promise<URL> {
  const origin = new URL(endpoint);
  const signer = new SignatureV4({ service: 's3', region: who.region, credentials: who.credentials, sha256: Sha256, uriEscapePath: false });
  const signed = await signer.presign(
    {
      method: 'GET',
      protocol: origin.protocol,
      hostname: origin.hostname,
      port: Number(origin.port),
      path: `/${bucket}/${key}`,
      query: {},
      // The signer hoists x-amz-* headers into the query, so this becomes X-Amz-Content-Sha256 and the hash it signs.
      headers: { host: origin.host, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
    },
    { expiresIn: expiresInSeconds },
  );
  const url = new URL(`/${bucket}/${key}`, origin);
  for (const [name, value] of Object.entries(signed.query ?? {})) if (typeof value === 'string') url.searchParams.set(name, value);
  return url;
}

/**
 * Records the `Signature=` value of every request `client` sends from now on (read after signing,
 * just before the request goes out). Requests that never reach signing record nothing.
 */
export function recordSignatures(client: S3Client): string[] {
  const seen: string[] = [];
  client.middlewareStack.add(
    (next) => async (args) => {
      const headers = (args.request as { headers?: Record<string, string> }).headers ?? {};
      const signature = /Signature=([0-9a-f]+)/.exec(headers['authorization'] ?? headers['Authorization'] ?? '')?.[1];
      if (signature) seen.push(signature);
      return next(args);
    },
    { step: 'deserialize', name: 'recordSignatures' },
  );
  return seen;
}
