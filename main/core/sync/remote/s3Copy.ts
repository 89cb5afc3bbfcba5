// Server-side copy: one CopyObject up to S3's 5 GiB copy limit, part by part (UploadPartCopy) above it.
import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  UploadPartCopyCommand,
  type HeadObjectCommandOutput,
} from '@aws-sdk/client-s3';
import { forEachLimited } from './limitConcurrency.js';
import { checkTags, encodeTagging, normaliseMetadata } from './objectAttributes.js';
import { RemoteError, type CopyOptions, type WrittenObject } from './objectStore.js';
import { choosePartSize, partRanges } from './partPlan.js';
import { abortUpload } from './s3Multipart.js';
import { callRemote, type S3Context } from './s3Context.js';
import { copySourceParams, sseCParams, sseWriteParams, usesSseC } from './sseParams.js';
import { withVersionId } from './versionId.js';

/** The largest source one CopyObject may copy (S3); larger objects are copied part by part. */
export const MAX_SINGLE_COPY_BYTES = 5 * 1024 ** 3;
/** Parts of a part-by-part copy: large, since the bytes never leave the store (12 parts for a 6 GiB file). */
const COPY_PART_BYTES = 512 * 1024 * 1024;

/** URL-encoded `bucket/key` for x-amz-copy-source. */
function copySource(bucket: string, objectKey: string): string {
  return `${bucket}/${objectKey.split('/').map(encodeURIComponent).join('/')}`;
}

/**
 * Copies `fromKey` to `toKey` (both relative to the prefix) and returns the new ETag and, on a
 * versioned bucket, the new version's id (x-amz-version-id, not the source's). Sources
 * over `singleCopyLimit` bytes (S3's 5 GiB unless a test lowers it) are copied part by part, with
 * S3's directives kept: metadata, content headers and tags follow the source unless replaced.
 */
export async function copyObject(s3: S3Context, fromKey: string, toKey: string, copy: CopyOptions, singleCopyLimit: number): Promise<WrittenObject> {
  const metadata = copy.metadata && normaliseMetadata(copy.metadata);
  const tags = copy.tags && checkTags(copy.tags);
  const from = s3.prefix + fromKey;
  const to = s3.prefix + toKey;
  if (copy.sourceSize === undefined || copy.sourceSize > singleCopyLimit) {
    const head = await headSource(s3, from, copy);
    if ((head.ContentLength ?? 0) > singleCopyLimit) {
      return copyInParts(s3, from, to, head, { ...copy, metadata, tags }, Math.min(COPY_PART_BYTES, singleCopyLimit));
    }
  }
  const out = await callRemote({ operation: 'CopyObject', sseC: usesSseC(copy.sourceEncryption), write: true }, undefined, () =>
    s3.client.send(
      new CopyObjectCommand({
        Bucket: s3.bucket,
        Key: to,
        CopySource: copySource(s3.bucket, from),
        MetadataDirective: metadata ? 'REPLACE' : 'COPY',
        Metadata: metadata,
        ...(tags ? { TaggingDirective: 'REPLACE', Tagging: encodeTagging(tags) } : {}),
        ...sseWriteParams(copy.encryption),
        ...copySourceParams(copy.sourceEncryption),
      }),
    ),
  );
  const etag = out.CopyObjectResult?.ETag;
  if (!etag) throw new RemoteError('CopyObject returned no ETag', 'retriable', undefined, undefined);
  return { etag, ...withVersionId(out.VersionId) };
}

function headSource(s3: S3Context, from: string, copy: CopyOptions): Promise<HeadObjectCommandOutput> {
  return callRemote({ operation: 'HeadObject', sseC: usesSseC(copy.sourceEncryption) }, undefined, () =>
    s3.client.send(new HeadObjectCommand({ Bucket: s3.bucket, Key: from, ...sseCParams(copy.sourceEncryption) })),
  );
}

/**
 * CreateMultipartUpload, one UploadPartCopy per range, CompleteMultipartUpload. Every part names
 * the source's ETag (x-amz-copy-source-if-match), so a source replaced during the copy fails it
 * instead of mixing two versions; any failure aborts the upload.
 */
