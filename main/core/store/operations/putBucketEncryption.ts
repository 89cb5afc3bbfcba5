// PutBucketEncryption: https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketEncryption.html
// KMS key ids are not checked here, as S3 does not: a bad default surfaces at PutObject (S3-SSE.md 3.4).
import { readBodyText, type OperationHandler } from '../requestContext.js';
import { parseEncryptionConfiguration } from '../sse/bucketEncryption.js';
import { requireBucket } from './bucketNames.js';

export const putBucketEncryption: OperationHandler = async (ctx) => {
  const bucket = requireBucket(ctx);
  const config = parseEncryptionConfiguration(await readBodyText(ctx));
  await ctx.services.commit(() => ({ result: ctx.services.meta.setBucketEncryption(bucket.name, JSON.stringify(config)), garbage: [] }));
  return {};
};
