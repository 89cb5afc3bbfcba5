// The digests one write computes in its single pass: MD5 (ETag, Content-MD5) and the client's checksum.
import { createHash } from 'node:crypto';
import {
  createChecksum,
  parseChecksumAlgorithm,
  planChecksums,
  verifyChecksums,
  type ChecksumPlan,
} from '../integrity/index.js';
import { OffThreadMd5 } from '../integrity/offThreadMd5.js';
import type { RequestContext } from '../requestContext.js';
import type { ObjectChecksum } from '../sse/storedEncryption.js';
import type { Hasher } from './ingest.js';

export interface BodyIntegrity {
  /** Feed every payload chunk to each of these. */
  readonly hashers: readonly Hasher[];
  /** The plaintext MD5, when it was computed (for an SSE-S3 ETag or a Content-MD5 check). */
  md5(): Buffer | undefined;
  /** After the payload: checks Content-MD5 and the checksum (400 BadDigest), returns the checksum to store. */
  verify(trailers: Readonly<Record<string, string>>): ObjectChecksum | undefined;
}

const NO_PLAN: ChecksumPlan = { contentMd5: undefined, checksum: undefined };

/** From this size on, MD5 runs on a worker thread; below it the hand-off costs more than it saves. */
const OFF_THREAD_MD5_MIN_BYTES = 1024 * 1024;

/**
 * One MD5 serves both the ETag and a Content-MD5 check, so a plaintext is never hashed twice with
 * the same function. `fromRequest: false` (copies) computes only what the new object needs.
 * `plainBytes` (the declared size) moves the MD5 of a large body to a worker thread.
 */
export function startBodyIntegrity(ctx: RequestContext, wantMd5: boolean, fromRequest = true, plainBytes = 0): BodyIntegrity {
  const plan = fromRequest ? planChecksums(ctx.headers) : NO_PLAN;
  const needMd5 = wantMd5 || plan.contentMd5 !== undefined;
  const md5 = !needMd5 ? undefined : plainBytes >= OFF_THREAD_MD5_MIN_BYTES ? new OffThreadMd5() : createHash('md5');
  const checksum = plan.checksum ? createChecksum(plan.checksum.algorithm) : undefined;
  let md5Digest: Buffer | undefined;
  const finishMd5 = (): Buffer | undefined => (md5Digest ??= md5?.digest());
  return {
    hashers: [md5, checksum].filter((h): h is NonNullable<typeof h> => h !== undefined),
    md5: finishMd5,
    verify(trailers) {
      const verified = verifyChecksums(plan, { md5: finishMd5(), checksum: checksum?.digest() }, trailers);
      return verified && { algorithm: verified.algorithm, value: verified.value, type: 'FULL_OBJECT' };
    },
  };
}

/** A multipart object's checksum: the algorithm over the concatenated binary part checksums, '-' and the count. */
export function compositeChecksum(algorithmName: string, parts: readonly ObjectChecksum[]): ObjectChecksum | undefined {
  const algorithm = parseChecksumAlgorithm(algorithmName);
  if (!algorithm || parts.some((p) => p.algorithm !== algorithm)) return undefined;
  const hash = createChecksum(algorithm);
  for (const part of parts) hash.update(Buffer.from(part.value, 'base64'));
  return { algorithm, value: `${hash.digest().toString('base64')}-${parts.length}`, type: 'COMPOSITE' };
}
