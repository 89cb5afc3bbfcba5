// What the store persists about an object's encryption: sealed keys and key checks, never a key.

/** SSE-S3: the object key sealed by one version of the store master key. */
export interface SseS3Sealed {
  mode: 'SSE-S3';
  masterKeyVersion: number;
  sealedKey: string;
}

/**
 * SSE-C: the object key sealed by a key derived from the customer's key, plus a salted HMAC
 * verifier of that key. Neither the customer key nor its MD5 is stored (S3-SSE.md 4.5).
 */
export interface SseCSealed {
  mode: 'SSE-C';
  salt: string;
  verifier: string;
  sealedKey: string;
}

/**
 * SSE-KMS: the object key sealed by a KMS data key; the data key is stored only as the KMS
 * ciphertext, which names the CMK and the key material that made it (S3-SSE.md 3, 10).
 */
export interface SseKmsSealed {
  mode: 'SSE-KMS';
  algorithm: 'aws:kms' | 'aws:kms:dsse';
  /** The CMK's full ARN, as responses report it (S3-SSE.md R1.3). */
  keyArn: string;
  keyMaterialId: string;
  /** The KMS ciphertext of the data key, base64. */
  dataKey: string;
  /** The client's x-amz-server-side-encryption-context exactly as sent (base64), or null. */
  context: string | null;
  bucketKey: boolean;
  sealedKey: string;
}

export type StoredEncryption = SseS3Sealed | SseCSealed | SseKmsSealed;

export type EncryptionMode = StoredEncryption['mode'];

/** A checksum the client sent and the store verified; sealed under the object key for SSE-C. */
export interface ObjectChecksum {
  algorithm: string;
  value: string;
  type: 'FULL_OBJECT' | 'COMPOSITE';
}
