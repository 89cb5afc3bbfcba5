// ListBuckets: https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListBuckets.html
import type { OperationHandler } from '../requestContext.js';
import { buildXml } from '../xml.js';
import { OWNER } from './owner.js';

export const listBuckets: OperationHandler = async (ctx) => {
  const buckets = ctx.services.meta.listBuckets();
  return {
    headers: { 'Content-Type': 'application/xml' },
    body: buildXml('ListAllMyBucketsResult', {
      Owner: OWNER,
      Buckets: { Bucket: buckets.map((b) => ({ Name: b.name, CreationDate: b.createdAt.toISOString(), BucketRegion: ctx.services.options.region })) },
    }),
  };
};
