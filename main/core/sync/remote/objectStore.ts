// The narrow interface the sync engine talks to a remote through: an S3 bucket+prefix, or its in-memory twin.

/** How one request asks the store to encrypt or decrypt, exactly as S3 defines the three modes. */
export type ObjectEncryption =
  | { readonly mode: 'sse-s3' }
  /** keyId in any of S3's four forms; undefined means the aws/s3 managed key. */
  | { readonly mode: 'sse-kms'; readonly keyId?: string }
  /** A 32-byte customer key, sent on every request that touches the object's data (HTTPS only). */
  | { readonly mode: 'sse-c'; readonly key: Buffer };

/** An object as a listing shows it. `key` is relative to the store's prefix. */
export interface ListedObject {
  readonly key: string;
  readonly size: number;
  /** Quotes included, as S3 sends it. */
  readonly etag: string;
  readonly lastModifiedMs: number;
}

export interface ObjectHead extends ListedObject {
  /** x-amz-meta-* without the prefix, names lower-cased. */
  readonly metadata: Readonly<Record<string, string>>;
  /** The version this answer describes, on a versioned bucket; undefined otherwise (see versionIdOf). */
  readonly versionId?: string;
  /** The content's MD5 (hex) when the store's ETag is one (see contentMd5OfEtag); undefined otherwise. */
  readonly contentMd5?: string;
}

/** What a write (PUT, multipart upload, copy) left on the store. */
export interface WrittenObject {
  /** Quotes included, as S3 sends it. */
  readonly etag: string;
  /** The new object's version id on a versioned bucket; undefined on one without versioning. */
  readonly versionId?: string;
}

export interface TransferProgress {
  /** Called with the bytes moved so far (monotonic, ends at the object's size). */
  readonly onProgress?: (bytes: number) => void;
  readonly signal?: AbortSignal;
}

export interface PutFileOptions extends TransferProgress {
  readonly encryption: ObjectEncryption;
  readonly metadata?: Readonly<Record<string, string>>;
  /** Object tags (S3 tag rules: at most 10; they are readable without the SSE-C key). */
  readonly tags?: Readonly<Record<string, string>>;
  /**
   * Identifies this version of the local file (e.g. its SHA-256); a multipart upload left by a
   * crash is resumed only when the same key and fingerprint come back, otherwise it is aborted.
   */
  readonly fingerprint: string;
  /**
   * The content's SHA-256 (hex) when the caller knows it: single PUTs send it as
   * x-amz-checksum-sha256, so the store refuses a body that differs (a file rewritten while it
   * was read) instead of storing bytes that do not match their recorded hash.
   */
  readonly sha256?: string;
}

export interface GetFileOptions extends TransferProgress {
  /** Needed for SSE-C objects; ignored for SSE-S3/SSE-KMS (the store picks the key). */
  readonly encryption?: ObjectEncryption;
  /**
   * Reads exactly this version (one a HEAD reported) rather than whatever is current. A version
   * the store no longer has fails with RemoteError 'skip' (NoSuchVersion, or NoSuchKey).
   */
  readonly versionId?: string;
}

export interface CopyOptions {
  /** The source's SSE-C key (copy-source headers) when the source is SSE-C. */
  readonly sourceEncryption?: ObjectEncryption;
  /** The destination's encryption; a copy onto itself with new encryption re-encrypts in place. */
  readonly encryption: ObjectEncryption;
  /** When given, replaces the metadata (directive REPLACE); otherwise it is copied. */
  readonly metadata?: Readonly<Record<string, string>>;
  /** When given, replaces the tags (tagging directive REPLACE); otherwise they are copied. */
  readonly tags?: Readonly<Record<string, string>>;
  /**
   * The source's size when the caller knows it (a listing, a HEAD): an S3 store then copies a
   * source within S3's 5 GiB copy limit in one request. Unknown or larger, it asks the store first.
   */
  readonly sourceSize?: number;
}

/**
 * Errors carry a class the executor decides from (never message text): see RemoteError.
 * Every method rejects with RemoteError; a missing object is `undefined` from head/getTags and
 * a no-op for delete, not an error.
 */
