// ListObjectsV2: https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html
import { S3Error } from '../errors.js';
import type { OperationHandler } from '../requestContext.js';
import { buildXml } from '../xml.js';
import { requireBucket } from './bucketNames.js';
import { encoder, listPage, parseMaxKeys } from './listing.js';
import { OWNER } from './owner.js';

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
  const q = ctx.query;
  const encode = encoder(q.get('encoding-type'));
  const prefix = q.get('prefix') ?? '';
  const delimiter = q.get('delimiter') ?? '';
  const token = q.get('continuation-token');
  const startAfter = q.get('start-after') ?? '';
  const maxKeys = parseMaxKeys(q.get('max-keys'));
  const after = token !== null ? decodeToken(token) : startAfter;
  const page = listPage(ctx.services.meta, bucket.name, { prefix, delimiter, after, maxKeys });
  const fetchOwner = q.get('fetch-owner') === 'true';
  return {
    headers: { 'Content-Type': 'application/xml' },
    body: buildXml('ListBucketResult', {
      Name: bucket.name,
      Prefix: encode(prefix),
      Delimiter: delimiter === '' ? undefined : encode(delimiter),
      MaxKeys: maxKeys,
      EncodingType: q.get('encoding-type') ?? undefined,
      KeyCount: page.objects.length + page.commonPrefixes.length,
      IsTruncated: page.isTruncated,
      ContinuationToken: token ?? undefined,
      NextContinuationToken: page.isTruncated && page.last !== undefined ? encodeToken(page.last) : undefined,
      StartAfter: startAfter === '' ? undefined : encode(startAfter),
      Contents: page.objects.map((o) => ({
        Key: encode(o.key),
        LastModified: o.lastModified.toISOString(),
        ETag: `"${o.etag}"`,
        Size: o.size,
        StorageClass: 'STANDARD',
        Owner: fetchOwner ? OWNER : undefined,
      })),
      CommonPrefixes: page.commonPrefixes.map((p) => ({ Prefix: encode(p) })),
    }),
  };
};
