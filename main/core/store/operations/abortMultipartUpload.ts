// AbortMultipartUpload: https://docs.aws.amazon.com/AmazonS3/latest/API/API_AbortMultipartUpload.html
import { requireUpload } from '../objects/uploads.js';
import type { OperationHandler } from '../requestContext.js';
import { requireBucket } from './bucketNames.js';

export const abortMultipartUpload: OperationHandler = async (ctx) => {
  const bucket = requireBucket(ctx);
  const upload = requireUpload(ctx, bucket.name, ctx.key!);
  const { meta } = ctx.services;
  await ctx.services.commit(() => ({ result: undefined, garbage: meta.deleteUpload(upload.uploadId) }));
  return { status: 204 };
};