async function copyInParts(s3: S3Context, from: string, to: string, head: HeadObjectCommandOutput, copy: CopyOptions, preferredPartBytes: number): Promise<WrittenObject> {
  const size = head.ContentLength ?? 0;
  const sourceEtag = head.ETag;
  if (!sourceEtag) throw new RemoteError('HeadObject returned no ETag', 'retriable', undefined, undefined);
  // S3's COPY directives: what a single CopyObject would carry over, the upload must be told.
  const tags = copy.tags ?? (await sourceTags(s3, from));
  const content = copy.metadata
    ? {}
    : {
        ContentType: head.ContentType,
        ContentEncoding: head.ContentEncoding,
        ContentDisposition: head.ContentDisposition,
        ContentLanguage: head.ContentLanguage,
        CacheControl: head.CacheControl,
      };
  const created = await callRemote({ operation: 'CreateMultipartUpload', write: true }, undefined, () =>
    s3.client.send(
      new CreateMultipartUploadCommand({
        Bucket: s3.bucket,
        Key: to,
        Metadata: copy.metadata ?? head.Metadata ?? {},
        ...content,
        ...(Object.keys(tags).length > 0 ? { Tagging: encodeTagging(tags) } : {}),
        ...sseWriteParams(copy.encryption),
      }),
    ),
  );
  const uploadId = created.UploadId;
  if (!uploadId) throw new RemoteError('CreateMultipartUpload returned no upload id', 'retriable', undefined, undefined);
  try {
    const ranges = partRanges(size, choosePartSize(size, preferredPartBytes));
    const etags = new Map<number, string>();
    const stopOthers = new AbortController();
    await forEachLimited(
      ranges,
      s3.concurrency,
      async (range) => {
        const out = await callRemote({ operation: 'UploadPartCopy', sseC: usesSseC(copy.sourceEncryption, copy.encryption), write: true }, stopOthers.signal, () =>
          s3.client.send(
            new UploadPartCopyCommand({
              Bucket: s3.bucket,
              Key: to,
              UploadId: uploadId,
              PartNumber: range.partNumber,
              CopySource: copySource(s3.bucket, from),
              CopySourceRange: `bytes=${range.start}-${range.start + range.size - 1}`,
              CopySourceIfMatch: sourceEtag,
              ...sseCParams(copy.encryption),
              ...copySourceParams(copy.sourceEncryption),
            }),
            { abortSignal: stopOthers.signal },
          ),
        );
        const etag = out.CopyPartResult?.ETag;
        if (!etag) throw new RemoteError('UploadPartCopy returned no ETag', 'retriable', undefined, undefined);
        etags.set(range.partNumber, etag);
      },
      () => stopOthers.abort(),
    );
    const completed = await callRemote({ operation: 'CompleteMultipartUpload', write: true }, undefined, () =>
      s3.client.send(
        new CompleteMultipartUploadCommand({
          Bucket: s3.bucket,
          Key: to,
          UploadId: uploadId,
          MultipartUpload: { Parts: ranges.map((r) => ({ PartNumber: r.partNumber, ETag: etags.get(r.partNumber) })) },
          ...sseCParams(copy.encryption),
        }),
      ),
    );
    if (!completed.ETag) throw new RemoteError('CompleteMultipartUpload returned no ETag', 'retriable', undefined, undefined);
    return { etag: completed.ETag, ...withVersionId(completed.VersionId) };
  } catch (err) {
    // Nothing else refers to this upload (no ledger entry): leave no parts behind on the store.
    await abortUpload(s3, to, uploadId).catch(() => undefined);
    throw err;
  }
}

async function sourceTags(s3: S3Context, from: string): Promise<Record<string, string>> {
  const out = await callRemote({ operation: 'GetObjectTagging' }, undefined, () => s3.client.send(new GetObjectTaggingCommand({ Bucket: s3.bucket, Key: from })));
  return Object.fromEntries((out.TagSet ?? []).map((t) => [t.Key ?? '', t.Value ?? '']));
}
