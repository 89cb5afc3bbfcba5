// DeleteBucket: https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteBucket.html
import { S3Error } from '../errors.js';
import type { OperationHandler } from '../requestContext.js';
import { requireBucket } from './bucketNames.js';

export const deleteBucket: OperationHandler = async (ctx) => {
  const bucket = requireBucket(ctx);
  const { meta } = ctx.services;
  await ctx.services.commit(() => {
    // Checked inside the transaction: a PUT that commits first makes the bucket non-empty.
    if (!meta.bucketIsEmpty(bucket.name)) throw new S3Error('BucketNotEmpty', undefined, { BucketName: bucket.name });
    return { result: undefined, garbage: meta.deleteBucket(bucket.name) };
  });
  return { status: 204 };
};
