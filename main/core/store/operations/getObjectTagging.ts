// GetObjectTagging: https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObjectTagging.html
// Tags are metadata: no SSE-C key is needed and no key is unsealed, so SSE-KMS objects need no
// KMS call either (S3-SSE.md R5.5). An object without tags answers an empty TagSet.
import { S3Error } from '../errors.js';
import { taggingDocument } from '../objects/tagSet.js';
import type { OperationHandler } from '../requestContext.js';
import { requireBucket } from './bucketNames.js';

export const getObjectTagging: OperationHandler = async (ctx) => {
  const bucket = requireBucket(ctx);
  const object = ctx.services.meta.getObject(bucket.name, ctx.key!);
  if (!object) throw new S3Error('NoSuchKey', undefined, { Key: ctx.key });
  return { headers: { 'Content-Type': 'application/xml' }, body: taggingDocument(object.tags) };
};
