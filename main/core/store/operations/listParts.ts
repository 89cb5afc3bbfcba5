// ListParts: https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListParts.html
// No SSE fields; sizes are plaintext sizes; works without the SSE-C key (S3-SSE.md 6).
import { S3Error } from '../errors.js';
import { requireUpload } from '../objects/uploads.js';
import type { OperationHandler } from '../requestContext.js';
import { buildXml } from '../xml.js';
import { requireBucket } from './bucketNames.js';
import { parseMaxKeys } from './listing.js';
import { OWNER } from './owner.js';

export const listParts: OperationHandler = async (ctx) => {
  const bucket = requireBucket(ctx);
  const upload = requireUpload(ctx, bucket.name, ctx.key!);
  const markerText = ctx.query.get('part-number-marker') ?? '0';
  if (!/^\d+$/.test(markerText)) throw new S3Error('InvalidArgument', 'Provided part-number-marker not an integer or within integer range', { ArgumentName: 'part-number-marker', ArgumentValue: markerText });
  const marker = Number(markerText);
  const maxParts = parseMaxKeys(ctx.query.get('max-parts'), 'max-parts');
  const rows = ctx.services.meta.listParts(upload.uploadId, marker, maxParts + 1);
  const page = rows.slice(0, maxParts);
  const truncated = rows.length > maxParts;
  return {
    headers: { 'Content-Type': 'application/xml' },
    body: buildXml('ListPartsResult', {
      Bucket: bucket.name,
      Key: upload.key,
      UploadId: upload.uploadId,
      Initiator: OWNER,
      Owner: OWNER,
      StorageClass: 'STANDARD',
      PartNumberMarker: marker,
      NextPartNumberMarker: page.at(-1)?.partNumber ?? marker,
      MaxParts: maxParts,
      IsTruncated: truncated,
      ChecksumAlgorithm: upload.checksumAlgorithm ?? undefined,
      Part: page.map((p) => ({ PartNumber: p.partNumber, LastModified: p.lastModified.toISOString(), ETag: `"${p.etag}"`, Size: p.size })),
    }),
  };
};