/** An unclaimed upload younger than this may belong to another device (in flight, or resuming after a restart). */
export const ORPHAN_UPLOAD_AGE_MS = 24 * 60 * 60 * 1000;

export interface ObjectStore {
  /** A human-readable location for status lines, e.g. `https://127.0.0.1:9443/bucket/prefix/`. */
  readonly description: string;
  /** Creates the bucket when it is missing (an existing one owned by the caller is fine). */
  ensureBucket(): Promise<void>;
  /** Every object under the prefix, in key order, paging internally. */
  list(subPrefix?: string): AsyncIterable<ListedObject>;
  head(key: string, encryption?: ObjectEncryption): Promise<ObjectHead | undefined>;
  getTags(key: string): Promise<Record<string, string> | undefined>;
  /** Single PUT up to the multipart threshold, otherwise a resumable multipart upload. */
  putFile(key: string, file: string, options: PutFileOptions): Promise<WrittenObject>;
  /** Small objects from memory (the keyring object, markers). */
  putBytes(key: string, body: Buffer, options: Omit<PutFileOptions, 'fingerprint'>): Promise<WrittenObject>;
  /**
   * Streams the object into `file` (created or truncated), fsyncs it, and returns what was read.
   * On failure `file` may hold part of the object: download to a temporary path and rename.
   */
  getFile(key: string, file: string, options?: GetFileOptions): Promise<ObjectHead>;
  getBytes(key: string, options?: GetFileOptions): Promise<{ body: Buffer; head: ObjectHead } | undefined>;
  copy(fromKey: string, toKey: string, options: CopyOptions): Promise<WrittenObject>;
  delete(key: string): Promise<void>;
  /**
   * Aborts multipart uploads under the prefix that no checkpoint in the ledger claims and that were
   * started more than `olderThanMs` ago (default ORPHAN_UPLOAD_AGE_MS); returns how many. The age
   * matters because devices sharing a bucket share its uploads: a young unclaimed upload may be
   * another device's, in flight or waiting to resume, and is left alone.
   */
  abortOrphanedUploads(options?: { readonly olderThanMs?: number }): Promise<number>;
  /** Releases pooled connections; idempotent. The store must not be used afterwards. */
  close(): Promise<void>;
}

export type RemoteErrorClass = 'retriable' | 'fatal' | 'skip';

/** A failed remote call: `errorClass` says whether to retry, stop the folder, or skip this file. */
export class RemoteError extends Error {
  constructor(
    message: string,
    readonly errorClass: RemoteErrorClass,
    /** S3 error code or Node error code when there is one (e.g. 'AccessDenied', 'ECONNRESET'). */
    readonly code: string | undefined,
    readonly httpStatus: number | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'RemoteError';
  }
}

/** Where a resumable multipart upload stands; persisted so a restart picks it up. */
export interface MultipartCheckpoint {
  /** Relative to the store's prefix (one ledger serves one store). */
  readonly key: string;
  readonly uploadId: string;
  /**
   * Opaque to the ledger, compared for equality only: the caller's fingerprint bound to the
   * encryption, metadata and tags the upload was started with (see uploadIdentity.ts).
   */
  readonly fingerprint: string;
  readonly partSize: number;
  readonly parts: readonly { readonly partNumber: number; readonly etag: string; readonly size: number }[];
}

/** Persistence for multipart checkpoints (the local index implements it; tests may use the in-memory one). */
export interface UploadLedger {
  /** The checkpoint for `key`, if any (at most one per key). */
  find(key: string): MultipartCheckpoint | undefined;
  /** Records a new upload for the key with no parts yet, replacing any checkpoint the key had. */
  begin(checkpoint: Omit<MultipartCheckpoint, 'parts'>): void;
  /** Adds (or replaces) one finished part; ignored unless `uploadId` is the key's current upload. */
  partDone(key: string, uploadId: string, part: { partNumber: number; etag: string; size: number }): void;
  /** Forgets the checkpoint (the upload completed, or was aborted as stale); ignored unless `uploadId` is current. */
  finish(key: string, uploadId: string): void;
  all(): MultipartCheckpoint[];
}
