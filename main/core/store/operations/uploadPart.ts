// UploadPart: https://docs.aws.amazon.com/AmazonS3/latest/API/API_UploadPart.html
import { S3Error } from '../errors.js';
import { noteEncryption } from '../objects/auditNote.js';
import { startBodyIntegrity } from '../objects/bodyIntegrity.js';
import { quotedEtag } from '../objects/objectHeaders.js';
import { storePart } from '../objects/storePart.js';
import { MAX_PART_BYTES, parseUploadPartNumber, requireUpload, unlockUpload } from '../objects/uploads.js';
import type { OperationHandler } from '../requestContext.js';
import { assertCustomerKeyTransport } from '../sse/customerKeyHeaders.js';
import { encryptionResponseHeaders } from '../sse/responseHeaders.js';
import { assertSseCWriteAllowed } from '../objects/sseCBlock.js';
import { requireBucket } from './bucketNames.js';

export const uploadPart: OperationHandler = async (ctx) => {
  const bucket = requireBucket(ctx);
  const partNumber = parseUploadPartNumber(ctx);
  const upload = requireUpload(ctx, bucket.name, ctx.key!);
  assertCustomerKeyTransport(ctx);
  // An upload begun before the bucket blocked SSE-C cannot go on (S3-SSE.md 7.4); Abort still works.
  if (upload.encryption.mode === 'SSE-C') assertSseCWriteAllowed(ctx, bucket, 's3:PutObject', upload.key);
  const { objectKey, customer } = unlockUpload(ctx, upload);
  const payload = ctx.body();
  const plainBytes = payload.declaredLength;
  if (plainBytes === undefined) throw new S3Error('MissingContentLength');
  if (plainBytes > MAX_PART_BYTES) throw new S3Error('EntityTooLarge', undefined, { ProposedSize: String(plainBytes), MaxSizeAllowed: String(MAX_PART_BYTES) });
  noteEncryption(ctx.auditNote, upload.encryption, plainBytes);
  const integrity = startBodyIntegrity(ctx, upload.encryption.mode === 'SSE-S3', true, plainBytes);
  const part = await storePart(ctx, upload, partNumber, objectKey!, { source: payload, plainBytes, trailers: () => payload.trailers() }, integrity);
  return {
    headers: {
      ETag: quotedEtag(part.etag),
      ...encryptionResponseHeaders(upload.encryption, customer),
      ...(part.checksum ? { [`x-amz-checksum-${part.checksum.algorithm.toLowerCase()}`]: part.checksum.value } : {}),
    },
  };
};
