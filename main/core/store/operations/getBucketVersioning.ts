// GetBucketVersioning: https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketVersioning.html
// Buckets here are never versioned; tools ask before listing versions, so the answer is an empty configuration.
import type { OperationHandler } from '../requestContext.js';
import { buildXml } from '../xml.js';
import { requireBucket } from './bucketNames.js';

export const getBucketVersioning: OperationHandler = async (ctx) => {
  requireBucket(ctx);
  return { headers: { 'Content-Type': 'application/xml' }, body: buildXml('VersioningConfiguration', {}) };
};
