// The in-memory twin of the S3 store: same interface, same SSE-C, copy, tag and multipart-resume rules, no network.
import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { classifyError } from './classifyError.js';
import { MemoryBucket, noSuchKey, noSuchVersion, type MemoryOperation, type StoredObject } from './memoryBucket.js';
import { memoryMultipart } from './memoryMultipart.js';
import { aborted, readRange, writeFileFrom } from './memoryTransfer.js';
import { MemoryUploadLedger } from './memoryUploadLedger.js';
import { checkTags, normaliseMetadata } from './objectAttributes.js';
import type { ObjectEncryption, ObjectHead, ObjectStore, PutFileOptions, UploadLedger, WrittenObject } from './objectStore.js';
import { ORPHAN_UPLOAD_AGE_MS, RemoteError } from './objectStore.js';
import { ProgressCounter } from './progress.js';
import type { Throttle } from './throttle.js';
import { uploadIdentity } from './uploadIdentity.js';

const MIB = 1024 * 1024;

export interface MemoryObjectStoreOptions {
  /**
   * Share one bucket between stores to model several devices; a fresh, not yet created, unversioned
   * one by default (a MemoryBucket with `versioned: true` models S3 Versioning).
   */
  readonly bucket?: MemoryBucket;
  /** Shown in `description` only. */
  readonly bucketName?: string;
  readonly prefix?: string;
  readonly ledger?: UploadLedger;
  /** Default 16 MiB, like the S3 store. */
  readonly multipartThresholdBytes?: number;
  /** Default 16 MiB; unlike S3 any size >= 1 is accepted, so tests can use tiny parts. */
  readonly partSizeBytes?: number;
  readonly throttle?: { readonly up?: Throttle; readonly down?: Throttle };
}

export interface MemoryObjectStore extends ObjectStore {
  readonly bucket: MemoryBucket;
  readonly ledger: UploadLedger;
}

