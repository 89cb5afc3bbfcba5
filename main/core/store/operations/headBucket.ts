// HeadBucket: https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadBucket.html
import type { OperationHandler } from '../requestContext.js';
import { requireBucket } from './bucketNames.js';

export const headBucket: OperationHandler = async (ctx) => {
  requireBucket(ctx);
  return { headers: { 'x-amz-bucket-region': ctx.services.options.region } };
};
