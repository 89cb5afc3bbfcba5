// The in-memory store's resumable multipart upload: the same checkpoint rules as the S3 store, part by part.
import type { MemoryBucket, StoredObject, StoredUpload } from './memoryBucket.js';
import { aborted, readRange } from './memoryTransfer.js';
import { RemoteError, type MultipartCheckpoint, type ObjectEncryption, type UploadLedger } from './objectStore.js';
import { choosePartSize, partRanges } from './partPlan.js';
import { ProgressCounter } from './progress.js';
import type { Throttle } from './throttle.js';

type Part = MultipartCheckpoint['parts'][number];

export interface MemoryMultipartJob {
  readonly bucket: MemoryBucket;
  readonly ledger: UploadLedger;
  /** Relative key (the ledger's) and full key (the bucket's). */
  readonly key: string;
  readonly objectKey: string;
  readonly file: string;
  readonly fileBytes: number;
  readonly partSizeBytes: number;
  readonly identity: string;
  readonly encryption: ObjectEncryption;
  readonly metadata: Record<string, string>;
  readonly tags: Record<string, string>;
  readonly throttle: Throttle | undefined;
  readonly signal: AbortSignal | undefined;
  readonly onProgress: ((bytes: number) => void) | undefined;
}

interface Adopted {
  readonly upload: StoredUpload;
  readonly partSize: number;
  readonly done: readonly Part[];
}

/** The checkpointed upload when it matches and still exists, with the parts both sides agree on; otherwise aborts and forgets it. */
function adopt(job: MemoryMultipartJob): Adopted | undefined {
  const { bucket, ledger } = job;
  const checkpoint = ledger.find(job.key);
  if (!checkpoint) return undefined;
  const upload = bucket.uploads.get(checkpoint.uploadId);
  const sameUpload = upload !== undefined && upload.objectKey === job.objectKey;
  if (checkpoint.fingerprint === job.identity) {
    bucket.begin('ListParts');
    if (sameUpload) {
      const planned = new Map(partRanges(job.fileBytes, checkpoint.partSize).map((r) => [r.partNumber, r.size]));
      const done = checkpoint.parts.filter((p) => {
        const held = upload.parts.get(p.partNumber);
        return held !== undefined && held.etag === p.etag && held.body.length === p.size && planned.get(p.partNumber) === p.size;
      });
      return { upload, partSize: checkpoint.partSize, done };
    }
  } else if (sameUpload) {
    bucket.begin('AbortMultipartUpload');
    bucket.uploads.delete(checkpoint.uploadId);
  }
  ledger.finish(job.key, checkpoint.uploadId);
  return undefined;
}

function create(job: MemoryMultipartJob): Adopted {
  job.bucket.begin('CreateMultipartUpload');
  const upload: StoredUpload = {
    objectKey: job.objectKey,
    uploadId: job.bucket.newUploadId(),
    encryption: job.bucket.seal(job.encryption),
    metadata: job.metadata,
    tags: job.tags,
    parts: new Map(),
    initiatedMs: job.bucket.now(),
  };
  job.bucket.uploads.set(upload.uploadId, upload);
  const partSize = choosePartSize(job.fileBytes, job.partSizeBytes);
  job.ledger.begin({ key: job.key, uploadId: upload.uploadId, fingerprint: job.identity, partSize });
  return { upload, partSize, done: [] };
}

/** Sends the missing parts one at a time (abort is honoured between and during parts), then completes; returns the object as stored. */
export async function memoryMultipart(job: MemoryMultipartJob): Promise<StoredObject> {
  const { bucket, ledger } = job;
  const state = adopt(job) ?? create(job);
  const { upload } = state;
  const doneNumbers = new Set(state.done.map((p) => p.partNumber));
  const progress = new ProgressCounter(job.onProgress, state.done.reduce((sum, p) => sum + p.size, 0));
  const ranges = partRanges(job.fileBytes, state.partSize);
  for (const range of ranges) {
    if (doneNumbers.has(range.partNumber)) continue;
    const body = await readRange(job.file, range.start, range.size, 'UploadPart', { throttle: job.throttle, signal: job.signal, progress });
    bucket.begin('UploadPart');
    if (!bucket.uploads.has(upload.uploadId)) throw new RemoteError('UploadPart failed: NoSuchUpload (HTTP 404)', 'skip', 'NoSuchUpload', 404);
    const etag = bucket.newEtag();
    upload.parts.set(range.partNumber, { body, etag });
    ledger.partDone(job.key, upload.uploadId, { partNumber: range.partNumber, etag, size: body.length });
  }
  if (job.signal?.aborted) throw aborted('CompleteMultipartUpload', job.signal.reason);
  bucket.begin('CompleteMultipartUpload');
  const body = Buffer.concat(ranges.map((r) => upload.parts.get(r.partNumber)!.body));
  const object = bucket.put(job.objectKey, {
    body, etag: bucket.newEtag(ranges.length), lastModifiedMs: bucket.now(), metadata: upload.metadata, tags: upload.tags, encryption: upload.encryption,
  });
  bucket.uploads.delete(upload.uploadId);
  ledger.finish(job.key, upload.uploadId);
  progress.finish(job.fileBytes);
  return object;
}
