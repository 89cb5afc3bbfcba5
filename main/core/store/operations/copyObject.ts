// CopyObject: https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html
// A copy is a new object: the source is decrypted (with its copy-source SSE-C key if it has one)
// and encrypted under a fresh object key in the destination's mode. Copying an object onto itself
// with new SSE-C headers is how SSE-C keys are rotated (S3-SSE.md 4.6); the old key then opens nothing.
// Tags follow x-amz-tagging-directive: COPY (the default) keeps the source's, REPLACE takes x-amz-tagging
// (none when absent); with COPY an x-amz-tagging header is ignored, as the API reference says.
import { S3Error } from '../errors.js';
import { attributesFromHeaders } from '../objects/attributes.js';
import { startBodyIntegrity } from '../objects/bodyIntegrity.js';
import { noteEncryption } from '../objects/auditNote.js';
import { checkCopySourceConditions, parseCopySource } from '../objects/copySource.js';
import { ingestStream } from '../objects/ingest.js';
import { quotedEtag } from '../objects/objectHeaders.js';
import { readObjectRange } from '../objects/objectReader.js';
import { openObject } from '../objects/readAccess.js';
import { newObjectKey } from '../objects/sealing.js';
import { parseTaggingHeader, TAGGING_HEADER } from '../objects/tagSet.js';
import { objectEtag, writeEncryption } from '../objects/writeTarget.js';
import type { OperationHandler, RequestContext } from '../requestContext.js';
import { assertCustomerKeyTransport } from '../sse/customerKeyHeaders.js';
import { encryptionResponseHeaders } from '../sse/responseHeaders.js';
import { COPY_SOURCE_KEY_HEADERS } from '../sse/sseHeaders.js';
import type { ObjectAttributes, ObjectRecord, ObjectTag } from '../storage/records.js';
import { buildXml } from '../xml.js';
import { assertSourceReadable, assertSourceTagsReadable, assertTagsWritable } from '../access/bucketPolicyGate.js';
import { requireBucket } from './bucketNames.js';

/** S3's largest CopyObject source: 5 GiB. */
const MAX_COPY_BYTES = 5 * 1024 ** 3;
const MSG_SELF_COPY =
  "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.";

function directive(ctx: RequestContext, header: string, what: string): 'COPY' | 'REPLACE' {
  const value = ctx.header(header);
  if (value === undefined || value === 'COPY' || value === 'REPLACE') return value ?? 'COPY';
  throw new S3Error('InvalidArgument', `Unknown ${what} directive.`, { ArgumentName: header, ArgumentValue: value });
}

export const copyObject: OperationHandler = async (ctx) => {
  const bucket = requireBucket(ctx);
  const key = ctx.key!;
  assertCustomerKeyTransport(ctx);
  const from = parseCopySource(ctx);
  const sourceBucket = ctx.services.meta.getBucket(from.bucket);
  if (!sourceBucket) throw new S3Error('NoSuchBucket', undefined, { BucketName: from.bucket });
  assertSourceReadable(ctx, sourceBucket, from.key);
  const metadata = directive(ctx, 'x-amz-metadata-directive', 'metadata');
  const tagging = directive(ctx, 'x-amz-tagging-directive', 'tagging');
  const replacedTags = tagging === 'REPLACE' ? parseTaggingHeader(ctx.header(TAGGING_HEADER)) : undefined;
  const source = openObject(ctx, from.bucket, from.key, COPY_SOURCE_KEY_HEADERS);
  const { services } = ctx;
  try {
    checkCopySourceConditions(ctx, source.object);
    if (!replacedTags) assertSourceTagsReadable(ctx, sourceBucket, from.key, source.object.tags);
    const tags: ObjectTag[] = replacedTags ?? source.object.tags;
    assertTagsWritable(ctx, bucket, key, tags);
    const { requested, mode } = writeEncryption(ctx, bucket, 's3:CopyObject');
    const toItself = from.bucket === bucket.name && from.key === key;
    // Legal onto itself only when something changes: metadata, or encryption (explicitly, or by a configured bucket default).
    if (toItself && metadata === 'COPY' && requested.kind === 'bucket-default' && bucket.encryption === null) {
      throw new S3Error('InvalidRequest', MSG_SELF_COPY);
    }
    const size = source.object.size;
    if (size > MAX_COPY_BYTES) {
      throw new S3Error('InvalidRequest', `The specified copy source is larger than the maximum allowable size for a copy source: ${MAX_COPY_BYTES}`);
    }
    const attributes: ObjectAttributes =
      metadata === 'REPLACE'
        ? attributesFromHeaders(ctx.headers)
        : { contentType: source.object.contentType, systemHeaders: source.object.systemHeaders, userMetadata: source.object.userMetadata };
    const identity = { bucket: bucket.name, key, uploadId: '' };
    const { objectKey, stored } = newObjectKey(mode, identity, ctx.keys);
    noteEncryption(ctx.auditNote, stored, size);
    const integrity = startBodyIntegrity(ctx, mode.kind === 'SSE-S3', false, size);
    const data = readObjectRange(services, source.object, source.streams, source.objectKey, { start: 0, end: size }, source.release);
    const ingested = await ingestStream(services, { source: data, plainBytes: size, objectKey, identity: { ...identity, partNumber: 0 }, hashers: integrity.hashers });
    const record: ObjectRecord = {
      ...attributes,
      bucket: bucket.name,
      key,
      size,
      etag: objectEtag(mode, integrity.md5()),
      lastModified: ctx.receivedAt,
      uploadId: '',
      partsCount: 0,
      encryption: stored,
      checksum: null,
      tags,
    };
    try {
      await services.commit(() => {
        if (!services.meta.getBucket(bucket.name)) throw new S3Error('NoSuchBucket', undefined, { BucketName: bucket.name });
        const stream = { partNumber: 0, size, blobId: ingested.blobId, etag: record.etag, checksum: null };
        return { result: undefined, garbage: services.meta.putObject(record, [stream], [ingested]) };
      }, ingested.syncDirs);
    } catch (err) {
      if (!ingested.inline) await services.blobs.deleteFiles([ingested.blobId]);
      throw err;
    }
    return {
      headers: { 'Content-Type': 'application/xml', ...encryptionResponseHeaders(stored, mode.kind === 'SSE-C' ? mode.customer : undefined, true) },
      body: buildXml('CopyObjectResult', { ETag: quotedEtag(record.etag), LastModified: record.lastModified.toISOString() }),
    };
  } finally {
    source.release();
  }
};
