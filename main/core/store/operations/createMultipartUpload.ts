// CreateMultipartUpload: https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateMultipartUpload.html
// The encryption is fixed here, for every part, from the request headers or the bucket default.
import { randomBytes } from 'node:crypto';
import { assertTagsWritable } from '../access/bucketPolicyGate.js';
import { S3Error } from '../errors.js';
import { attributesFromHeaders } from '../objects/attributes.js';
import { noteEncryption } from '../objects/auditNote.js';
import { newObjectKey } from '../objects/sealing.js';
import { parseTaggingHeader, TAGGING_HEADER } from '../objects/tagSet.js';
import { writeEncryption } from '../objects/writeTarget.js';
import type { OperationHandler } from '../requestContext.js';
import { assertCustomerKeyTransport } from '../sse/customerKeyHeaders.js';
import { encryptionResponseHeaders } from '../sse/responseHeaders.js';
import { buildXml } from '../xml.js';
import { requireBucket } from './bucketNames.js';

const CHECKSUM_ALGORITHMS = ['CRC32', 'CRC32C', 'CRC64NVME', 'SHA1', 'SHA256'];

export const createMultipartUpload: OperationHandler = async (ctx) => {
  const bucket = requireBucket(ctx);
  const key = ctx.key!;
  assertCustomerKeyTransport(ctx);
  const { mode } = writeEncryption(ctx, bucket);
  const checksumAlgorithm = ctx.header('x-amz-checksum-algorithm')?.toUpperCase();
  if (checksumAlgorithm !== undefined && !CHECKSUM_ALGORITHMS.includes(checksumAlgorithm)) {
    throw new S3Error('InvalidRequest', 'Checksum algorithm provided is unsupported. Please try again with any of the valid types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]');
  }
  const attributes = attributesFromHeaders(ctx.headers);
  // Kept with the upload; CompleteMultipartUpload gives them to the object.
  const tags = parseTaggingHeader(ctx.header(TAGGING_HEADER));
  assertTagsWritable(ctx, bucket, key, tags);
  const uploadId = randomBytes(24).toString('base64url');
  const { stored } = newObjectKey(mode, { bucket: bucket.name, key, uploadId }, ctx.keys);
  noteEncryption(ctx.auditNote, stored);
  const { services } = ctx;
  await services.commit(() => {
    if (!services.meta.getBucket(bucket.name)) throw new S3Error('NoSuchBucket', undefined, { BucketName: bucket.name });
    services.meta.insertUpload({
      ...attributes,
      uploadId,
      bucket: bucket.name,
      key,
      initiated: ctx.receivedAt,
      encryption: stored,
      checksumAlgorithm: checksumAlgorithm ?? null,
      tags,
    });
    return { result: undefined, garbage: [] };
  });
  return {
    headers: {
      'Content-Type': 'application/xml',
      ...encryptionResponseHeaders(stored, mode.kind === 'SSE-C' ? mode.customer : undefined, true),
      ...(checksumAlgorithm ? { 'x-amz-checksum-algorithm': checksumAlgorithm } : {}),
    },
    body: buildXml('InitiateMultipartUploadResult', { Bucket: bucket.name, Key: key, UploadId: uploadId }),
  };
};
