// A resumable multipart upload: adopts a checkpointed upload after a restart and sends only the parts it lacks.
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  ListPartsCommand,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { ABORTED_CODE, classifyError } from './classifyError.js';
import { openRangeStream } from './fileParts.js';
import { forEachLimited } from './limitConcurrency.js';
import type { MultipartCheckpoint, ObjectEncryption, WrittenObject } from './objectStore.js';
import { RemoteError } from './objectStore.js';
import { encodeTagging } from './objectAttributes.js';
import { choosePartSize, partRanges, type PartRange } from './partPlan.js';
import { ProgressCounter } from './progress.js';
import { callRemote, isNotFound, type S3Context } from './s3Context.js';
import { sseCParams, sseWriteParams } from './sseParams.js';
import { withVersionId } from './versionId.js';

export interface MultipartJob {
  /** Relative to the prefix: the ledger's key. */
  readonly key: string;
  readonly file: string;
  readonly fileBytes: number;
  /** The checkpoint's match value (see uploadIdentity). */
  readonly identity: string;
  readonly encryption: ObjectEncryption;
  readonly metadata: Record<string, string>;
  readonly tags: Record<string, string>;
  readonly signal: AbortSignal | undefined;
  readonly onProgress: ((bytes: number) => void) | undefined;
}

type Part = MultipartCheckpoint['parts'][number];

interface UploadState {
  readonly uploadId: string;
  readonly partSize: number;
  readonly done: readonly Part[];
}

/** ListParts across pages: partNumber -> what the store holds. */
async function listStoredParts(s3: S3Context, objectKey: string, uploadId: string, signal: AbortSignal | undefined): Promise<Map<number, Part>> {
  const stored = new Map<number, Part>();
  let marker: string | undefined;
  for (;;) {
    const page = await callRemote({ operation: 'ListParts' }, signal, () =>
      s3.client.send(new ListPartsCommand({ Bucket: s3.bucket, Key: objectKey, UploadId: uploadId, PartNumberMarker: marker }), { abortSignal: signal }),
    );
    for (const p of page.Parts ?? []) {
      if (p.PartNumber !== undefined && p.ETag !== undefined) stored.set(p.PartNumber, { partNumber: p.PartNumber, etag: p.ETag, size: p.Size ?? 0 });
    }
    if (!page.IsTruncated || !page.NextPartNumberMarker) return stored;
    marker = page.NextPartNumberMarker;
  }
}

