// Enforces bucket policies before an operation runs (S3-SSE.md R5.4: after authentication and bucket lookup, before any SSE check).
import type { LocalKms } from '../../keys/kms/index.js';
import {
  conditionValuesFor,
  evaluatePolicy,
  NO_CONDITION_VALUES,
  parseBucketPolicy,
  policyActionFor,
  renderDenied,
  SSE_KMS_KEY_ID_CONDITION_KEY,
  type BucketPolicy,
  type SseConditionValues,
} from '../policy/index.js';
import type { RequestContext } from '../requestContext.js';
import type { OperationName } from '../router.js';
import type { BucketRecord, ObjectTag } from '../storage/records.js';

/** Parsed policies by bucket and text: a policy is parsed once, not per request. */
const parsed = new Map<string, { text: string; policy: BucketPolicy }>();
const MAX_CACHED_POLICIES = 1000;

function policyOf(bucket: BucketRecord): BucketPolicy | undefined {
  if (bucket.policy === null) return undefined;
  const cached = parsed.get(bucket.name);
  if (cached?.text === bucket.policy) return cached.policy;
  const policy = parseBucketPolicy(bucket.policy, bucket.name);
  if (parsed.size >= MAX_CACHED_POLICIES) parsed.clear();
  parsed.set(bucket.name, { text: bucket.policy, policy });
  return policy;
}

/** 403 AccessDenied when the bucket's policy explicitly denies `action` on `key` for this caller. */
export function assertAllowedByPolicy(ctx: RequestContext, bucket: BucketRecord, action: string, key: string | undefined, values: SseConditionValues): void {
  const policy = policyOf(bucket);
  if (!policy) return;
  const decision = evaluatePolicy(policy, {
    action,
    bucket: bucket.name,
    key,
    principal: ctx.auth.accessKeyId,
    secureTransport: ctx.secure,
    conditionValues: values,
  });
  // 'none' falls back to the store's default: its own credentials may do everything.
  if (decision === 'deny') throw renderDenied();
}

/** Operations that judge each object themselves: DeleteObjects (per key). */
const JUDGED_BY_OPERATION: ReadonlySet<OperationName> = new Set(['DeleteObjects']);
const PART_OPERATIONS: ReadonlySet<OperationName> = new Set(['UploadPart', 'UploadPartCopy', 'CompleteMultipartUpload']);

/**
 * The key-id condition key names the key the write will use, as a key ARN (the form policies must
 * use for it): a request naming its key by id, alias or alias ARN is judged as that key's ARN, as
 * its parts and Complete are (they carry the upload's stored ARN). A name this KMS does not know
 * stays as sent; the write then fails on the key itself unless the policy refuses it first.
 */
function withKeyArn(values: SseConditionValues, kms: LocalKms): SseConditionValues {
  const named = values[SSE_KMS_KEY_ID_CONDITION_KEY];
  if (named === undefined) return values;
  try {
    return { ...values, [SSE_KMS_KEY_ID_CONDITION_KEY]: kms.describeKey({ keyId: named }).arn };
  } catch {
    return values;
  }
}

/**
 * The request's own check. Part and Complete requests are judged with the encryption their upload
 * was created with (S3-SSE.md 7.5): they cannot carry the headers a "deny unencrypted" policy tests.
 */
export function enforceBucketPolicy(operation: OperationName, ctx: RequestContext): void {
  const action = policyActionFor(operation);
  if (!ctx.bucket || !action || JUDGED_BY_OPERATION.has(operation)) return;
  const bucket = ctx.services.meta.getBucket(ctx.bucket);
  if (!bucket || bucket.policy === null) return;
  const upload = PART_OPERATIONS.has(operation) ? ctx.services.meta.getUpload(ctx.query.get('uploadId') ?? '') : undefined;
  const values = conditionValuesFor(operation, (name) => ctx.header(name), upload?.encryption);
  assertAllowedByPolicy(ctx, bucket, action, ctx.key, upload ? values : withKeyArn(values, ctx.services.kms));
}

/** A copy reads its source: s3:GetObject under the source bucket's policy. */
export function assertSourceReadable(ctx: RequestContext, sourceBucket: BucketRecord, sourceKey: string): void {
  assertAllowedByPolicy(ctx, sourceBucket, 's3:GetObject', sourceKey, {});
}

/**
 * A write that gives the new object tags also needs s3:PutObjectTagging on it (the "Permissions"
 * of PutObject, CopyObject and CreateMultipartUpload); a write without tags needs nothing more.
 */
export function assertTagsWritable(ctx: RequestContext, bucket: BucketRecord, key: string, tags: readonly ObjectTag[]): void {
  if (tags.length > 0) assertAllowedByPolicy(ctx, bucket, 's3:PutObjectTagging', key, NO_CONDITION_VALUES);
}

/** A copy that carries its source's tags over reads them: s3:GetObjectTagging under the source bucket's policy. */
export function assertSourceTagsReadable(ctx: RequestContext, sourceBucket: BucketRecord, sourceKey: string, tags: readonly ObjectTag[]): void {
  if (tags.length > 0) assertAllowedByPolicy(ctx, sourceBucket, 's3:GetObjectTagging', sourceKey, NO_CONDITION_VALUES);
}
