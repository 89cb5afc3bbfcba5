// The SDK request members for each encryption mode, exactly as S3 defines its SSE headers.
import type { ObjectEncryption } from './objectStore.js';
import { RemoteError } from './objectStore.js';

/** AES-256: an SSE-C key is exactly 32 bytes. */
const CUSTOMER_KEY_BYTES = 32;

export interface SseWriteParams {
  ServerSideEncryption?: 'AES256' | 'aws:kms';
  SSEKMSKeyId?: string;
  SSECustomerAlgorithm?: string;
  SSECustomerKey?: string;
}

export interface SseCParams {
  SSECustomerAlgorithm?: string;
  SSECustomerKey?: string;
}

export interface CopySourceSseCParams {
  CopySourceSSECustomerAlgorithm?: string;
  CopySourceSSECustomerKey?: string;
}

/** The key as the SDK takes it: base64 of the 32 bytes (the SDK adds the key's MD5 header itself). */
function customerKeyBase64(key: Buffer): string {
  // A wrong-length key is a defect upstream (the vault makes 32-byte keys): stop rather than send it.
  if (key.length !== CUSTOMER_KEY_BYTES) throw new RemoteError('an SSE-C key must be 32 bytes', 'fatal', 'InvalidEncryptionKey', undefined);
  return key.toString('base64');
}

/** Members for a write (PutObject, CreateMultipartUpload, CopyObject's destination). */
export function sseWriteParams(encryption: ObjectEncryption): SseWriteParams {
  switch (encryption.mode) {
    case 'sse-s3':
      return { ServerSideEncryption: 'AES256' };
    case 'sse-kms':
      return encryption.keyId === undefined ? { ServerSideEncryption: 'aws:kms' } : { ServerSideEncryption: 'aws:kms', SSEKMSKeyId: encryption.keyId };
    case 'sse-c':
      return sseCParams(encryption);
  }
}

/**
 * Members for a request that touches an SSE-C object's data (GET, HEAD, UploadPart, Complete);
 * nothing for the other modes, whose keys the store picks itself.
 */
export function sseCParams(encryption: ObjectEncryption | undefined): SseCParams {
  if (encryption?.mode !== 'sse-c') return {};
  return { SSECustomerAlgorithm: 'AES256', SSECustomerKey: customerKeyBase64(encryption.key) };
}

/** Members naming the key of an SSE-C copy source. */
export function copySourceParams(encryption: ObjectEncryption | undefined): CopySourceSseCParams {
  if (encryption?.mode !== 'sse-c') return {};
  return { CopySourceSSECustomerAlgorithm: 'AES256', CopySourceSSECustomerKey: customerKeyBase64(encryption.key) };
}

export function usesSseC(...encryptions: (ObjectEncryption | undefined)[]): boolean {
  return encryptions.some((e) => e?.mode === 'sse-c');
}
