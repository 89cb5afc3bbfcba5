// Bucket name rules (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html).
import { S3Error } from '../errors.js';
import type { RequestContext } from '../requestContext.js';
import type { BucketRecord } from '../storage/records.js';

export function validateBucketName(name: string): void {
  const ok =
    /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(name) &&
    !name.includes('..') &&
    !/^\d{1,3}(\.\d{1,3}){3}$/.test(name) &&
    !name.startsWith('xn--') &&
    !name.startsWith('sthree-') &&
    !name.endsWith('-s3alias') &&
    !name.endsWith('--ol-s3');
  if (!ok) throw new S3Error('InvalidBucketName', undefined, { BucketName: name });
}

/** The request's bucket, or 404 NoSuchBucket. */
export function requireBucket(ctx: RequestContext): BucketRecord {
  const name = ctx.bucket!;
  const bucket = ctx.services.meta.getBucket(name);
  if (!bucket) throw new S3Error('NoSuchBucket', undefined, { BucketName: name });
  return bucket;
}
