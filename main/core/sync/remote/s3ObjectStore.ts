// The ObjectStore over any S3 service (the embedded store, AWS S3, MinIO...) through @aws-sdk/client-s3.
import { stat } from 'node:fs/promises';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectTaggingCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  type BucketLocationConstraint,
  type S3Client,
} from '@aws-sdk/client-s3';
import { INSECURE_SSE_C_CODE } from './classifyError.js';
import { DirectPut } from './directPut.js';
import { openRangeStream } from './fileParts.js';
import { checkTags, normaliseMetadata } from './objectAttributes.js';
import { putSingle } from './s3Put.js';
import { ORPHAN_UPLOAD_AGE_MS, RemoteError, type ObjectEncryption, type ObjectStore, type UploadLedger } from './objectStore.js';
import { MAX_OBJECT_BYTES, MAX_SINGLE_PUT_BYTES, MIN_PART_BYTES } from './partPlan.js';
import { createS3Connection } from './s3Client.js';
import { copyObject, MAX_SINGLE_COPY_BYTES } from './s3Copy.js';
import { abortedError, callRemote, isNotFound, type S3Context } from './s3Context.js';
import { downloadBytes, downloadToFile } from './s3Download.js';
import { abortOrphanedUploads, listObjects } from './s3Listing.js';
import { uploadMultipart } from './s3Multipart.js';
import { sseCParams, usesSseC } from './sseParams.js';
import type { Throttle } from './throttle.js';
import type { TlsOptions } from './tlsAgent.js';
import { uploadIdentity } from './uploadIdentity.js';
import { withContentMd5 } from './etagDigest.js';
import { withVersionId } from './versionId.js';

const MIB = 1024 * 1024;

export interface S3ObjectStoreOptions {
  /** e.g. https://127.0.0.1:9443 or https://s3.eu-west-1.amazonaws.com */
  readonly endpoint: string;
  readonly region: string;
  readonly bucket: string;
  /** A folder inside the bucket ('' for the whole bucket); a missing trailing '/' is added. */
  readonly prefix: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  readonly forcePathStyle: boolean;
  readonly tls?: TlsOptions;
  readonly ledger: UploadLedger;
  /** Files of at least this size go multipart (default 16 MiB; at most 5 GiB, S3's single PUT limit). */
  readonly multipartThresholdBytes?: number;
  /** Preferred part size (default 16 MiB, at least 5 MiB); grown for files that would need more than 10,000 parts. */
  readonly partSizeBytes?: number;
  /** Sources larger than this are copied part by part (default and most: 5 GiB, S3's CopyObject limit; at least 5 MiB). */
  readonly singleCopyLimitBytes?: number;
  /** Parts in flight per upload (default 4). */
  readonly concurrency?: number;
  /** Shared limits per direction; the same Throttle may serve several stores. */
  readonly throttle?: { readonly up?: Throttle; readonly down?: Throttle };
  /** Lets SSE-C keys travel over plain http:// (test rigs only: the key would cross the wire in clear). */
  readonly allowSseCOverHttp?: boolean;
}

/** The S3 store, with its SDK client exposed for diagnostics and tests (e.g. counting requests with a middleware). */
export interface S3ObjectStore extends ObjectStore {
  readonly client: S3Client;
}

function normalisePrefix(prefix: string): string {
  const trimmed = prefix.replace(/^\/+/, '');
  return trimmed === '' || trimmed.endsWith('/') ? trimmed : `${trimmed}/`;
}

/**
 * RangeError for options S3 cannot honour (threshold above 5 GiB, part size below 5 MiB,
 * concurrency below 1, a malformed pin). Nothing is sent until a method is called.
 */
