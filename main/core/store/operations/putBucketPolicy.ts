// PutBucketPolicy: https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketPolicy.html
// The document is validated before it is stored (MalformedPolicy), and stored as sent.
import { S3Error } from '../errors.js';
import { MAX_POLICY_BYTES, parseBucketPolicy } from '../policy/index.js';
import { readBodyText } from '../objects/bodyText.js';
import type { OperationHandler } from '../requestContext.js';
import { requireBucket } from './bucketNames.js';

export const putBucketPolicy: OperationHandler = async (ctx) => {
  const bucket = requireBucket(ctx);
  // Twice the normalized limit leaves room for indentation; parseBucketPolicy checks the real limit.
  const text = await readBodyText(ctx, 2 * MAX_POLICY_BYTES);
  if (text.trim() === '') throw new S3Error('MalformedPolicy');
  parseBucketPolicy(text, bucket.name);
  await ctx.services.commit(() => ({ result: ctx.services.meta.setBucketPolicy(bucket.name, text), garbage: [] }));
  return { status: 204 };
};
