// What an S3 operation handler receives, and what it returns.
import type { IncomingHttpHeaders } from 'node:http';
import type { AuthContext, PayloadReader } from './auth/index.js';
import type { SseModeName } from '../audit/auditEvent.js';
import type { KeySources } from './objects/sealing.js';
import type { StoreServices } from './storeServices.js';

export interface RequestContext {
  readonly requestId: string;
  readonly method: string;
  /** Decoded bucket name from the path or the Host header; undefined for service-level requests. */
  readonly bucket: string | undefined;
  /** Decoded object key; undefined for bucket-level requests. */
  readonly key: string | undefined;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  /** True when the request arrived on the TLS listener. */
  readonly secure: boolean;
  readonly auth: AuthContext;
  readonly sourceIp: string;
  readonly receivedAt: Date;
  readonly services: StoreServices;
  /**
   * A request header, or for presigned URLs the same-named query parameter (S3-SSE.md R1.6:
   * older SDKs hoist signed x-amz-* headers into the query string).
   */
  header(name: string): string | undefined;
  /** The decoded, verified payload; may be read once. */
  body(): PayloadReader;
  /** The keyring, the KMS and this request's caller, for sealing and unsealing object keys. */
  readonly keys: KeySources;
  /** What the operation tells the access history about this request (filled as it goes). */
  readonly auditNote: AuditNote;
}

/** The request's facts only the operation knows; never a key's bytes, only ids and versions. */
export interface AuditNote {
  sseMode?: SseModeName;
  keyId?: string;
  keyVersion?: string;
  bytes?: number;
}

export type HeaderValue = string | number | undefined;

export interface S3Response {
  status?: number;
  headers?: Record<string, HeaderValue>;
  body?: string | Buffer | AsyncIterable<Buffer>;
}

export type OperationHandler = (ctx: RequestContext) => Promise<S3Response>;
