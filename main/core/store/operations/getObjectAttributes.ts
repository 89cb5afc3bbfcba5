// GetObjectAttributes: https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObjectAttributes.html
// No SSE fields; ObjectSize is the plaintext size; SSE-C objects need their key (S3-SSE.md 6).
import { S3Error } from '../errors.js';
import { openChecksumText } from '../objects/sealing.js';
import { openObject } from '../objects/readAccess.js';
import type { OperationHandler } from '../requestContext.js';
import { assertCustomerKeyTransport } from '../sse/customerKeyHeaders.js';
import type { ObjectChecksum } from '../sse/storedEncryption.js';
import { buildXml } from '../xml.js';
import { requireBucket } from './bucketNames.js';

const ATTRIBUTES = new Set(['ETag', 'Checksum', 'ObjectParts', 'StorageClass', 'ObjectSize']);

export const getObjectAttributes: OperationHandler = async (ctx) => {
  const bucket = requireBucket(ctx);
  const wanted = new Set((ctx.header('x-amz-object-attributes') ?? '').split(',').map((a) => a.trim()).filter((a) => a !== ''));
  if (wanted.size === 0 || [...wanted].some((a) => !ATTRIBUTES.has(a))) {
    throw new S3Error('InvalidArgument', 'Invalid attribute name specified.', { ArgumentName: 'x-amz-object-attributes' });
  }
  assertCustomerKeyTransport(ctx);
  const { object, streams, objectKey, release } = openObject(ctx, bucket.name, ctx.key!);
  release();
  const identity = { bucket: object.bucket, key: object.key, uploadId: object.uploadId };
  const checksum = object.checksum ? (JSON.parse(openChecksumText(object.checksum, objectKey, object.encryption, identity)) as ObjectChecksum) : undefined;
  const maxParts = Number(ctx.header('x-amz-max-parts') ?? 1000);
  const marker = Number(ctx.header('x-amz-part-number-marker') ?? 0);
  const parts = object.partsCount > 0 ? streams.filter((s) => s.partNumber > marker) : [];
  return {
    headers: { 'Content-Type': 'application/xml', 'Last-Modified': object.lastModified.toUTCString() },
    body: buildXml('GetObjectAttributesResponse', {
      // Unquoted here, as S3 returns it in this operation.
      ETag: wanted.has('ETag') ? object.etag : undefined,
      Checksum: wanted.has('Checksum') && checksum ? { [`Checksum${checksum.algorithm}`]: checksum.value, ChecksumType: checksum.type } : undefined,
      ObjectParts:
        wanted.has('ObjectParts') && object.partsCount > 0
          ? {
              // The SDKs' TotalPartsCount travels as <PartsCount>, as in S3's response syntax.
              PartsCount: object.partsCount,
              PartNumberMarker: marker,
              NextPartNumberMarker: parts.slice(0, maxParts).at(-1)?.partNumber ?? marker,
              MaxParts: maxParts,
              IsTruncated: parts.length > maxParts,
              Part: parts.slice(0, maxParts).map((p) => ({ PartNumber: p.partNumber, Size: p.size })),
            }
          : undefined,
      StorageClass: wanted.has('StorageClass') ? 'STANDARD' : undefined,
      ObjectSize: wanted.has('ObjectSize') ? object.size : undefined,
    }),
  };
};
