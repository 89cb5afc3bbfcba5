// ListMultipartUploads: https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListMultipartUploads.html
import type { OperationHandler } from '../requestContext.js';
import { buildXml } from '../xml.js';
import { requireBucket } from './bucketNames.js';
import { encoder, parseMaxKeys } from './listing.js';
import { OWNER } from './owner.js';

export const listMultipartUploads: OperationHandler = async (ctx) => {
  const bucket = requireBucket(ctx);
  const q = ctx.query;
  const encode = encoder(q.get('encoding-type'));
  const prefix = q.get('prefix') ?? '';
  const delimiter = q.get('delimiter') ?? '';
  const keyMarker = q.get('key-marker') ?? '';
  // Without a key marker the upload-id marker is ignored, as S3 does.
  const uploadIdMarker = keyMarker === '' ? '' : (q.get('upload-id-marker') ?? '');
  const maxUploads = parseMaxKeys(q.get('max-uploads'), 'max-uploads');
  const uploads = [];
  const commonPrefixes: string[] = [];
  let truncated = false;
  let cursor = { key: keyMarker, uploadId: uploadIdMarker === '' ? '\u{10FFFF}' : uploadIdMarker };
  let last: { key: string; uploadId: string } | undefined;
  scan: while (true) {
    const rows = ctx.services.meta.listUploads(bucket.name, prefix, cursor.key, keyMarker === '' && cursor.key === '' ? '' : cursor.uploadId, maxUploads + 1);
    if (rows.length === 0) break;
    for (const row of rows) {
      if (!row.key.startsWith(prefix)) break scan;
      if (uploads.length + commonPrefixes.length === maxUploads) {
        truncated = true;
        break scan;
      }
      const at = delimiter === '' ? -1 : row.key.indexOf(delimiter, prefix.length);
      if (at >= 0) {
        const common = row.key.slice(0, at + delimiter.length);
        if (commonPrefixes.at(-1) !== common) commonPrefixes.push(common);
        cursor = { key: `${common}\u{10FFFF}`, uploadId: '' };
        continue scan;
      }
      uploads.push(row);
      last = { key: row.key, uploadId: row.uploadId };
      cursor = last;
    }
    if (rows.length <= maxUploads) break;
  }
  return {
    headers: { 'Content-Type': 'application/xml' },
    body: buildXml('ListMultipartUploadsResult', {
      Bucket: bucket.name,
      KeyMarker: encode(keyMarker),
      UploadIdMarker: uploadIdMarker,
      NextKeyMarker: truncated && last ? encode(last.key) : undefined,
      NextUploadIdMarker: truncated && last ? last.uploadId : undefined,
      Prefix: encode(prefix),
      Delimiter: delimiter === '' ? undefined : encode(delimiter),
      MaxUploads: maxUploads,
      EncodingType: q.get('encoding-type') ?? undefined,
      IsTruncated: truncated,
      Upload: uploads.map((u) => ({
        Key: encode(u.key),
        UploadId: u.uploadId,
        Initiator: OWNER,
        Owner: OWNER,
        StorageClass: 'STANDARD',
        Initiated: u.initiated.toISOString(),
      })),
      CommonPrefixes: commonPrefixes.map((p) => ({ Prefix: encode(p) })),
    }),
  };
};
