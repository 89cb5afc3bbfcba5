// Writes one part of a multipart upload: encrypted under the upload's key, committed while the upload still exists.
import { S3Error } from '../errors.js';
import type { RequestContext } from '../requestContext.js';
import type { UploadRecord } from '../storage/records.js';
import type { BodyIntegrity } from './bodyIntegrity.js';
import { ingestStream } from './ingest.js';
import { sealChecksumText } from './sealing.js';
import type { ObjectChecksum } from '../sse/storedEncryption.js';
import { randomBytes } from 'node:crypto';

export interface StoredPart {
  etag: string;
  checksum: ObjectChecksum | undefined;
  lastModified: Date;
}

export async function storePart(
  ctx: RequestContext,
  upload: UploadRecord,
  partNumber: number,
  objectKey: Buffer,
  body: { source: AsyncIterable<Buffer>; plainBytes: number; trailers: () => Record<string, string> },
  integrity: BodyIntegrity,
): Promise<StoredPart> {
  const { services } = ctx;
  const identity = { bucket: upload.bucket, key: upload.key, uploadId: upload.uploadId };
  const ingested = await ingestStream(services, {
    source: body.source,
    plainBytes: body.plainBytes,
    objectKey,
    identity: { ...identity, partNumber },
    hashers: integrity.hashers,
  });
  try {
    const checksum = integrity.verify(body.trailers());
    // Part ETags follow the object rule: plaintext MD5 for SSE-S3, opaque for SSE-C (S3-SSE.md 6).
    const etag = upload.encryption.mode === 'SSE-S3' ? integrity.md5()!.toString('hex') : randomBytes(16).toString('hex');
    const part = {
      partNumber,
      size: body.plainBytes,
      blobId: ingested.blobId,
      etag,
      checksum: checksum ? sealChecksumText(JSON.stringify(checksum), objectKey, upload.encryption, identity) : null,
      lastModified: ctx.receivedAt,
    };
    await services.commit(() => {
      // An upload completed or aborted while this part streamed takes the part with it.
      if (!services.meta.getUpload(upload.uploadId)) throw new S3Error('NoSuchUpload', undefined, { UploadId: upload.uploadId });
      return { result: undefined, garbage: services.meta.putPart(upload.uploadId, part, ingested) };
    }, ingested.syncDirs);
    return { etag, checksum, lastModified: ctx.receivedAt };
  } catch (err) {
    if (!ingested.inline) await services.blobs.deleteFiles([ingested.blobId]);
    throw err;
  }
}
