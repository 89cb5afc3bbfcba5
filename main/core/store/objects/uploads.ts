// Finding a multipart upload and checking a part request's encryption against it (S3-SSE.md 4.3 steps 8-9).
import { S3Error } from '../errors.js';
import type { RequestContext } from '../requestContext.js';
import { parseCustomerKey, type CustomerKey } from '../sse/customerKeyHeaders.js';
import { MSG_NOT_SUPPORTED_HERE } from '../sse/requestEncryption.js';
import { SSE, SSE_BUCKET_KEY, SSE_CONTEXT, SSE_KMS_KEY_ID, TARGET_KEY_HEADERS } from '../sse/sseHeaders.js';
import type { UploadRecord } from '../storage/records.js';
import { customerKeyFits, unsealObjectKey } from './sealing.js';

const MSG_PART_ENCRYPTION = 'The multipart upload initiate requested encryption. Subsequent part requests must include the appropriate encryption parameters.';
const MSG_PART_KEY_DIFFERS = 'The provided encryption parameters did not match the ones used originally.';

/** The upload named by ?uploadId for this bucket and key, or 404 NoSuchUpload. */
export function requireUpload(ctx: RequestContext, bucket: string, key: string): UploadRecord {
  const uploadId = ctx.query.get('uploadId') ?? '';
  const upload = ctx.services.meta.getUpload(uploadId);
  if (!upload || upload.bucket !== bucket || upload.key !== key) throw new S3Error('NoSuchUpload', undefined, { UploadId: uploadId });
  return upload;
}

/**
 * Parts inherit the upload's encryption. SSE/KMS headers on a part are accepted only when they
 * agree with the upload (no AWS SDK sends them; some test suites do), and refused otherwise.
 */
function assertPartSseHeaders(ctx: RequestContext, upload: UploadRecord): void {
  const sse = ctx.header(SSE);
  const stored = upload.encryption;
  const agrees =
    sse === undefined || (sse === 'AES256' && stored.mode === 'SSE-S3') || (stored.mode === 'SSE-KMS' && sse === stored.algorithm);
  const kmsExtras = [SSE_KMS_KEY_ID, SSE_CONTEXT, SSE_BUCKET_KEY].some((n) => ctx.header(n) !== undefined);
  if (!agrees || (kmsExtras && stored.mode !== 'SSE-KMS')) throw new S3Error('InvalidArgument', MSG_NOT_SUPPORTED_HERE, { ArgumentName: SSE, ArgumentValue: sse });
}

/**
 * The upload's object key, given a part request's SSE-C trio. `required: false` (Complete,
 * ListParts) accepts an absent trio but still checks one that is present.
 */
export function unlockUpload(ctx: RequestContext, upload: UploadRecord, required = true): { objectKey: Buffer | undefined; customer: CustomerKey | undefined } {
  assertPartSseHeaders(ctx, upload);
  const customer = parseCustomerKey(ctx, TARGET_KEY_HEADERS, 'write');
  const identity = { bucket: upload.bucket, key: upload.key, uploadId: upload.uploadId };
  if (upload.encryption.mode === 'SSE-C') {
    if (!customer) {
      if (required) throw new S3Error('InvalidRequest', MSG_PART_ENCRYPTION);
      return { objectKey: undefined, customer };
    }
    if (!customerKeyFits(upload.encryption, customer, identity)) throw new S3Error('InvalidRequest', MSG_PART_KEY_DIFFERS);
  } else if (customer) {
    throw new S3Error('InvalidRequest', MSG_PART_ENCRYPTION);
  }
  return { objectKey: unsealObjectKey(upload.encryption, identity, ctx.keys, customer), customer };
}

/** 5 MiB: the smallest part S3 accepts for any part but the last. */
export const MIN_PART_BYTES = 5 * 1024 * 1024;
/** S3's largest part: 5 GiB. */
export const MAX_PART_BYTES = 5 * 1024 ** 3;

export function parseUploadPartNumber(ctx: RequestContext): number {
  const text = ctx.query.get('partNumber') ?? '';
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(n >= 1 && n <= 10000)) {
    throw new S3Error('InvalidArgument', 'Part number must be an integer between 1 and 10000, inclusive', { ArgumentName: 'partNumber', ArgumentValue: text });
  }
  return n;
}
