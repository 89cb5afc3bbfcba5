// PutBucketEncryption: https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketEncryption.html
// KMS key ids are not checked here, as S3 does not: a bad default surfaces at PutObject (S3-SSE.md 3.4).
// A document without BlockedEncryptionTypes leaves the bucket's SSE-C block as it was (7.4).
import { readBodyText } from '../objects/bodyText.js';
import type { OperationHandler } from '../requestContext.js';
import { parseEncryptionConfiguration } from '../sse/bucketEncryption.js';
import { requireBucket } from './bucketNames.js';

export const putBucketEncryption: OperationHandler = async (ctx) => {
  const bucket = requireBucket(ctx);
  const { rule, blocked } = parseEncryptionConfiguration(await readBodyText(ctx));
  const { meta } = ctx.services;
  await ctx.services.commit(() => {
    meta.setBucketEncryption(bucket.name, JSON.stringify(rule));
    if (blocked) meta.setBlockedEncryptionTypes(bucket.name, blocked);
    return { result: undefined, garbage: [] };
  });
  return {};
};
