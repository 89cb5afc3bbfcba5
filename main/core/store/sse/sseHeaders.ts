// The names of S3's server-side-encryption headers (S3-SSE.md 1.1).
export const SSE = 'x-amz-server-side-encryption';
export const SSE_KMS_KEY_ID = 'x-amz-server-side-encryption-aws-kms-key-id';
export const SSE_CONTEXT = 'x-amz-server-side-encryption-context';
export const SSE_BUCKET_KEY = 'x-amz-server-side-encryption-bucket-key-enabled';

/** The values x-amz-server-side-encryption (and a bucket default's SSEAlgorithm) can take. */
export type SseAlgorithm = 'AES256' | 'aws:kms' | 'aws:kms:dsse';

export const SSE_C_ALGORITHM = 'x-amz-server-side-encryption-customer-algorithm';
export const SSE_C_KEY = 'x-amz-server-side-encryption-customer-key';
export const SSE_C_KEY_MD5 = 'x-amz-server-side-encryption-customer-key-md5';

export const COPY_SOURCE_SSE_C_ALGORITHM = 'x-amz-copy-source-server-side-encryption-customer-algorithm';
export const COPY_SOURCE_SSE_C_KEY = 'x-amz-copy-source-server-side-encryption-customer-key';
export const COPY_SOURCE_SSE_C_KEY_MD5 = 'x-amz-copy-source-server-side-encryption-customer-key-md5';

/** The three headers of one SSE-C key: the object's own, or the copy source's. */
export interface CustomerKeyHeaderNames {
  algorithm: string;
  key: string;
  keyMd5: string;
}

export const TARGET_KEY_HEADERS: CustomerKeyHeaderNames = { algorithm: SSE_C_ALGORITHM, key: SSE_C_KEY, keyMd5: SSE_C_KEY_MD5 };
export const COPY_SOURCE_KEY_HEADERS: CustomerKeyHeaderNames = {
  algorithm: COPY_SOURCE_SSE_C_ALGORITHM,
  key: COPY_SOURCE_SSE_C_KEY,
  keyMd5: COPY_SOURCE_SSE_C_KEY_MD5,
};