export function createS3ObjectStore(options: S3ObjectStoreOptions): S3ObjectStore {
  const threshold = options.multipartThresholdBytes ?? 16 * MIB;
  const partSizeBytes = options.partSizeBytes ?? 16 * MIB;
  const concurrency = options.concurrency ?? 4;
  if (!(threshold >= 0 && threshold <= MAX_SINGLE_PUT_BYTES)) throw new RangeError('multipartThresholdBytes must be between 0 and 5 GiB');
  if (!(Number.isInteger(partSizeBytes) && partSizeBytes >= MIN_PART_BYTES)) throw new RangeError('partSizeBytes must be an integer of at least 5 MiB');
  if (!(Number.isInteger(concurrency) && concurrency >= 1)) throw new RangeError('concurrency must be an integer >= 1');
  const singleCopyLimit = options.singleCopyLimitBytes ?? MAX_SINGLE_COPY_BYTES;
  if (!(Number.isInteger(singleCopyLimit) && singleCopyLimit >= MIN_PART_BYTES && singleCopyLimit <= MAX_SINGLE_COPY_BYTES)) {
    throw new RangeError('singleCopyLimitBytes must be an integer between 5 MiB and 5 GiB');
  }
  const endpoint = new URL(options.endpoint);
  const plainHttp = endpoint.protocol === 'http:';
  const connection = createS3Connection(options);
  const prefix = normalisePrefix(options.prefix);
  const s3: S3Context = {
    client: connection.client,
    bucket: options.bucket,
    prefix,
    ledger: options.ledger,
    partSizeBytes,
    concurrency,
    throttleUp: options.throttle?.up,
    throttleDown: options.throttle?.down,
    direct: options.forcePathStyle
      ? new DirectPut({ url: endpoint, region: options.region, credentials: options.credentials, agent: connection.agent })
      : undefined,
  };
  let closed = false;

  /** SSE-C keys never leave over plain HTTP (DESIGN: trust boundaries), refused before any request. */
  const guardSseC = (operation: string, ...encryptions: (ObjectEncryption | undefined)[]): void => {
    if (plainHttp && !options.allowSseCOverHttp && usesSseC(...encryptions)) {
      throw new RemoteError(`${operation} refused: SSE-C keys are only sent over HTTPS`, 'fatal', INSECURE_SSE_C_CODE, undefined);
    }
  };

  return {
    client: connection.client,
    description: `${endpoint.origin}/${options.bucket}/${prefix}`,

    async ensureBucket() {
      try {
        await callRemote({ operation: 'HeadBucket' }, undefined, () => s3.client.send(new HeadBucketCommand({ Bucket: s3.bucket })));
        return;
      } catch (err) {
        if (!isNotFound(err) && !(err instanceof RemoteError && err.code === 'NoSuchBucket')) throw err;
      }
      const location = options.region === 'us-east-1' ? undefined : { LocationConstraint: options.region as BucketLocationConstraint };
      try {
        await callRemote({ operation: 'CreateBucket' }, undefined, () =>
          s3.client.send(new CreateBucketCommand({ Bucket: s3.bucket, CreateBucketConfiguration: location })),
        );
      } catch (err) {
        if (!(err instanceof RemoteError && err.code === 'BucketAlreadyOwnedByYou')) throw err;
      }
    },

    list: (subPrefix) => listObjects(s3, subPrefix),

    async head(key, encryption) {
      guardSseC('HeadObject', encryption);
      try {
        const out = await callRemote({ operation: 'HeadObject', sseC: usesSseC(encryption) }, undefined, () =>
          s3.client.send(new HeadObjectCommand({ Bucket: s3.bucket, Key: prefix + key, ...sseCParams(encryption) })),
        );
        return {
          key, size: out.ContentLength ?? 0, etag: out.ETag ?? '', lastModifiedMs: out.LastModified?.getTime() ?? 0, metadata: out.Metadata ?? {}, ...withVersionId(out.VersionId), ...withContentMd5(out),
        };
      } catch (err) {
        if (isNotFound(err)) return undefined;
        throw err;
      }
    },

    async getTags(key) {
      try {
        const out = await callRemote({ operation: 'GetObjectTagging' }, undefined, () =>
          s3.client.send(new GetObjectTaggingCommand({ Bucket: s3.bucket, Key: prefix + key })),
        );
        return Object.fromEntries((out.TagSet ?? []).map((t) => [t.Key ?? '', t.Value ?? '']));
      } catch (err) {
        if (isNotFound(err)) return undefined;
        throw err;
      }
    },

    async putFile(key, file, put) {
      guardSseC('PutObject', put.encryption);
      const metadata = normaliseMetadata(put.metadata);
      const tags = checkTags(put.tags);
      if (put.signal?.aborted) throw abortedError('PutObject', put.signal.reason);
      const size = await callRemote({ operation: 'PutObject' }, undefined, async () => (await stat(file)).size);
      if (size > MAX_OBJECT_BYTES) throw new RemoteError('PutObject refused: larger than S3 stores', 'skip', 'EntityTooLarge', undefined);
      if (size < threshold) {
        return putSingle(s3, { ...put, key, size, metadata, tags }, (streamOptions) => openRangeStream(file, 0, size, streamOptions));
      }
      const identity = uploadIdentity(put.fingerprint, { encryption: put.encryption, metadata, tags });
      return uploadMultipart(s3, {
        key, file, fileBytes: size, identity, encryption: put.encryption, metadata, tags, signal: put.signal, onProgress: put.onProgress,
      });
    },

    async putBytes(key, body, put) {
      guardSseC('PutObject', put.encryption);
      if (body.length > MAX_SINGLE_PUT_BYTES) throw new RemoteError('PutObject refused: too large for one request', 'skip', 'EntityTooLarge', undefined);
      const checked = { metadata: normaliseMetadata(put.metadata), tags: checkTags(put.tags) };
      return putSingle(s3, { ...put, ...checked, key, size: body.length }, body);
    },

    async getFile(key, file, get = {}) {
      guardSseC('GetObject', get.encryption);
      return downloadToFile(s3, key, file, get);
    },

    async getBytes(key, get = {}) {
      guardSseC('GetObject', get.encryption);
      return downloadBytes(s3, key, get);
    },

    async copy(fromKey, toKey, copy) {
      guardSseC('CopyObject', copy.encryption, copy.sourceEncryption);
      return copyObject(s3, fromKey, toKey, copy, singleCopyLimit);
    },

    async delete(key) {
      try {
        await callRemote({ operation: 'DeleteObject' }, undefined, () => s3.client.send(new DeleteObjectCommand({ Bucket: s3.bucket, Key: prefix + key })));
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    },

    abortOrphanedUploads: (options) => abortOrphanedUploads(s3, Date.now() - (options?.olderThanMs ?? ORPHAN_UPLOAD_AGE_MS)),

    async close() {
      if (closed) return;
      closed = true;
      connection.destroy();
    },
  };
}
