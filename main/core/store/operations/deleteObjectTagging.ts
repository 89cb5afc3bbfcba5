// DeleteObjectTagging: https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteObjectTagging.html
// Removes every tag of an existing object and answers 204, tags or not. No SSE-C key is needed (S3-SSE.md R5.5).
import { S3Error } from '../errors.js';
import type { OperationHandler } from '../requestContext.js';
import { requireBucket } from './bucketNames.js';

export const deleteObjectTagging: OperationHandler = async (ctx) => {
  const bucket = requireBucket(ctx);
  const key = ctx.key!;
  const { meta } = ctx.services;
  await ctx.services.commit(() => {
    if (!meta.setObjectTags(bucket.name, key, [])) throw new S3Error('NoSuchKey', undefined, { Key: key });
    return { result: undefined, garbage: [] };
  });
  return { status: 204 };
};
