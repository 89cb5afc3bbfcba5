// IAM action names: which ones the store's operations are authorised as, and which resource each applies to.
//
// The mapping follows each operation's "Permissions" section in the S3 API Reference and the
// Service Authorization Reference for Amazon S3
// (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html).
import type { OperationName } from '../router.js';
import { compilePattern, matchPattern, type Pattern } from './patterns.js';

export type ResourceKind = 'bucket' | 'object';

/**
 * The actions whose resource type this module knows, by the resource they apply to. PutBucketPolicy
 * refuses a statement whose actions reach none of its resources ("Action does not apply to any
 * resource(s) in statement"); without that, `Deny s3:PutObject` on `arn:aws:s3:::b` would be
 * stored and never deny anything. Names missing here are accepted and never rejected on this ground.
 */
const OBJECT_ACTIONS = [
  'PutObject', 'GetObject', 'DeleteObject', 'AbortMultipartUpload', 'ListMultipartUploadParts',
  'GetObjectAttributes', 'GetObjectTagging', 'PutObjectTagging', 'DeleteObjectTagging',
  'GetObjectAcl', 'PutObjectAcl', 'GetObjectVersion', 'DeleteObjectVersion', 'GetObjectVersionAttributes',
  'GetObjectVersionTagging', 'RestoreObject', 'GetObjectRetention', 'PutObjectRetention',
  'GetObjectLegalHold', 'PutObjectLegalHold', 'BypassGovernanceRetention',
];
const BUCKET_ACTIONS = [
  'ListBucket', 'ListBucketVersions', 'ListBucketMultipartUploads', 'CreateBucket', 'DeleteBucket',
  'GetBucketLocation', 'GetBucketVersioning', 'PutBucketVersioning', 'GetEncryptionConfiguration',
  'PutEncryptionConfiguration', 'GetBucketPolicy', 'PutBucketPolicy', 'DeleteBucketPolicy',
  'GetBucketPolicyStatus', 'GetBucketAcl', 'PutBucketAcl', 'GetBucketTagging', 'PutBucketTagging',
  'GetBucketCORS', 'PutBucketCORS', 'GetLifecycleConfiguration', 'PutLifecycleConfiguration',
  'GetBucketPublicAccessBlock', 'PutBucketPublicAccessBlock', 'GetBucketOwnershipControls',
  'PutBucketOwnershipControls', 'GetBucketObjectLockConfiguration', 'PutBucketObjectLockConfiguration',
  'GetBucketLogging', 'PutBucketLogging', 'GetBucketNotification', 'PutBucketNotification',
];

const CATALOGUE: ReadonlyArray<{ name: string; kind: ResourceKind }> = [
  ...OBJECT_ACTIONS.map((name) => ({ name: `s3:${name.toLowerCase()}`, kind: 'object' as const })),
  ...BUCKET_ACTIONS.map((name) => ({ name: `s3:${name.toLowerCase()}`, kind: 'bucket' as const })),
];

/** The only action that carries the SSE condition keys (S3-SSE.md 7.5). */
export const PUT_OBJECT = 's3:PutObject';

/** `*`, or `s3:` and a name of letters, digits and wildcards (IAM compares action names ignoring case). */
export function parseActionPattern(text: string): Pattern | undefined {
  const lower = text.toLowerCase();
  if (lower !== '*' && !/^s3:[a-z0-9*?]+$/.test(lower)) return undefined;
  return compilePattern(lower, false);
}

export function actionMatches(pattern: Pattern, action: string): boolean {
  return matchPattern(pattern, action.toLowerCase());
}

/** The resource kinds of the catalogued actions a pattern names; empty for names the catalogue lacks. */
export function kindsNamedBy(pattern: Pattern): Set<ResourceKind> {
  return new Set(CATALOGUE.filter((a) => matchPattern(pattern, a.name)).map((a) => a.kind));
}

/**
 * The IAM action each store operation is authorised as. Every multipart step is `s3:PutObject`
 * (CreateMultipartUpload, UploadPart, UploadPartCopy and CompleteMultipartUpload: S3-SSE.md 7.5),
 * as is the destination of CopyObject and UploadPartCopy; their source is read as `s3:GetObject`,
 * checked against the source bucket's policy. HeadObject and GetObjectAttributes are reads of the
 * object (`s3:GetObject`; GetObjectAttributes also names s3:GetObjectAttributes on AWS, which
 * this store does not check separately). DeleteObjects is `s3:DeleteObject` for each key it names.
 */
const ACTIONS: Record<OperationName, string | undefined> = {
  // No bucket, so no bucket policy applies (s3:ListAllMyBuckets is an account-level action).
  ListBuckets: undefined,
  CreateBucket: 's3:CreateBucket',
  HeadBucket: 's3:ListBucket',
  DeleteBucket: 's3:DeleteBucket',
  GetBucketLocation: 's3:GetBucketLocation',
  GetBucketVersioning: 's3:GetBucketVersioning',
  ListObjects: 's3:ListBucket',
  ListObjectsV2: 's3:ListBucket',
  ListObjectVersions: 's3:ListBucketVersions',
  ListMultipartUploads: 's3:ListBucketMultipartUploads',
  PutBucketEncryption: 's3:PutEncryptionConfiguration',
  GetBucketEncryption: 's3:GetEncryptionConfiguration',
  // "To use this operation, you must have permissions to perform the s3:PutEncryptionConfiguration action."
  DeleteBucketEncryption: 's3:PutEncryptionConfiguration',
  // The bucket owner manages the policy itself without being judged by it, so a policy can never
  // lock the store's own credentials out of repairing it.
  PutBucketPolicy: undefined,
  GetBucketPolicy: undefined,
  DeleteBucketPolicy: undefined,
  DeleteObjects: 's3:DeleteObject',
  PutObject: PUT_OBJECT,
  CopyObject: PUT_OBJECT,
  GetObject: 's3:GetObject',
  HeadObject: 's3:GetObject',
  DeleteObject: 's3:DeleteObject',
  GetObjectAttributes: 's3:GetObject',
  GetObjectTagging: 's3:GetObjectTagging',
  PutObjectTagging: 's3:PutObjectTagging',
  DeleteObjectTagging: 's3:DeleteObjectTagging',
  CreateMultipartUpload: PUT_OBJECT,
  UploadPart: PUT_OBJECT,
  UploadPartCopy: PUT_OBJECT,
  CompleteMultipartUpload: PUT_OBJECT,
  AbortMultipartUpload: 's3:AbortMultipartUpload',
  ListParts: 's3:ListMultipartUploadParts',
};

/** The IAM action for a store operation name (router.ts OperationName); undefined when no bucket policy applies. */
export function policyActionFor(operation: string): string | undefined {
  return Object.hasOwn(ACTIONS, operation) ? ACTIONS[operation as OperationName] : undefined;
}
