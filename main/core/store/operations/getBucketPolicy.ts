// GetBucketPolicy: https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketPolicy.html
import { S3Error } from '../errors.js';
import type { OperationHandler } from '../requestContext.js';
import { requireBucket } from './bucketNames.js';

export const getBucketPolicy: OperationHandler = async (ctx) => {
  const bucket = requireBucket(ctx);
  if (bucket.policy === null) throw new S3Error('NoSuchBucketPolicy', undefined, { BucketName: bucket.name });
  return { headers: { 'Content-Type': 'application/json' }, body: bucket.policy };
};
