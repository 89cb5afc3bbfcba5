// DeleteObject: https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteObject.html
// Deleting a missing key succeeds (204), as in S3. No SSE-C key is needed (S3-SSE.md 4.1).
import type { OperationHandler } from '../requestContext.js';
import { requireBucket } from './bucketNames.js';

export const deleteObject: OperationHandler = async (ctx) => {
  const bucket = requireBucket(ctx);
  const { meta } = ctx.services;
  await ctx.services.commit(() => ({ result: undefined, garbage: meta.deleteObject(bucket.name, ctx.key!) }));
  return { status: 204 };
};
