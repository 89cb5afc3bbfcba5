// DeleteBucketPolicy: https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteBucketPolicy.html (204, also when none is set).
import type { OperationHandler } from '../requestContext.js';
import { requireBucket } from './bucketNames.js';

export const deleteBucketPolicy: OperationHandler = async (ctx) => {
  const bucket = requireBucket(ctx);
  await ctx.services.commit(() => ({ result: ctx.services.meta.setBucketPolicy(bucket.name, null), garbage: [] }));
  return { status: 204 };
};
