// A single PutObject from a stream (a whole small file, or bytes in memory), throttled and counted.
import type { Readable } from 'node:stream';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { classifyError } from './classifyError.js';
import type { RangeStreamOptions } from './fileParts.js';
import { encodeTagging } from './objectAttributes.js';
import { RemoteError, type ObjectEncryption, type WrittenObject } from './objectStore.js';
import { ProgressCounter } from './progress.js';
import { abortedError, callRemote, type S3Context } from './s3Context.js';
import { sseWriteParams } from './sseParams.js';
import { withVersionId } from './versionId.js';

export interface SinglePut {
  /** Relative to the prefix. */
  readonly key: string;
  readonly size: number;
  readonly encryption: ObjectEncryption;
  /** Already normalised and checked. */
  readonly metadata: Record<string, string>;
  readonly tags: Record<string, string>;
  readonly signal?: AbortSignal;
  readonly onProgress?: (bytes: number) => void;
  /** Hex SHA-256 of the body, sent as its checksum (the SDK then computes none of its own). */
  readonly sha256?: string;
}

/**
 * Sends one PutObject whose body is `source`: bytes in memory, or a stream `source` makes from the
 * given stream options (throttle, counting, read errors). Bytes go to the SDK as they are, after
 * the throttle granted them all (a small body gains nothing from being paced in pieces). A failed
 * read of a streamed source aborts the request and is what rejects (a vanished or shrunk file is
 * 'skip' LocalFileChanged or the file system's code). Resolves with the ETag and, on a versioned
 * bucket, the new version's id.
 */
export async function putSingle(s3: S3Context, put: SinglePut, source: Buffer | ((streamOptions: RangeStreamOptions) => Readable)): Promise<WrittenObject> {
  const open = Buffer.isBuffer(source) ? undefined : source;
  const progress = new ProgressCounter(put.onProgress);
  let readError: unknown;
  const readFailed = new AbortController();
  const signal = put.signal ? AbortSignal.any([put.signal, readFailed.signal]) : readFailed.signal;
  const body = open?.({
    throttle: s3.throttleUp,
    signal,
    onBytes: (n) => progress.add(n),
    onError: (err) => {
      readError ??= err;
      readFailed.abort();
    },
  });
  const tagging = Object.keys(put.tags).length > 0 ? encodeTagging(put.tags) : undefined;
  try {
    if (!body && s3.throttleUp) await s3.throttleUp.take(put.size, put.signal).catch((err: unknown) => Promise.reject(abortedError('PutObject', err)));
    if (!body && s3.direct) {
      const direct = s3.direct;
      const request = { bucket: s3.bucket, key: s3.prefix + put.key, body: source as Buffer, sha256: put.sha256, encryption: put.encryption, metadata: put.metadata, tagging, signal: put.signal };
      const written = await callRemote({ operation: 'PutObject', write: true }, put.signal, () => direct.put(request));
      progress.finish(put.size);
      return written;
    }
    const out = await callRemote({ operation: 'PutObject', write: true }, put.signal, () =>
      s3.client.send(
        new PutObjectCommand({
          Bucket: s3.bucket,
          Key: s3.prefix + put.key,
          Body: body ?? (source as Buffer),
          ContentLength: put.size,
          Metadata: put.metadata,
          Tagging: tagging,
          ...(put.sha256 ? { ChecksumSHA256: Buffer.from(put.sha256, 'hex').toString('base64') } : {}),
          ...sseWriteParams(put.encryption),
        }),
        { abortSignal: signal },
      ),
    );
    if (!out.ETag) throw new RemoteError('PutObject returned no ETag', 'retriable', undefined, undefined);
    progress.finish(put.size);
    return { etag: out.ETag, ...withVersionId(out.VersionId) };
  } catch (err) {
    if (readError !== undefined && !put.signal?.aborted) throw classifyError(readError, { operation: 'PutObject' });
    throw err;
  } finally {
    body?.destroy();
  }
}
