// What a verified request proved about itself, and how its x-amz-content-sha256 value says the payload is protected.
//
// Payload options: https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html
// (x-amz-content-sha256), streaming forms in sigv4-streaming.html and sigv4-streaming-trailers.html.

import { S3Error } from '../errors.js';

export type PayloadMode =
  /** The whole body must hash to `hex` (lower case). */
  | { kind: 'sha256'; hex: string }
  /** UNSIGNED-PAYLOAD: the body is not covered by the signature. */
  | { kind: 'unsigned' }
  /** STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]: aws-chunked, every chunk (and the trailer) signed. */
  | { kind: 'streaming-signed'; trailer: boolean }
  /** STREAMING-UNSIGNED-PAYLOAD-TRAILER: aws-chunked, unsigned, with a trailer (usually a checksum). */
  | { kind: 'streaming-unsigned-trailer' };

export interface AuthContext {
  readonly accessKeyId: string;
  readonly kind: 'header' | 'presigned';
  /** Lower-case names of the headers the signature covers. */
  readonly signedHeaders: ReadonlySet<string>;
  /** The region named in the credential scope, as the client sent it. */
  readonly region: string;
  /** The request time in ISO 8601 basic form (yyyyMMddTHHmmssZ), as used in the string to sign. */
  readonly amzDate: string;
  /** yyyymmdd/region/s3/aws4_request */
  readonly scope: string;
  /** The verified request signature; the first chunk signature of a signed stream chains from it. */
  readonly seedSignature: string;
  /** Derived key for this scope. Sensitive: never log it. */
  readonly signingKey: Buffer;
  readonly payload: PayloadMode;
}

export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
export const STREAMING_UNSIGNED_TRAILER = 'STREAMING-UNSIGNED-PAYLOAD-TRAILER';
export const STREAMING_SIGNED = 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD';
export const STREAMING_SIGNED_TRAILER = 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER';

const SHA256_HEX = /^[0-9a-fA-F]{64}$/;

/**
 * Interprets an x-amz-content-sha256 value. Missing -> 400 InvalidRequest and anything else
 * unknown -> 400 InvalidArgument, with the texts S3 sends for these cases.
 */
export function parsePayloadMode(value: string | undefined): PayloadMode {
  if (value === undefined) {
    throw new S3Error('InvalidRequest', 'Missing required header for this request: x-amz-content-sha256');
  }
  switch (value) {
    case UNSIGNED_PAYLOAD:
      return { kind: 'unsigned' };
    case STREAMING_UNSIGNED_TRAILER:
      return { kind: 'streaming-unsigned-trailer' };
    case STREAMING_SIGNED:
      return { kind: 'streaming-signed', trailer: false };
    case STREAMING_SIGNED_TRAILER:
      return { kind: 'streaming-signed', trailer: true };
    default:
      if (SHA256_HEX.test(value)) return { kind: 'sha256', hex: value.toLowerCase() };
      // S3's wording names the SigV4a streaming modes too; the store refuses SigV4a earlier but keeps the text clients expect.
      throw new S3Error(
        'InvalidArgument',
        `x-amz-content-sha256 must be ${UNSIGNED_PAYLOAD}, ${STREAMING_UNSIGNED_TRAILER}, ${STREAMING_SIGNED}, ` +
          `${STREAMING_SIGNED_TRAILER}, STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD, STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER ` +
          `or a valid sha256 value.`,
        { ArgumentName: 'x-amz-content-sha256', ArgumentValue: value },
      );
  }
}
