// GetBucketEncryption: https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketEncryption.html
// A never-configured bucket answers with the SSE-S3 base rule, as S3 has since January 2023 (S3-SSE.md 7.3).
import type { OperationHandler } from '../requestContext.js';
import { bucketDefault, renderEncryptionConfiguration } from '../sse/bucketEncryption.js';
import { requireBucket } from './bucketNames.js';

export const getBucketEncryption: OperationHandler = async (ctx) => {
  const bucket = requireBucket(ctx);
  return { headers: { 'Content-Type': 'application/xml' }, body: renderEncryptionConfiguration(bucketDefault(bucket.encryption), bucket.blockedEncryptionTypes) };
};
