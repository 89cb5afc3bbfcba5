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

export type StoredEncryption = SseS3Sealed | SseCSealed;

export type EncryptionMode = StoredEncryption['mode'];

/** A checksum the client sent and the store verified; sealed under the object key for SSE-C. */
export interface ObjectChecksum {
  algorithm: string;
  value: string;
  type: 'FULL_OBJECT' | 'COMPOSITE';
}
