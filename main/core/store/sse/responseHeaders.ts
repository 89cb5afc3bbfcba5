// The encryption headers a response carries (S3-SSE.md 1.2, R1.4, R1.5): never a key, never the context on reads.
import type { CustomerKey } from './customerKeyHeaders.js';
import { SSE, SSE_C_ALGORITHM, SSE_C_KEY_MD5 } from './sseHeaders.js';
import type { EncryptionMode } from './storedEncryption.js';

/** SSE-S3 objects say AES256; SSE-C objects echo the algorithm and the key MD5 the client sent, and no SSE header. */
export function encryptionResponseHeaders(mode: EncryptionMode, customer: CustomerKey | undefined): Record<string, string> {
  if (mode === 'SSE-C') {
    return customer ? { [SSE_C_ALGORITHM]: 'AES256', [SSE_C_KEY_MD5]: customer.keyMd5 } : {};
  }
  return { [SSE]: 'AES256' };
}
