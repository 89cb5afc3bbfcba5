// Classifies what encryption a write asks for, exactly as S3 does (S3-SSE.md R5.2, 2.2, 3.1, 4.3).
import { S3Error } from '../errors.js';
import type { RequestContext } from '../requestContext.js';
import type { OperationName } from '../router.js';
import { parseCustomerKey, type CustomerKey } from './customerKeyHeaders.js';
import { SSE, SSE_BUCKET_KEY, SSE_CONTEXT, SSE_KMS_KEY_ID, TARGET_KEY_HEADERS, SSE_C_ALGORITHM, SSE_C_KEY, SSE_C_KEY_MD5, type SseAlgorithm } from './sseHeaders.js';
import type { BucketDefaultEncryption } from './bucketEncryption.js';
import { parseClientContext, type ClientContext } from './kmsContext.js';

export type RequestedEncryption =
  | { kind: 'bucket-default' }
  | { kind: 'SSE-S3' }
  | { kind: 'SSE-KMS'; algorithm: 'aws:kms' | 'aws:kms:dsse'; keyId: string | undefined; context: ClientContext | undefined; bucketKey: boolean | undefined }
  | { kind: 'SSE-C'; customer: CustomerKey };

/** What the object will actually be encrypted with once the bucket default is applied. */
export type EffectiveEncryption =
  | { kind: 'SSE-S3' }
  | {
      kind: 'SSE-KMS';
      algorithm: 'aws:kms' | 'aws:kms:dsse';
      keyId: string | undefined;
      /** True when the key id came from the bucket's default rule rather than the request. */
      keyFromBucketDefault: boolean;
      context: ClientContext | undefined;
      bucketKey: boolean;
    }
  | { kind: 'SSE-C'; customer: CustomerKey };

const MSG_UNSUPPORTED = 'The encryption method specified is not supported';
const MSG_KMS_ONLY = 'Server Side Encryption with AWS KMS managed key requires HTTP header x-amz-server-side-encryption : aws:kms';
const MSG_C_CONFLICT = 'Server Side Encryption with Customer provided key is incompatible with the encryption method specified';
export const MSG_NOT_SUPPORTED_HERE = 'x-amz-server-side-encryption header is not supported for this operation.';
const MSG_DSSE = 'Dual-layer server-side encryption (aws:kms:dsse) is not implemented by this store';

function parseSseValue(value: string): SseAlgorithm {
  if (value === 'AES256' || value === 'aws:kms' || value === 'aws:kms:dsse') return value;
  throw new S3Error('InvalidArgument', MSG_UNSUPPORTED, { ArgumentName: SSE, ArgumentValue: value });
}

function parseBucketKey(value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  const lower = value.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  throw new S3Error('InvalidArgument', `Invalid value for ${SSE_BUCKET_KEY}`, { ArgumentName: SSE_BUCKET_KEY, ArgumentValue: value });
}

/** Classification of a write request's encryption headers (PutObject, CopyObject target, CreateMultipartUpload). */
export function parseRequestedEncryption(ctx: RequestContext): RequestedEncryption {
  const sse = ctx.header(SSE);
  const hasCustomer = [SSE_C_ALGORITHM, SSE_C_KEY, SSE_C_KEY_MD5].some((n) => ctx.header(n) !== undefined);
  if (hasCustomer) {
    if (sse !== undefined) throw new S3Error('InvalidArgument', MSG_C_CONFLICT, { ArgumentName: SSE, ArgumentValue: sse });
    return { kind: 'SSE-C', customer: parseCustomerKey(ctx, TARGET_KEY_HEADERS, 'write')! };
  }
  const keyId = ctx.header(SSE_KMS_KEY_ID);
  const rawContext = ctx.header(SSE_CONTEXT);
  const bucketKey = parseBucketKey(ctx.header(SSE_BUCKET_KEY));
  const kmsExtras = keyId !== undefined || rawContext !== undefined || bucketKey !== undefined;
  if (sse === undefined) {
    if (kmsExtras) throw new S3Error('InvalidArgument', MSG_KMS_ONLY, { ArgumentName: SSE_KMS_KEY_ID });
    return { kind: 'bucket-default' };
  }
  const algorithm = parseSseValue(sse);
  if (algorithm === 'AES256') {
    if (kmsExtras) throw new S3Error('InvalidArgument', MSG_KMS_ONLY, { ArgumentName: SSE_KMS_KEY_ID });
    return { kind: 'SSE-S3' };
  }
  const context = rawContext === undefined ? undefined : parseClientContext(rawContext, (message) => new S3Error('InvalidArgument', message, { ArgumentName: SSE_CONTEXT }));
  return { kind: 'SSE-KMS', algorithm, keyId, context, bucketKey };
}

/** Request headers win; otherwise the bucket's default rule, which is SSE-S3 unless configured. */
export function applyBucketDefault(requested: RequestedEncryption, bucketDefault: BucketDefaultEncryption): EffectiveEncryption {
  let effective: EffectiveEncryption;
  if (requested.kind === 'bucket-default') {
    effective =
      bucketDefault.algorithm === 'AES256'
        ? { kind: 'SSE-S3' }
        : {
            kind: 'SSE-KMS',
            algorithm: bucketDefault.algorithm,
            keyId: bucketDefault.kmsMasterKeyId,
            keyFromBucketDefault: true,
            context: undefined,
            bucketKey: bucketDefault.bucketKeyEnabled,
          };
  } else if (requested.kind === 'SSE-KMS') {
    // A request-level aws:kms without a bucket-key header inherits the bucket's BucketKeyEnabled (S3-SSE.md 7.3).
    effective = { ...requested, keyFromBucketDefault: false, bucketKey: requested.bucketKey ?? bucketDefault.bucketKeyEnabled };
  } else {
    effective = requested;
  }
  if (effective.kind === 'SSE-KMS' && effective.algorithm === 'aws:kms:dsse') throw new S3Error('NotImplemented', MSG_DSSE);
  return effective;
}

/** S3-SSE.md R5.3: reads never choose the encryption, so SSE-S3/KMS headers on GET/HEAD are a 400. */
export function assertNoWriteEncryptionHeaders(ctx: RequestContext): void {
  for (const name of [SSE, SSE_KMS_KEY_ID, SSE_CONTEXT, SSE_BUCKET_KEY]) {
    if (ctx.header(name) !== undefined) throw new S3Error('InvalidArgument', MSG_NOT_SUPPORTED_HERE, { ArgumentName: name, ArgumentValue: ctx.header(name) });
  }
}

/** Operations that decide or check an object's encryption themselves (writes, reads, parts). */
const OPERATIONS_WITH_SSE_RULES: ReadonlySet<OperationName> = new Set([
  'PutObject', 'CopyObject', 'CreateMultipartUpload', 'UploadPart', 'UploadPartCopy', 'CompleteMultipartUpload', 'GetObject', 'HeadObject',
]);

/** S3-SSE.md E2: bucket, listing and the other object operations take no SSE header; sending one is a 400, as on AWS. */
export function assertSseHeadersAllowed(operation: OperationName, ctx: RequestContext): void {
  if (!OPERATIONS_WITH_SSE_RULES.has(operation)) assertNoWriteEncryptionHeaders(ctx);
}
