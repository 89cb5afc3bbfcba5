// CreateBucket: https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateBucket.html
import { S3Error } from '../errors.js';
import { readBodyText } from '../objects/bodyText.js';
import type { OperationHandler } from '../requestContext.js';
import { childText, parseXmlBody } from '../xml.js';
import { validateBucketName } from './bucketNames.js';

/** The shape of an AWS region name (us-east-1, ap-southeast-2, us-gov-west-1), plus the legacy 'EU'. */
const REGION_NAME = /^(?:[a-z]{2}(?:-[a-z]+)+-\d+|EU)$/;

export const createBucket: OperationHandler = async (ctx) => {
  const name = ctx.bucket!;
  validateBucketName(name);
  const body = await readBodyText(ctx);
  if (body.trim() !== '') {
    const constraint = childText(parseXmlBody(body, 'CreateBucketConfiguration'), 'LocationConstraint');
    const region = ctx.services.options.region;
    // An empty constraint means us-east-1, the one region that never names itself.
    const asked = constraint === undefined || constraint === '' ? 'us-east-1' : constraint;
    // S3 tells a real region this endpoint does not serve apart from a name that is no region at all.
    if (!REGION_NAME.test(asked)) throw new S3Error('InvalidLocationConstraint', undefined, { LocationConstraint: constraint });
    if (asked !== region) {
      throw new S3Error('IllegalLocationConstraintException', `The ${asked} location constraint is incompatible for the region specific endpoint this request was sent to.`);
    }
  }
  const blocked = ctx.services.options.blockSseCOnNewBuckets ? (['SSE-C'] as const) : [];
  const created = await ctx.services.commit(() => ({ result: ctx.services.meta.insertBucket(name, ctx.receivedAt, blocked), garbage: [] }));
  if (!created) throw new S3Error('BucketAlreadyOwnedByYou', undefined, { BucketName: name });
  return { headers: { Location: `/${name}` } };
};
