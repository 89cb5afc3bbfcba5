// The encryption headers a response carries (S3-SSE.md 1.2, R1.2-R1.5): never a key, never the context on reads.
import type { CustomerKey } from './customerKeyHeaders.js';
import { SSE, SSE_BUCKET_KEY, SSE_C_ALGORITHM, SSE_C_KEY_MD5, SSE_CONTEXT, SSE_KMS_KEY_ID } from './sseHeaders.js';
import type { StoredEncryption } from './storedEncryption.js';

/**
 * SSE-S3: AES256. SSE-KMS: the algorithm, the full key ARN, `true` for a bucket key (never
 * `false`), and the client's context only where `withContext` (PutObject, CopyObject,
 * CreateMultipartUpload). SSE-C: the algorithm and the key MD5 the client sent, and no SSE header.
 */
export function encryptionResponseHeaders(
  stored: StoredEncryption,
  customer: CustomerKey | undefined,
  withContext = false,
): Record<string, string> {
  switch (stored.mode) {
    case 'SSE-C':
      return customer ? { [SSE_C_ALGORITHM]: 'AES256', [SSE_C_KEY_MD5]: customer.keyMd5 } : {};
    case 'SSE-KMS':
      return {
        [SSE]: stored.algorithm,
        [SSE_KMS_KEY_ID]: stored.keyArn,
        ...(stored.bucketKey ? { [SSE_BUCKET_KEY]: 'true' } : {}),
        ...(withContext && stored.context ? { [SSE_CONTEXT]: stored.context } : {}),
      };
    case 'SSE-S3':
      return { [SSE]: 'AES256' };
  }
}
