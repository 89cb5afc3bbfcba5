// CompleteMultipartUpload: https://docs.aws.amazon.com/AmazonS3/latest/API/API_CompleteMultipartUpload.html
// The parts' encrypted streams become the object as they are: nothing is copied or re-encrypted.
import { createHash } from 'node:crypto';
import { S3Error } from '../errors.js';
import { noteEncryption } from '../objects/auditNote.js';
import { compositeChecksum } from '../objects/bodyIntegrity.js';
import { quotedEtag } from '../objects/objectHeaders.js';
import { openChecksumText, sealChecksumText } from '../objects/sealing.js';
import { MIN_PART_BYTES, requireUpload, unlockUpload } from '../objects/uploads.js';
import { readBodyText } from '../objects/bodyText.js';
import type { OperationHandler } from '../requestContext.js';
import { assertCustomerKeyTransport } from '../sse/customerKeyHeaders.js';
import { encryptionResponseHeaders } from '../sse/responseHeaders.js';
import type { ObjectChecksum } from '../sse/storedEncryption.js';
import type { ObjectRecord, PartRecord } from '../storage/records.js';
import { buildXml, childList, childText, parseXmlBody } from '../xml.js';
import { assertSseCWriteAllowed } from '../objects/sseCBlock.js';
import { requireBucket } from './bucketNames.js';

interface RequestedPart {
  partNumber: number;
  etag: string;
}

function parseParts(xml: string): RequestedPart[] {
  const root = parseXmlBody(xml, 'CompleteMultipartUpload');
  const parts = childList(root, 'Part').map((p) => {
    const number = childText(p, 'PartNumber') ?? '';
    const etag = childText(p, 'ETag');
    if (!/^\d+$/.test(number) || etag === undefined) throw new S3Error('MalformedXML');
    return { partNumber: Number(number), etag: etag.replace(/^"(.*)"$/, '$1') };
  });
  if (parts.length === 0) throw new S3Error('MalformedXML');
  parts.forEach((p, i) => {
    if (i > 0 && p.partNumber <= parts[i - 1]!.partNumber) throw new S3Error('InvalidPartOrder');
  });
  return parts;
}

/** The multipart ETag: MD5 of the concatenated binary part ETags, then '-' and the part count (S3-SSE.md 9). */
function multipartEtag(parts: readonly PartRecord[]): string {
  const md5 = createHash('md5');
  for (const part of parts) md5.update(Buffer.from(part.etag, 'hex'));
  return `${md5.digest('hex')}-${parts.length}`;
}

export const completeMultipartUpload: OperationHandler = async (ctx) => {
  const bucket = requireBucket(ctx);
  const key = ctx.key!;
  const upload = requireUpload(ctx, bucket.name, key);
  assertCustomerKeyTransport(ctx);
  // An upload begun before the bucket blocked SSE-C cannot go on (S3-SSE.md 7.4); Abort still works.
  if (upload.encryption.mode === 'SSE-C') assertSseCWriteAllowed(ctx, bucket, 's3:PutObject', upload.key);
  // The SSE-C key is optional here (S3-SSE.md 4.1) but checked when sent.
  const { objectKey } = unlockUpload(ctx, upload, false);
  const requested = parseParts(await readBodyText(ctx));
  const { services } = ctx;
  noteEncryption(ctx.auditNote, upload.encryption);
  const stored = new Map(services.meta.listParts(upload.uploadId, 0, 10000).map((p) => [p.partNumber, p]));
  const chosen = requested.map((r) => {
    const part = stored.get(r.partNumber);
    if (!part || part.etag !== r.etag) throw new S3Error('InvalidPart', undefined, { PartNumber: String(r.partNumber), ETag: r.etag });
    return part;
  });
  chosen.slice(0, -1).forEach((part) => {
    if (part.size < MIN_PART_BYTES) {
      throw new S3Error('EntityTooSmall', undefined, { ProposedSize: String(part.size), MinSizeAllowed: String(MIN_PART_BYTES), PartNumber: String(part.partNumber), ETag: part.etag });
    }
  });
  const identity = { bucket: bucket.name, key, uploadId: upload.uploadId };
  let checksum: ObjectChecksum | undefined;
  if (upload.checksumAlgorithm && objectKey && chosen.every((p) => p.checksum)) {
    const partSums = chosen.map((p) => JSON.parse(openChecksumText(p.checksum!, objectKey, upload.encryption, identity)) as ObjectChecksum);
    checksum = compositeChecksum(upload.checksumAlgorithm, partSums);
  }
  const record: ObjectRecord = {
    contentType: upload.contentType,
    systemHeaders: upload.systemHeaders,
    userMetadata: upload.userMetadata,
    bucket: bucket.name,
    key,
    size: chosen.reduce((sum, p) => sum + p.size, 0),
    etag: multipartEtag(chosen),
    lastModified: ctx.receivedAt,
    uploadId: upload.uploadId,
    partsCount: chosen.length,
    encryption: upload.encryption,
    checksum: checksum && objectKey ? sealChecksumText(JSON.stringify(checksum), objectKey, upload.encryption, identity) : null,
    tags: upload.tags,
  };
  await services.commit(() => {
    if (!services.meta.getUpload(upload.uploadId)) throw new S3Error('NoSuchUpload', undefined, { UploadId: upload.uploadId });
    return { result: undefined, garbage: services.meta.completeUpload(upload.uploadId, record, chosen) };
  });
  const scheme = ctx.secure ? 'https' : 'http';
  return {
    headers: {
      'Content-Type': 'application/xml',
      // No SSE-C echo on Complete, as AWS answers (S3-SSE.md 1.2).
      ...encryptionResponseHeaders(upload.encryption, undefined),
    },
    body: buildXml('CompleteMultipartUploadResult', {
      Location: `${scheme}://${ctx.headers.host ?? 'localhost'}/${encodeURIComponent(bucket.name)}/${key.split('/').map(encodeURIComponent).join('/')}`,
      Bucket: bucket.name,
      Key: key,
      ETag: quotedEtag(record.etag),
      ...(checksum ? { [`Checksum${checksum.algorithm}`]: checksum.value, ChecksumType: checksum.type } : {}),
    }),
  };
};