/** Aborts an upload on the store; one already gone is fine. */
export async function abortUpload(s3: S3Context, objectKey: string, uploadId: string, signal?: AbortSignal): Promise<void> {
  try {
    await callRemote({ operation: 'AbortMultipartUpload' }, signal, () =>
      s3.client.send(new AbortMultipartUploadCommand({ Bucket: s3.bucket, Key: objectKey, UploadId: uploadId }), { abortSignal: signal }),
    );
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
}

/**
 * The checkpointed upload when it is for this very file and settings and the store still has it,
 * keeping only the parts both the ledger and the store agree on; otherwise the stale upload is
 * aborted, forgotten, and undefined returned.
 */
async function adoptCheckpoint(s3: S3Context, job: MultipartJob, objectKey: string): Promise<UploadState | undefined> {
  const checkpoint = s3.ledger.find(job.key);
  if (!checkpoint) return undefined;
  if (checkpoint.fingerprint === job.identity) {
    try {
      const stored = await listStoredParts(s3, objectKey, checkpoint.uploadId, job.signal);
      const planned = new Map(partRanges(job.fileBytes, checkpoint.partSize).map((r) => [r.partNumber, r.size]));
      const done = checkpoint.parts.filter((p) => {
        const held = stored.get(p.partNumber);
        return held !== undefined && held.etag === p.etag && held.size === p.size && planned.get(p.partNumber) === p.size;
      });
      return { uploadId: checkpoint.uploadId, partSize: checkpoint.partSize, done };
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  } else {
    await abortUpload(s3, objectKey, checkpoint.uploadId, job.signal);
  }
  s3.ledger.finish(job.key, checkpoint.uploadId);
  return undefined;
}

async function startUpload(s3: S3Context, job: MultipartJob, objectKey: string): Promise<UploadState> {
  const tagging = Object.keys(job.tags).length > 0 ? encodeTagging(job.tags) : undefined;
  const created = await callRemote({ operation: 'CreateMultipartUpload', write: true }, job.signal, () =>
    s3.client.send(
      new CreateMultipartUploadCommand({ Bucket: s3.bucket, Key: objectKey, Metadata: job.metadata, Tagging: tagging, ...sseWriteParams(job.encryption) }),
      { abortSignal: job.signal },
    ),
  );
  if (!created.UploadId) throw new RemoteError('CreateMultipartUpload returned no upload id', 'retriable', undefined, undefined);
  const partSize = choosePartSize(job.fileBytes, s3.partSizeBytes);
  s3.ledger.begin({ key: job.key, uploadId: created.UploadId, fingerprint: job.identity, partSize });
  return { uploadId: created.UploadId, partSize, done: [] };
}

async function sendPart(s3: S3Context, job: MultipartJob, objectKey: string, uploadId: string, range: PartRange, signal: AbortSignal, progress: ProgressCounter): Promise<Part> {
  const partAbort = new AbortController();
  const partSignal = AbortSignal.any([signal, partAbort.signal]);
  let readError: unknown;
  const body = openRangeStream(job.file, range.start, range.size, {
    throttle: s3.throttleUp,
    signal: partSignal,
    onBytes: (n) => progress.add(n),
    onError: (err) => {
      readError ??= err;
      partAbort.abort();
    },
  });
  try {
    const out = await s3.client.send(
      new UploadPartCommand({ Bucket: s3.bucket, Key: objectKey, UploadId: uploadId, PartNumber: range.partNumber, Body: body, ContentLength: range.size, ...sseCParams(job.encryption) }),
      { abortSignal: partSignal },
    );
    if (!out.ETag) throw new RemoteError('UploadPart returned no ETag', 'retriable', undefined, undefined);
    return { partNumber: range.partNumber, etag: out.ETag, size: range.size };
  } catch (err) {
    // A failed read of the local file explains the failed request better than the abort it caused.
    throw classifyError(readError !== undefined && !signal.aborted ? readError : err, { operation: 'UploadPart', write: true });
  } finally {
    body.destroy();
  }
}

/** Creates or resumes the upload for `job`, sends the missing parts, completes it, and returns the object's ETag and version id. */
export async function uploadMultipart(s3: S3Context, job: MultipartJob): Promise<WrittenObject> {
  const objectKey = s3.prefix + job.key;
  const state = (await adoptCheckpoint(s3, job, objectKey)) ?? (await startUpload(s3, job, objectKey));
  const parts = new Map(state.done.map((p) => [p.partNumber, p]));
  const progress = new ProgressCounter(job.onProgress, state.done.reduce((sum, p) => sum + p.size, 0));
  const missing = partRanges(job.fileBytes, state.partSize).filter((r) => !parts.has(r.partNumber));
  const stopOthers = new AbortController();
  const signal = job.signal ? AbortSignal.any([job.signal, stopOthers.signal]) : stopOthers.signal;
  await callRemote({ operation: 'UploadPart', write: true }, job.signal, () =>
    forEachLimited(
      missing,
      s3.concurrency,
      async (range) => {
        const part = await sendPart(s3, job, objectKey, state.uploadId, range, signal, progress);
        s3.ledger.partDone(job.key, state.uploadId, part);
        parts.set(part.partNumber, part);
      },
      () => stopOthers.abort(),
    ),
  );
  const written = await complete(s3, job, objectKey, state.uploadId, [...parts.values()]);
  s3.ledger.finish(job.key, state.uploadId);
  progress.finish(job.fileBytes);
  return written;
}

/**
 * Completes the upload. When the store refuses for good (the upload vanished, a part is rejected)
 * the upload is aborted and forgotten, so the next try starts afresh instead of failing alike forever.
 */
async function complete(s3: S3Context, job: MultipartJob, objectKey: string, uploadId: string, parts: Part[]): Promise<WrittenObject> {
  const sorted = parts.sort((a, b) => a.partNumber - b.partNumber);
  try {
    const completed = await callRemote({ operation: 'CompleteMultipartUpload', write: true }, job.signal, () =>
      s3.client.send(
        new CompleteMultipartUploadCommand({
          Bucket: s3.bucket,
          Key: objectKey,
          UploadId: uploadId,
          MultipartUpload: { Parts: sorted.map((p) => ({ PartNumber: p.partNumber, ETag: p.etag })) },
          ...sseCParams(job.encryption),
        }),
        { abortSignal: job.signal },
      ),
    );
    if (!completed.ETag) throw new RemoteError('CompleteMultipartUpload returned no ETag', 'retriable', undefined, undefined);
    return { etag: completed.ETag, ...withVersionId(completed.VersionId) };
  } catch (err) {
    if (err instanceof RemoteError && err.errorClass === 'skip' && err.code !== ABORTED_CODE) {
      await abortUpload(s3, objectKey, uploadId).catch(() => undefined);
      s3.ledger.finish(job.key, uploadId);
    }
    throw err;
  }
}
