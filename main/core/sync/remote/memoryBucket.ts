// The state behind the in-memory object store: objects, open multipart uploads, request counts and injected faults.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { systemRandom, type RandomSource } from '../../crypto/random.js';
import { RemoteError, type ObjectEncryption } from './objectStore.js';

/** How a stored object is sealed; for SSE-C only a keyed check value of the customer key is kept, as S3 does. */
export type StoredEncryption =
  | { readonly mode: 'sse-s3' }
  | { readonly mode: 'sse-kms'; readonly keyId: string | undefined }
  | { readonly mode: 'sse-c'; readonly keyCheck: Buffer };

export interface StoredObject {
  readonly body: Buffer;
  readonly etag: string;
  readonly lastModifiedMs: number;
  readonly metadata: Readonly<Record<string, string>>;
  readonly tags: Readonly<Record<string, string>>;
  readonly encryption: StoredEncryption;
  /** Set by a versioned bucket only: the id S3 would send as x-amz-version-id. */
  readonly versionId?: string;
}

export interface StoredUpload {
  /** The full object key (prefix included). */
  readonly objectKey: string;
  readonly uploadId: string;
  readonly encryption: StoredEncryption;
  readonly metadata: Readonly<Record<string, string>>;
  readonly tags: Readonly<Record<string, string>>;
  readonly parts: Map<number, { readonly body: Buffer; readonly etag: string }>;
  /** When CreateMultipartUpload ran, on the bucket's clock. */
  readonly initiatedMs: number;
}

/** An operation name as S3 names it, used for request counts and fault injection. */
export type MemoryOperation =
  | 'HeadBucket' | 'CreateBucket' | 'ListObjectsV2' | 'HeadObject' | 'GetObject' | 'GetObjectTagging' | 'PutObject' | 'CopyObject'
  | 'DeleteObject' | 'CreateMultipartUpload' | 'UploadPart' | 'ListParts' | 'CompleteMultipartUpload' | 'AbortMultipartUpload'
  | 'ListMultipartUploads';

export interface MemoryBucketOptions {
  /** Whether the bucket exists before any ensureBucket (default false, as on a fresh S3 account). */
  readonly exists?: boolean;
  readonly random?: RandomSource;
  /** Wall-clock milliseconds for LastModified (default Date.now). */
  readonly now?: () => number;
  /**
   * Behave as a bucket with S3 Versioning enabled (default false): every write gets a fresh version
   * id (from `random`), and the version it replaces, or a delete removes, stays readable by its id.
   */
  readonly versioned?: boolean;
}

/** One bucket's contents; several stores (e.g. two simulated devices, or two prefixes) may share it. */
export class MemoryBucket {
  exists: boolean;
  /** The current version of each key; write through put() and remove() so versioned buckets keep history. */
  readonly objects = new Map<string, StoredObject>();
  /** Versioned buckets: the versions a later write or a delete replaced, by full key, oldest first. */
  readonly noncurrent = new Map<string, StoredObject[]>();
  readonly versioned: boolean;
  readonly uploads = new Map<string, StoredUpload>();
  /** Requests served per operation, failed ones included. */
  readonly requestCounts = new Map<MemoryOperation, number>();
  readonly random: RandomSource;
  readonly now: () => number;
  private readonly keyCheckSalt: Buffer;
  private readonly faults = new Map<MemoryOperation, RemoteError[]>();

  constructor(options: MemoryBucketOptions = {}) {
    this.exists = options.exists ?? false;
    this.random = options.random ?? systemRandom;
    this.now = options.now ?? Date.now;
    this.versioned = options.versioned ?? false;
    this.keyCheckSalt = this.random(32);
  }

  /** Makes `object` the current version of `objectKey` (stamped with a new version id when versioned) and returns it as stored. */
  put(objectKey: string, object: Omit<StoredObject, 'versionId'>): StoredObject {
    const stored: StoredObject = this.versioned ? { ...object, versionId: this.random(24).toString('base64url') } : object;
    this.retire(objectKey);
    this.objects.set(objectKey, stored);
    return stored;
  }

  /** Deletes the current version; a versioned bucket keeps it readable by id, as a delete marker would. A missing key is a no-op. */
  remove(objectKey: string): void {
    this.retire(objectKey);
    this.objects.delete(objectKey);
  }

