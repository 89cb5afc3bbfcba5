// PutObjectTagging: https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObjectTagging.html
// Replaces the whole tag set of an existing object (an empty TagSet removes them all). The data,
// ETag and Last-Modified stay as they are. Like every tag operation it needs no SSE-C key and no
// KMS call (S3-SSE.md R5.5).
import { S3Error } from '../errors.js';
import { parseTaggingDocument } from '../objects/tagSet.js';
import { readBodyText } from '../objects/bodyText.js';
import type { OperationHandler } from '../requestContext.js';
import { requireBucket } from './bucketNames.js';

/** A Tagging document of 10 tags at their longest is under 8 KiB; this leaves room for indentation. */
const MAX_TAGGING_BODY_BYTES = 64 * 1024;

export const putObjectTagging: OperationHandler = async (ctx) => {
  const bucket = requireBucket(ctx);
  const key = ctx.key!;
  const { meta } = ctx.services;
  if (!meta.getObject(bucket.name, key)) throw new S3Error('NoSuchKey', undefined, { Key: key });
  const tags = parseTaggingDocument(await readBodyText(ctx, MAX_TAGGING_BODY_BYTES));
  await ctx.services.commit(() => {
    // Deleted while the body was read: nothing left to tag.
    if (!meta.setObjectTags(bucket.name, key, tags)) throw new S3Error('NoSuchKey', undefined, { Key: key });
    return { result: undefined, garbage: [] };
  });
  return {};
};
