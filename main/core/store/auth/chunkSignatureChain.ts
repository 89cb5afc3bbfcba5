// Checks the chain of chunk signatures of a STREAMING-AWS4-HMAC-SHA256-PAYLOAD body and its trailer signature.
//
// Each chunk signature signs the previous one (the first signs the request's seed signature), so
// chunks can be neither reordered, dropped nor replayed from another request.
// https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html
// https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming-trailers.html

import { type Hash, createHash } from 'node:crypto';

import { S3Error } from '../errors.js';
import type { AuthContext } from './authContext.js';
import { chunkStringToSign, hmacSha256Hex, sameSignature, trailerStringToSign } from './signatures.js';

export class ChunkSignatureChain {
  private previous: string;
  private hash: Hash | undefined;
  private expected = '';

  constructor(private readonly auth: AuthContext) {
    this.previous = auth.seedSignature;
  }

  start(signature: string): void {
    this.expected = signature;
    this.hash = createHash('sha256');
  }

  update(data: Buffer): void {
    this.hash?.update(data);
  }

  /** Verifies the chunk just completed. Mismatch -> 403 SignatureDoesNotMatch. */
  finish(): void {
    const digest = (this.hash ?? createHash('sha256')).digest('hex');
    this.hash = undefined;
    const toSign = chunkStringToSign(this.auth.amzDate, this.auth.scope, this.previous, digest);
    if (!sameSignature(hmacSha256Hex(this.auth.signingKey, toSign), this.expected)) {
      throw new S3Error('SignatureDoesNotMatch', undefined, { AWSAccessKeyId: this.auth.accessKeyId, StringToSign: toSign });
    }
    this.previous = this.expected;
  }

  /**
   * Verifies x-amz-trailer-signature over the canonical trailer: each trailer (names sorted) as
   * "name:value\n", chained to the final chunk's signature. Mismatch -> 403 SignatureDoesNotMatch.
   */
  verifyTrailer(trailers: ReadonlyMap<string, string>, signature: string): void {
    const canonical = [...trailers.keys()].sort().map((name) => `${name}:${trailers.get(name) ?? ''}\n`).join('');
    const digest = createHash('sha256').update(canonical).digest('hex');
    const toSign = trailerStringToSign(this.auth.amzDate, this.auth.scope, this.previous, digest);
    if (!sameSignature(hmacSha256Hex(this.auth.signingKey, toSign), signature)) {
      throw new S3Error('SignatureDoesNotMatch', undefined, { AWSAccessKeyId: this.auth.accessKeyId, StringToSign: toSign });
    }
  }
}