  /** The version of `objectKey` with this id, current or not; undefined when there is none. */
  version(objectKey: string, versionId: string): StoredObject | undefined {
    const current = this.objects.get(objectKey);
    if (current?.versionId === versionId) return current;
    return this.noncurrent.get(objectKey)?.find((v) => v.versionId === versionId);
  }

  private retire(objectKey: string): void {
    const current = this.objects.get(objectKey);
    if (!this.versioned || current === undefined) return;
    const older = this.noncurrent.get(objectKey) ?? [];
    older.push(current);
    this.noncurrent.set(objectKey, older);
  }

  /** The next `times` requests of `operation` fail with `error` (after being counted), before they change anything. */
  injectFault(operation: MemoryOperation, error: RemoteError, times = 1): void {
    const queue = this.faults.get(operation) ?? [];
    for (let i = 0; i < times; i++) queue.push(error);
    this.faults.set(operation, queue);
  }

  requests(operation: MemoryOperation): number {
    return this.requestCounts.get(operation) ?? 0;
  }

  /** Counts a request, throws an injected fault if one is queued, and insists the bucket exists (NoSuchBucket, fatal). */
  begin(operation: MemoryOperation): void {
    this.requestCounts.set(operation, this.requests(operation) + 1);
    const fault = this.faults.get(operation)?.shift();
    if (fault) throw fault;
    if (!this.exists && operation !== 'HeadBucket' && operation !== 'CreateBucket') {
      throw new RemoteError(`${operation} failed: NoSuchBucket (HTTP 404)`, 'fatal', 'NoSuchBucket', 404);
    }
  }

  /** A fresh opaque ETag: every write gets a new one, even of the same bytes. */
  newEtag(partCount?: number): string {
    const hex = this.random(16).toString('hex');
    return partCount === undefined ? `"${hex}"` : `"${hex}-${partCount}"`;
  }

  newUploadId(): string {
    return this.random(24).toString('base64url');
  }

  seal(encryption: ObjectEncryption): StoredEncryption {
    switch (encryption.mode) {
      case 'sse-s3':
        return { mode: 'sse-s3' };
      case 'sse-kms':
        return { mode: 'sse-kms', keyId: encryption.keyId };
      case 'sse-c':
        if (encryption.key.length !== 32) throw new RemoteError('an SSE-C key must be 32 bytes', 'fatal', 'InvalidEncryptionKey', undefined);
        return { mode: 'sse-c', keyCheck: this.keyCheck(encryption.key) };
    }
  }

  /**
   * What S3 answers a read (GET, HEAD, copy source) for its key: an SSE-C object needs its own key
   * (none: InvalidRequest 400; another: AccessDenied 403), and an SSE-C key on any other object is
   * InvalidRequest 400. All are 'skip': they concern this object only.
   */
  checkReadKey(operation: MemoryOperation, stored: StoredEncryption, given: ObjectEncryption | undefined): void {
    const givenKey = given?.mode === 'sse-c' ? given.key : undefined;
    if (stored.mode !== 'sse-c') {
      if (givenKey) throw new RemoteError(`${operation} failed: InvalidRequest (HTTP 400)`, 'skip', 'InvalidRequest', 400);
      return;
    }
    if (!givenKey) throw new RemoteError(`${operation} failed: InvalidRequest (HTTP 400)`, 'skip', 'InvalidRequest', 400);
    const check = this.keyCheck(givenKey);
    if (!timingSafeEqual(check, stored.keyCheck)) throw new RemoteError(`${operation} failed: AccessDenied (HTTP 403)`, 'skip', 'AccessDenied', 403);
  }

  private keyCheck(key: Buffer): Buffer {
    return createHmac('sha256', this.keyCheckSalt).update(key).digest();
  }
}

/** S3's NoSuchKey for a read of a missing object. */
export function noSuchKey(operation: MemoryOperation): RemoteError {
  return new RemoteError(`${operation} failed: NoSuchKey (HTTP 404)`, 'skip', 'NoSuchKey', 404);
}

/** S3's NoSuchVersion for a read of a version the key does not have. */
export function noSuchVersion(operation: MemoryOperation): RemoteError {
  return new RemoteError(`${operation} failed: NoSuchVersion (HTTP 404)`, 'skip', 'NoSuchVersion', 404);
}
