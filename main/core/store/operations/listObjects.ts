// ListObjects (V1): https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjects.html
import type { OperationHandler } from '../requestContext.js';
import { buildXml } from '../xml.js';
import { requireBucket } from './bucketNames.js';
import { encoder, listPage, parseMaxKeys } from './listing.js';
import { OWNER } from './owner.js';

export const listObjects: OperationHandler = async (ctx) => {
  const bucket = requireBucket(ctx);
  const q = ctx.query;
  const encode = encoder(q.get('encoding-type'));
  const prefix = q.get('prefix') ?? '';
  const delimiter = q.get('delimiter') ?? '';
  const marker = q.get('marker') ?? '';
  const maxKeys = parseMaxKeys(q.get('max-keys'));
  const page = listPage(ctx.services.meta, bucket.name, { prefix, delimiter, after: marker, maxKeys });
  return {
    headers: { 'Content-Type': 'application/xml' },
    body: buildXml('ListBucketResult', {
      Name: bucket.name,
      Prefix: encode(prefix),
      Marker: encode(marker),
      MaxKeys: maxKeys,
      Delimiter: delimiter === '' ? undefined : encode(delimiter),
      EncodingType: q.get('encoding-type') ?? undefined,
      IsTruncated: page.isTruncated,
      // S3 sends NextMarker only with a delimiter; without one, clients resume from the last key.
      NextMarker: page.isTruncated && delimiter !== '' && page.last !== undefined ? encode(page.last) : undefined,
      Contents: page.objects.map((o) => ({
        Key: encode(o.key),
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
