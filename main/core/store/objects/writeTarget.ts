// Deciding a new object's encryption and making its sealed key: shared by PutObject, CopyObject and CreateMultipartUpload.
import { randomBytes } from 'node:crypto';
import type { RequestContext } from '../requestContext.js';
import { bucketDefault } from '../sse/bucketEncryption.js';
import { applyBucketDefault, parseRequestedEncryption, type EffectiveEncryption, type RequestedEncryption } from '../sse/requestEncryption.js';
import type { BucketRecord } from '../storage/records.js';
import type { SealingMode } from './sealing.js';

export interface WriteEncryption {
  requested: RequestedEncryption;
  effective: EffectiveEncryption;
  mode: SealingMode;
}

/** Validates the request's SSE headers (S3-SSE.md R5.2) and applies the bucket default. */
export function writeEncryption(ctx: RequestContext, bucket: BucketRecord): WriteEncryption {
  const requested = parseRequestedEncryption(ctx);
  const effective = applyBucketDefault(requested, bucketDefault(bucket.encryption));
  if (effective.kind === 'SSE-KMS') throw new Error('unreachable: SSE-KMS is refused by applyBucketDefault');
  return { requested, effective, mode: effective };
}

/**
 * SSE-S3 ETags are the plaintext MD5 (S3-SSE.md 2.3); SSE-C ETags are opaque and differ on
 * every write (4.7), so they never reveal the plaintext's digest.
 */
export function objectEtag(mode: SealingMode, md5: Buffer | undefined): string {
  if (mode.kind === 'SSE-S3') {
    if (!md5) throw new Error('an SSE-S3 ETag needs the plaintext MD5');
    return md5.toString('hex');
  }
  return randomBytes(16).toString('hex');
}
