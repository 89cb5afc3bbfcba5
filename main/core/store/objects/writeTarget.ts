// Deciding a new object's encryption and making its sealed key: shared by PutObject, CopyObject and CreateMultipartUpload.
import { randomBytes } from 'node:crypto';
import type { RequestContext } from '../requestContext.js';
import { bucketDefault } from '../sse/bucketEncryption.js';
import { applyBucketDefault, parseRequestedEncryption, type EffectiveEncryption, type RequestedEncryption } from '../sse/requestEncryption.js';
import type { BucketRecord } from '../storage/records.js';
import { chooseKmsKey } from './kmsKeyChoice.js';
import { assertSseCWriteAllowed } from './sseCBlock.js';
import type { SealingMode } from './sealing.js';

export interface WriteEncryption {
  requested: RequestedEncryption;
  effective: EffectiveEncryption;
  mode: SealingMode;
}

/**
 * Validates the request's SSE headers (S3-SSE.md R5.2), refuses SSE-C on a bucket that blocks it,
 * applies the bucket default and resolves a KMS key: the order of S3-SSE.md R5.4.
 */
export function writeEncryption(ctx: RequestContext, bucket: BucketRecord, action: 's3:PutObject' | 's3:CopyObject' = 's3:PutObject'): WriteEncryption {
  const requested = parseRequestedEncryption(ctx);
  if (requested.kind === 'SSE-C') assertSseCWriteAllowed(ctx, bucket, action, ctx.key!);
  const effective = applyBucketDefault(requested, bucketDefault(bucket.encryption));
  ctx.auditNote.sseMode = effective.kind;
  const mode = effective.kind === 'SSE-KMS' ? chooseKmsKey(effective, ctx.keys) : effective;
  if (mode.kind === 'SSE-KMS') ctx.auditNote.keyId = mode.keyArn;
  return { requested, effective, mode };
}

/**
 * SSE-S3 ETags are the plaintext MD5 (S3-SSE.md 2.3); SSE-KMS and SSE-C ETags are opaque and
 * differ on every write (3.3, 4.7), so they never reveal the plaintext's digest.
 */
export function objectEtag(mode: SealingMode, md5: Buffer | undefined): string {
  if (mode.kind === 'SSE-S3') {
    if (!md5) throw new Error('an SSE-S3 ETag needs the plaintext MD5');
    return md5.toString('hex');
  }
  return randomBytes(16).toString('hex');
}
