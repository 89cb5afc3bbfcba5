// GetBucketLocation: https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketLocation.html
import type { OperationHandler } from '../requestContext.js';
import { buildXml } from '../xml.js';
import { requireBucket } from './bucketNames.js';

export const getBucketLocation: OperationHandler = async (ctx) => {
  requireBucket(ctx);
  const region = ctx.services.options.region;
  // us-east-1 is reported as an empty constraint, as S3 does.
  return {
    headers: { 'Content-Type': 'application/xml' },
    body: buildXml('LocationConstraint', { '#text': region === 'us-east-1' ? '' : region }),
  };
};
