// ListObjects (V1): https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjects.html
import type { OperationHandler } from '../requestContext.js';
import { buildXml } from '../xml.js';
import { requireBucket } from './bucketNames.js';
import { listPage } from './listing.js';
import { commonPrefixEntries, listingFields, objectEntry, parseListQuery } from './listQuery.js';

export const listObjects: OperationHandler = async (ctx) => {
  const bucket = requireBucket(ctx);
  const list = parseListQuery(ctx);
  const marker = ctx.query.get('marker') ?? '';
  const page = listPage(ctx.services.meta, bucket.name, { ...list, after: marker });
  return {
    headers: { 'Content-Type': 'application/xml' },
    body: buildXml('ListBucketResult', {
      Name: bucket.name,
      Marker: list.encode(marker),
      ...listingFields(list),
      IsTruncated: page.isTruncated,
      // S3 sends NextMarker only with a delimiter; without one, clients resume from the last key.
      NextMarker: page.isTruncated && list.delimiter !== '' && page.last !== undefined ? list.encode(page.last) : undefined,
      Contents: page.objects.map((o) => objectEntry(o, list, true)),
      CommonPrefixes: commonPrefixEntries(page.commonPrefixes, list),
    }),
  };
};
