// DeleteBucketEncryption: https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteBucketEncryption.html
// Resets to the SSE-S3 base rule; idempotent (204 on repeat).
import type { OperationHandler } from '../requestContext.js';
import { requireBucket } from './bucketNames.js';

export const deleteBucketEncryption: OperationHandler = async (ctx) => {
  const bucket = requireBucket(ctx);
  await ctx.services.commit(() => ({ result: ctx.services.meta.setBucketEncryption(bucket.name, null), garbage: [] }));
  return { status: 204 };
};
