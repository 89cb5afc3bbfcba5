// The shapes of the store's metadata rows as the rest of the store sees them.
import type { StoredEncryption } from '../sse/storedEncryption.js';

/** Headers S3 stores with an object and returns on GET/HEAD. */
export const STORED_SYSTEM_HEADERS = [
  'cache-control',
  'content-disposition',
  'content-encoding',
  'content-language',
  'expires',
  'x-amz-website-redirect-location',
  'x-amz-storage-class',
] as const;

export interface ObjectAttributes {
  contentType: string | undefined;
  systemHeaders: Record<string, string>;
  userMetadata: Record<string, string>;
}

/**
 * One object tag. Tags are metadata, kept in plaintext and served without the SSE-C key
 * (S3-SSE.md R5.5); objects/tagSet.ts validates them before they are stored.
 */
export interface ObjectTag {
  key: string;
  value: string;
}

/** One encrypted stream of an object: the whole body of a PUT, or one part of a multipart upload. */
export interface StreamRecord {
  partNumber: number;
  size: number;
  blobId: string;
  etag: string;
  /** JSON text of the part checksum (sealed for SSE-C), if the client sent one. */
  checksum: string | null;
}

/** What a bucket listing shows of an object: no metadata, encryption or tags to decode per entry. */
export interface ListedObject {
  key: string;
  size: number;
  etag: string;
  lastModified: Date;
}

export interface ObjectRecord extends ObjectAttributes {
  bucket: string;
  key: string;
  size: number;
  /** Without quotes: 32 hex digits, or 32 hex digits, '-' and the part count. */
  etag: string;
  lastModified: Date;
  /** '' for a single PUT; the upload id for a completed multipart upload (part of the crypto identity). */
  uploadId: string;
  /** 0 for a single PUT. */
  partsCount: number;
  encryption: StoredEncryption;
  checksum: string | null;
  /** In key order; empty when the object has none. */
  tags: ObjectTag[];
}

export interface UploadRecord extends ObjectAttributes {
  uploadId: string;
  bucket: string;
  key: string;
  initiated: Date;
  encryption: StoredEncryption;
  checksumAlgorithm: string | null;
  /** Given at CreateMultipartUpload; the completed object carries them. */
  tags: ObjectTag[];
}

export interface PartRecord extends StreamRecord {
  lastModified: Date;
}

/** Encryption types a bucket refuses on writes (S3-SSE.md 7.4); only SSE-C can be blocked here. */
export type BlockedEncryptionType = 'SSE-C';

export interface BucketRecord {
  name: string;
  createdAt: Date;
  /** JSON of the configured default-encryption rule, or null when never configured. */
  encryption: string | null;
  /** The bucket policy's JSON text as stored, or null. */
  policy: string | null;
  blockedEncryptionTypes: BlockedEncryptionType[];
}

/** Where a new stream's ciphertext went: inline bytes to insert with the row, or a file already fsynced. */
export type NewBlob = { blobId: string; inline: Buffer | undefined };
