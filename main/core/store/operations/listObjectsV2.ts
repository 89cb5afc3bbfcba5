// ListObjectsV2: https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html
import { S3Error } from '../errors.js';
import type { OperationHandler } from '../requestContext.js';
import { buildXml } from '../xml.js';
import { requireBucket } from './bucketNames.js';
import { listPage } from './listing.js';
import { commonPrefixEntries, listingFields, objectEntry, parseListQuery } from './listQuery.js';

function decodeToken(token: string): string {
  const text = Buffer.from(token, 'base64url').toString('utf8');
  if (!text.startsWith('k:')) throw new S3Error('InvalidArgument', 'The continuation token provided is incorrect', { ArgumentName: 'continuation-token' });
  return text.slice(2);
}

function encodeToken(after: string): string {
  return Buffer.from(`k:${after}`, 'utf8').toString('base64url');
}

export const listObjectsV2: OperationHandler = async (ctx) => {
  const bucket = requireBucket(ctx);
  const list = parseListQuery(ctx);
  const token = ctx.query.get('continuation-token');
  const startAfter = ctx.query.get('start-after') ?? '';
  const after = token !== null ? decodeToken(token) : startAfter;
  const page = listPage(ctx.services.meta, bucket.name, { ...list, after });
  return {
    headers: { 'Content-Type': 'application/xml' },
    body: buildXml('ListBucketResult', {
      Name: bucket.name,
      ...listingFields(list),
      KeyCount: page.objects.length + page.commonPrefixes.length,
      IsTruncated: page.isTruncated,
      ContinuationToken: token ?? undefined,
      NextContinuationToken: page.isTruncated && page.last !== undefined ? encodeToken(page.last) : undefined,
      StartAfter: startAfter === '' ? undefined : list.encode(startAfter),
      Contents: page.objects.map((o) => objectEntry(o, list, ctx.query.get('fetch-owner') === 'true')),
      CommonPrefixes: commonPrefixEntries(page.commonPrefixes, list),
    }),
  };
};
