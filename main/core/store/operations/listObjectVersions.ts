// ListObjectVersions: https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectVersions.html
// Buckets here are unversioned, so every object is listed once with version id "null", as S3 does
// for unversioned buckets; tools that empty a bucket through this call then work unchanged.
import type { OperationHandler } from '../requestContext.js';
import { buildXml } from '../xml.js';
import { requireBucket } from './bucketNames.js';
import { encoder, listPage, parseMaxKeys } from './listing.js';
import { OWNER } from './owner.js';

export const listObjectVersions: OperationHandler = async (ctx) => {
  const bucket = requireBucket(ctx);
  const q = ctx.query;
  const encode = encoder(q.get('encoding-type'));
  const prefix = q.get('prefix') ?? '';
  const delimiter = q.get('delimiter') ?? '';
  const keyMarker = q.get('key-marker') ?? '';
  const maxKeys = parseMaxKeys(q.get('max-keys'));
  const page = listPage(ctx.services.meta, bucket.name, { prefix, delimiter, after: keyMarker, maxKeys });
  return {
    headers: { 'Content-Type': 'application/xml' },
    body: buildXml('ListVersionsResult', {
      Name: bucket.name,
      Prefix: encode(prefix),
      KeyMarker: encode(keyMarker),
      VersionIdMarker: q.get('version-id-marker') ?? '',
      NextKeyMarker: page.isTruncated && page.last !== undefined ? encode(page.last) : undefined,
      NextVersionIdMarker: page.isTruncated ? 'null' : undefined,
      MaxKeys: maxKeys,
      Delimiter: delimiter === '' ? undefined : encode(delimiter),
      EncodingType: q.get('encoding-type') ?? undefined,
      IsTruncated: page.isTruncated,
      Version: page.objects.map((o) => ({
        Key: encode(o.key),
        VersionId: 'null',
        IsLatest: true,
        LastModified: o.lastModified.toISOString(),
        ETag: `"${o.etag}"`,
        Size: o.size,
        StorageClass: 'STANDARD',
        Owner: OWNER,
      })),
      CommonPrefixes: page.commonPrefixes.map((p) => ({ Prefix: encode(p) })),
    }),
  };
};
