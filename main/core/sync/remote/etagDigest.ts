// When an S3 ETag is the MD5 of the object's bytes, which lets a download of an object Coffer did not write still be checked.

const MD5_ETAG = /^"?([0-9a-f]{32})"?$/;

/** What a HEAD or GET answer says about how the object is encrypted. */
export interface EtagContext {
  /** x-amz-server-side-encryption as sent: 'AES256', 'aws:kms', 'aws:kms:dsse', or undefined. */
  readonly serverSideEncryption?: string;
  /** x-amz-server-side-encryption-customer-algorithm: present for SSE-C objects. */
  readonly sseCustomerAlgorithm?: string;
}

/**
 * The MD5 (lower-case hex) the ETag states, or undefined when it states none. S3 makes the ETag the
 * MD5 of the content only for an object written by one PUT (or copied from one) that is stored in
 * plaintext or with SSE-S3; with SSE-KMS or SSE-C it is some other digest, and a multipart ETag
 * carries a "-N" part count. Stores that follow S3 (the embedded one, MinIO, Ceph) keep that rule.
 */
export function contentMd5OfEtag(etag: string, context: EtagContext): string | undefined {
  if (context.sseCustomerAlgorithm !== undefined) return undefined;
  if (context.serverSideEncryption !== undefined && context.serverSideEncryption !== 'AES256') return undefined;
  return MD5_ETAG.exec(etag.toLowerCase())?.[1];
}

/** `{ contentMd5 }` from an SDK HEAD or GET output when its ETag is the content's MD5, `{}` otherwise. */
export function withContentMd5(out: { ETag?: string; ServerSideEncryption?: string; SSECustomerAlgorithm?: string }): { contentMd5?: string } {
  const contentMd5 = contentMd5OfEtag(out.ETag ?? '', { serverSideEncryption: out.ServerSideEncryption, sseCustomerAlgorithm: out.SSECustomerAlgorithm });
  return contentMd5 === undefined ? {} : { contentMd5 };
}
