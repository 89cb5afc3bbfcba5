// GetObjectTagging: https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObjectTagging.html
// This store keeps no tags (writes carrying x-amz-tagging are refused), so every object's tag set is empty.
// Like S3, no SSE-C key is needed: tags are metadata (S3-SSE.md R5.5).
import { S3Error } from '../errors.js';
import type { OperationHandler } from '../requestContext.js';
import { buildXml } from '../xml.js';
import { requireBucket } from './bucketNames.js';

export const getObjectTagging: OperationHandler = async (ctx) => {
  const bucket = requireBucket(ctx);
  if (!ctx.services.meta.getObject(bucket.name, ctx.key!)) throw new S3Error('NoSuchKey', undefined, { Key: ctx.key });
  return { headers: { 'Content-Type': 'application/xml' }, body: buildXml('Tagging', { TagSet: '' }) };
};
