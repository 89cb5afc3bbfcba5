// Builds the SDK client for one remote: keep-alive agents honouring the TLS options, and no SDK-level retries.
import http from 'node:http';
import { S3Client } from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { createHttpsAgent, type TlsOptions } from './tlsAgent.js';

export interface S3ClientOptions {
  readonly endpoint: string;
  readonly region: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  readonly forcePathStyle: boolean;
  readonly tls?: TlsOptions;
}

/** Milliseconds to open a TCP connection. */
const CONNECTION_TIMEOUT_MS = 30_000;
/** Milliseconds a socket may stay silent mid-request before the request fails as timed out. */
const SOCKET_IDLE_TIMEOUT_MS = 120_000;

export interface S3Connection {
  readonly client: S3Client;
  /** The keep-alive pool the client sends on, for the endpoint's scheme (requests signed outside the SDK share it). */
  readonly agent: http.Agent;
  /** Closes pooled sockets; the client must not be used afterwards. */
  destroy(): void;
}

/**
 * maxAttempts is 1: retries belong to the caller (withRetries), which sees the error class and
 * can resume a multipart upload from its checkpoint, while the SDK cannot replay a file stream.
 * The SDK still corrects its clock offset from a RequestTimeTooSkewed answer, so a retry by the
 * caller is signed with the right time. Checksums use the SDK default (CRC32 on uploads, response
 * checksums validated on downloads).
 */
export function createS3Connection(options: S3ClientOptions): S3Connection {
  const httpAgent = new http.Agent({ keepAlive: true });
  const httpsAgent = createHttpsAgent(options.tls);
  const client = new S3Client({
    endpoint: options.endpoint,
    region: options.region,
    credentials: { accessKeyId: options.credentials.accessKeyId, secretAccessKey: options.credentials.secretAccessKey },
    forcePathStyle: options.forcePathStyle,
    maxAttempts: 1,
    // No logger: the SDK's default is its silent NoOpLogger, which it recognises and then skips
    // building a redacted copy of every response for the log, which a listing of thousands of keys
    // pays for in full. Failures reach the caller as RemoteErrors.
    requestHandler: new NodeHttpHandler({ httpAgent, httpsAgent, connectionTimeout: CONNECTION_TIMEOUT_MS, requestTimeout: SOCKET_IDLE_TIMEOUT_MS }),
  });
  return {
    client,
    agent: new URL(options.endpoint).protocol === 'https:' ? httpsAgent : httpAgent,
    destroy() {
      client.destroy();
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  };
}
