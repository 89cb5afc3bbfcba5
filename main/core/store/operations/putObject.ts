// PutObject: https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html
import { assertTagsWritable } from '../access/bucketPolicyGate.js';
import { S3Error } from '../errors.js';
import { attributesFromHeaders } from '../objects/attributes.js';
import { startBodyIntegrity } from '../objects/bodyIntegrity.js';
import { noteEncryption } from '../objects/auditNote.js';
import { checkWriteConditions } from '../objects/conditions.js';
import { ingestStream } from '../objects/ingest.js';
import { quotedEtag } from '../objects/objectHeaders.js';
import { newObjectKey, sealChecksumText } from '../objects/sealing.js';
import { parseTaggingHeader, TAGGING_HEADER } from '../objects/tagSet.js';
import { objectEtag, writeEncryption } from '../objects/writeTarget.js';
import type { OperationHandler } from '../requestContext.js';
import { assertCustomerKeyTransport } from '../sse/customerKeyHeaders.js';
import { encryptionResponseHeaders } from '../sse/responseHeaders.js';
import type { ObjectRecord } from '../storage/records.js';
import { requireBucket } from './bucketNames.js';

/** S3's limit for a single PUT: 5 GiB. */
export const MAX_PUT_BYTES = 5 * 1024 ** 3;

export const putObject: OperationHandler = async (ctx) => {
  const bucket = requireBucket(ctx);
  const key = ctx.key!;
  assertCustomerKeyTransport(ctx);
  const { mode } = writeEncryption(ctx, bucket);
  const attributes = attributesFromHeaders(ctx.headers);
  // No x-amz-tagging means no tags: an overwrite drops the old object's tags, as on S3.
  const tags = parseTaggingHeader(ctx.header(TAGGING_HEADER));
  assertTagsWritable(ctx, bucket, key, tags);
  const payload = ctx.body();
  const plainBytes = payload.declaredLength;
  if (plainBytes === undefined) throw new S3Error('MissingContentLength');
  if (plainBytes > MAX_PUT_BYTES) throw new S3Error('EntityTooLarge', undefined, { ProposedSize: String(plainBytes), MaxSizeAllowed: String(MAX_PUT_BYTES) });
  const identity = { bucket: bucket.name, key, uploadId: '' };
  const { objectKey, stored } = newObjectKey(mode, identity, ctx.keys);
  noteEncryption(ctx.auditNote, stored, plainBytes);
  const integrity = startBodyIntegrity(ctx, mode.kind === 'SSE-S3', true, plainBytes);
  const ingested = await ingestStream(ctx.services, {
    source: payload,
    plainBytes,
    objectKey,
    identity: { ...identity, partNumber: 0 },
    hashers: integrity.hashers,
  });
  const { services } = ctx;
  try {
    const checksum = integrity.verify(payload.trailers());
    const record: ObjectRecord = {
      ...attributes,
      bucket: bucket.name,
      key,
      size: plainBytes,
      etag: objectEtag(mode, integrity.md5()),
      lastModified: ctx.receivedAt,
      uploadId: '',
      partsCount: 0,
      encryption: stored,
      checksum: checksum ? sealChecksumText(JSON.stringify(checksum), objectKey, stored, identity) : null,
      tags,
    };
    const ifMatch = ctx.header('if-match');
    const ifNoneMatch = ctx.header('if-none-match');
    await services.commit(() => {
      if (!services.meta.getBucket(bucket.name)) throw new S3Error('NoSuchBucket', undefined, { BucketName: bucket.name });
      checkWriteConditions(ifMatch, ifNoneMatch, services.meta.getObject(bucket.name, key));
      const stream = { partNumber: 0, size: plainBytes, blobId: ingested.blobId, etag: record.etag, checksum: null };
      return { result: undefined, garbage: services.meta.putObject(record, [stream], [ingested]) };
    }, ingested.syncDirs);
    return {
      headers: {
        ETag: quotedEtag(record.etag),
        ...encryptionResponseHeaders(stored, mode.kind === 'SSE-C' ? mode.customer : undefined, true),
        ...(checksum ? { [`x-amz-checksum-${checksum.algorithm.toLowerCase()}`]: checksum.value, 'x-amz-checksum-type': checksum.type } : {}),
      },
    };
  } catch (err) {
    if (!ingested.inline) await services.blobs.deleteFiles([ingested.blobId]);
    throw err;
  }
};