/** S3 lists keys in UTF-8 byte order, which differs from JavaScript's UTF-16 order past U+FFFF. */
function utf8Order(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

function headOf(key: string, object: StoredObject): ObjectHead {
  const head = { key, size: object.body.length, etag: object.etag, lastModifiedMs: object.lastModifiedMs, metadata: { ...object.metadata } };
  return object.versionId === undefined ? head : { ...head, versionId: object.versionId };
}

function written(object: StoredObject): WrittenObject {
  return object.versionId === undefined ? { etag: object.etag } : { etag: object.etag, versionId: object.versionId };
}

/** RangeError for a negative threshold or a part size below 1. */
export function createMemoryObjectStore(options: MemoryObjectStoreOptions = {}): MemoryObjectStore {
  const bucket = options.bucket ?? new MemoryBucket();
  const ledger = options.ledger ?? new MemoryUploadLedger();
  const threshold = options.multipartThresholdBytes ?? 16 * MIB;
  const partSizeBytes = options.partSizeBytes ?? 16 * MIB;
  if (!(threshold >= 0)) throw new RangeError('multipartThresholdBytes must be >= 0');
  if (!(Number.isInteger(partSizeBytes) && partSizeBytes >= 1)) throw new RangeError('partSizeBytes must be an integer >= 1');
  const rawPrefix = (options.prefix ?? '').replace(/^\/+/, '');
  const prefix = rawPrefix === '' || rawPrefix.endsWith('/') ? rawPrefix : `${rawPrefix}/`;
  const up = options.throttle?.up;
  const down = options.throttle?.down;

  /** Runs one simulated request: counted, fault-injectable, and failing like the S3 store would. */
  const request = async <T>(operation: MemoryOperation, step: () => T | Promise<T>): Promise<T> => {
    try {
      bucket.begin(operation);
      return await step();
    } catch (err) {
      throw classifyError(err, { operation });
    }
  };

  /** The current object, or exactly `versionId` (NoSuchVersion when the key has no such version), after S3's SSE-C key check. */
  const readable = (operation: MemoryOperation, key: string, encryption: ObjectEncryption | undefined, versionId?: string): StoredObject | undefined => {
    const object = versionId === undefined ? bucket.objects.get(prefix + key) : bucket.version(prefix + key, versionId);
    if (!object && versionId !== undefined) throw noSuchVersion(operation);
    if (object) bucket.checkReadKey(operation, object.encryption, encryption);
    return object;
  };

  const store = (key: string, body: Buffer, put: Omit<PutFileOptions, 'fingerprint'>, metadata: Record<string, string>, tags: Record<string, string>): WrittenObject =>
    written(bucket.put(prefix + key, { body, etag: bucket.newEtag(), lastModifiedMs: bucket.now(), metadata, tags, encryption: bucket.seal(put.encryption) }));

  return {
    bucket,
    ledger,
    description: `memory://${options.bucketName ?? 'bucket'}/${prefix}`,

    async ensureBucket() {
      if (bucket.exists) return request('HeadBucket', () => undefined);
      await request('CreateBucket', () => {
        bucket.exists = true;
      });
    },

    async *list(subPrefix = '') {
      const keys = await request('ListObjectsV2', () => [...bucket.objects.keys()].filter((k) => k.startsWith(prefix + subPrefix)).sort(utf8Order));
      for (const objectKey of keys) {
        const object = bucket.objects.get(objectKey);
        if (object) yield { key: objectKey.slice(prefix.length), size: object.body.length, etag: object.etag, lastModifiedMs: object.lastModifiedMs };
      }
    },

    head: (key, encryption) => request('HeadObject', () => {
      const object = readable('HeadObject', key, encryption);
      return object && headOf(key, object);
    }),

    getTags: (key) => request('GetObjectTagging', () => {
      const object = bucket.objects.get(prefix + key);
      return object && { ...object.tags };
    }),

    async putFile(key, file, put) {
      const metadata = normaliseMetadata(put.metadata);
      const tags = checkTags(put.tags);
      if (put.signal?.aborted) throw aborted('PutObject', put.signal.reason);
      let size: number;
      try {
        size = (await stat(file)).size;
      } catch (err) {
        throw classifyError(err, { operation: 'PutObject' });
      }
      if (size < threshold) {
        const progress = new ProgressCounter(put.onProgress);
        const body = await readRange(file, 0, size, 'PutObject', { throttle: up, signal: put.signal, progress });
        // As S3 does with x-amz-checksum-sha256: a body that is not the announced content is refused.
        if (put.sha256 !== undefined && createHash('sha256').update(body).digest('hex') !== put.sha256) {
          throw new RemoteError('PutObject failed: BadDigest', 'retriable', 'BadDigest', 400);
        }
        const result = await request('PutObject', () => store(key, body, put, metadata, tags));
        progress.finish(size);
        return result;
      }
      const identity = uploadIdentity(put.fingerprint, { encryption: put.encryption, metadata, tags });
      const object = await memoryMultipart({
        bucket, ledger, key, objectKey: prefix + key, file, fileBytes: size, partSizeBytes, identity, encryption: put.encryption,
        metadata, tags, throttle: up, signal: put.signal, onProgress: put.onProgress,
      }).catch((err: unknown) => {
        throw err instanceof RemoteError ? err : classifyError(err, { operation: 'UploadPart' });
      });
      return written(object);
    },

    async putBytes(key, body, put) {
      const metadata = normaliseMetadata(put.metadata);
      const tags = checkTags(put.tags);
      if (put.signal?.aborted) throw aborted('PutObject', put.signal.reason);
      if (up) await up.take(body.length, put.signal).catch((err: unknown) => { throw aborted('PutObject', err); });
      const result = await request('PutObject', () => store(key, Buffer.from(body), put, metadata, tags));
      new ProgressCounter(put.onProgress).finish(body.length);
      return result;
    },

    async getFile(key, file, get = {}) {
      if (get.signal?.aborted) throw aborted('GetObject', get.signal.reason);
      const object = await request('GetObject', () => readable('GetObject', key, get.encryption, get.versionId));
      if (!object) throw noSuchKey('GetObject');
      const progress = new ProgressCounter(get.onProgress);
      await writeFileFrom(object.body, file, { throttle: down, signal: get.signal, progress });
      progress.finish(object.body.length);
      return headOf(key, object);
    },

    async getBytes(key, get = {}) {
      if (get.signal?.aborted) throw aborted('GetObject', get.signal.reason);
      const object = await request('GetObject', () => readable('GetObject', key, get.encryption, get.versionId));
      if (!object) return undefined;
      if (down) await down.take(object.body.length, get.signal).catch((err: unknown) => { throw aborted('GetObject', err); });
      new ProgressCounter(get.onProgress).finish(object.body.length);
      return { body: Buffer.from(object.body), head: headOf(key, object) };
    },

    copy: (fromKey, toKey, copy) => request('CopyObject', () => {
      const source = readable('CopyObject', fromKey, copy.sourceEncryption);
      if (!source) throw noSuchKey('CopyObject');
      const metadata = copy.metadata ? normaliseMetadata(copy.metadata) : source.metadata;
      const tags = copy.tags ? checkTags(copy.tags) : source.tags;
      return written(bucket.put(prefix + toKey, { body: source.body, etag: bucket.newEtag(), lastModifiedMs: bucket.now(), metadata, tags, encryption: bucket.seal(copy.encryption) }));
    }),

    delete: (key) => request('DeleteObject', () => {
      bucket.remove(prefix + key);
    }),

    async abortOrphanedUploads(options) {
      const startedBefore = bucket.now() - (options?.olderThanMs ?? ORPHAN_UPLOAD_AGE_MS);
      const orphans = await request('ListMultipartUploads', () =>
        [...bucket.uploads.values()].filter(
          (u) => u.objectKey.startsWith(prefix) && ledger.find(u.objectKey.slice(prefix.length))?.uploadId !== u.uploadId && u.initiatedMs <= startedBefore,
        ),
      );
      for (const orphan of orphans) {
        await request('AbortMultipartUpload', () => bucket.uploads.delete(orphan.uploadId));
      }
      return orphans.length;
    },

    async close() {
      // Nothing pooled to release.
    },
  };
}
