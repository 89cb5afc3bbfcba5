// UploadPartCopy: https://docs.aws.amazon.com/AmazonS3/latest/API/API_UploadPartCopy.html
// The source is decrypted (with its copy-source SSE-C key if it has one) and re-encrypted under the upload's key.
import { S3Error } from '../errors.js';
import { checkCopySourceConditions, parseCopySource, parseCopySourceRange } from '../objects/copySource.js';
import { noteEncryption } from '../objects/auditNote.js';
import { startBodyIntegrity } from '../objects/bodyIntegrity.js';
import { readObjectRange } from '../objects/objectReader.js';
import { openObject } from '../objects/readAccess.js';
import { storePart } from '../objects/storePart.js';
import { MAX_PART_BYTES, parseUploadPartNumber, requireUpload, unlockUpload } from '../objects/uploads.js';
import type { OperationHandler } from '../requestContext.js';
import { assertCustomerKeyTransport } from '../sse/customerKeyHeaders.js';
import { encryptionResponseHeaders } from '../sse/responseHeaders.js';
import { COPY_SOURCE_KEY_HEADERS } from '../sse/sseHeaders.js';
import { buildXml } from '../xml.js';
import { assertSseCWriteAllowed } from '../objects/sseCBlock.js';
import { assertSourceReadable } from '../access/bucketPolicyGate.js';
import { requireBucket } from './bucketNames.js';

export const uploadPartCopy: OperationHandler = async (ctx) => {
  const bucket = requireBucket(ctx);
  const partNumber = parseUploadPartNumber(ctx);
  const upload = requireUpload(ctx, bucket.name, ctx.key!);
  assertCustomerKeyTransport(ctx);
  // An upload begun before the bucket blocked SSE-C cannot go on (S3-SSE.md 7.4); Abort still works.
  if (upload.encryption.mode === 'SSE-C') assertSseCWriteAllowed(ctx, bucket, 's3:PutObject', upload.key);
  const { objectKey, customer } = unlockUpload(ctx, upload);
  const from = parseCopySource(ctx);
  const sourceBucket = ctx.services.meta.getBucket(from.bucket);
  if (!sourceBucket) throw new S3Error('NoSuchBucket', undefined, { BucketName: from.bucket });
  assertSourceReadable(ctx, sourceBucket, from.key);
  const source = openObject(ctx, from.bucket, from.key, COPY_SOURCE_KEY_HEADERS);
  try {
    checkCopySourceConditions(ctx, source.object);
    const range = parseCopySourceRange(ctx.header('x-amz-copy-source-range'), source.object.size);
    const plainBytes = range.end - range.start;
    if (plainBytes > MAX_PART_BYTES) throw new S3Error('EntityTooLarge');
    noteEncryption(ctx.auditNote, upload.encryption, plainBytes);
    const integrity = startBodyIntegrity(ctx, upload.encryption.mode === 'SSE-S3', false, plainBytes);
    const data = readObjectRange(ctx.services, source.object, source.streams, source.objectKey, range, source.release);
    const part = await storePart(ctx, upload, partNumber, objectKey!, { source: data, plainBytes, trailers: () => ({}) }, integrity);
    return {
      headers: { 'Content-Type': 'application/xml', ...encryptionResponseHeaders(upload.encryption, customer) },
      body: buildXml('CopyPartResult', { ETag: `"${part.etag}"`, LastModified: part.lastModified.toISOString() }),
    };
  } finally {
    // Idempotent; covers a failure before the reader started (a generator that never ran has no finally).
    source.release();
  }
};
