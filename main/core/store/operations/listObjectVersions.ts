// ListObjectVersions: https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectVersions.html
// Buckets here are unversioned, so every object is listed once with version id "null", as S3 does
// for unversioned buckets; tools that empty a bucket through this call then work unchanged.
import type { OperationHandler } from '../requestContext.js';
import { buildXml } from '../xml.js';
import { requireBucket } from './bucketNames.js';
import { listPage } from './listing.js';
import { commonPrefixEntries, listingFields, objectEntry, parseListQuery } from './listQuery.js';

export const listObjectVersions: OperationHandler = async (ctx) => {
  const bucket = requireBucket(ctx);
  const list = parseListQuery(ctx);
  const keyMarker = ctx.query.get('key-marker') ?? '';
  const page = listPage(ctx.services.meta, bucket.name, { ...list, after: keyMarker });
  return {
    headers: { 'Content-Type': 'application/xml' },
    body: buildXml('ListVersionsResult', {
      Name: bucket.name,
      KeyMarker: list.encode(keyMarker),
      VersionIdMarker: ctx.query.get('version-id-marker') ?? '',
      NextKeyMarker: page.isTruncated && page.last !== undefined ? list.encode(page.last) : undefined,
      NextVersionIdMarker: page.isTruncated ? 'null' : undefined,
      ...listingFields(list),
      IsTruncated: page.isTruncated,
      Version: page.objects.map((o) => ({ ...objectEntry(o, list, true), VersionId: 'null', IsLatest: true })),
      CommonPrefixes: commonPrefixEntries(page.commonPrefixes, list),
    }),
  };
};
