// CreateBucket: https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateBucket.html
import { S3Error } from '../errors.js';
import { readBodyText, type OperationHandler } from '../requestContext.js';
import { childText, parseXmlBody } from '../xml.js';
import { validateBucketName } from './bucketNames.js';

export const createBucket: OperationHandler = async (ctx) => {
  const name = ctx.bucket!;
  validateBucketName(name);
  const body = await readBodyText(ctx);
  if (body.trim() !== '') {
    const constraint = childText(parseXmlBody(body, 'CreateBucketConfiguration'), 'LocationConstraint');
    const region = ctx.services.options.region;
    // An empty constraint means us-east-1, the one region that never names itself.
    const asked = constraint === undefined || constraint === '' ? 'us-east-1' : constraint;
    if (asked !== region) {
      throw new S3Error('InvalidLocationConstraint', `The specified location-constraint is not valid for this store, which serves ${region}`, {
        LocationConstraint: constraint,
      });
    }
  }
  const created = await ctx.services.commit(() => ({ result: ctx.services.meta.insertBucket(name, ctx.receivedAt), garbage: [] }));
  if (!created) throw new S3Error('BucketAlreadyOwnedByYou', undefined, { BucketName: name });
  return { headers: { Location: `/${name}` } };
};
