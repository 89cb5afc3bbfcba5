// The normalised shape of a bucket policy and of the request it is evaluated against.
import type { Pattern } from './patterns.js';

export type PolicyVersion = '2012-10-17' | '2008-10-17';
export type PolicyEffect = 'Allow' | 'Deny';

/** The condition keys this store evaluates, written as IAM documents them (matching ignores case). */
export const SSE_CONDITION_KEY = 's3:x-amz-server-side-encryption';
export const SSE_KMS_KEY_ID_CONDITION_KEY = 's3:x-amz-server-side-encryption-aws-kms-key-id';
export const SSE_C_ALGORITHM_CONDITION_KEY = 's3:x-amz-server-side-encryption-customer-algorithm';
export const SECURE_TRANSPORT_CONDITION_KEY = 'aws:SecureTransport';

export const SSE_CONDITION_KEYS = [SSE_CONDITION_KEY, SSE_KMS_KEY_ID_CONDITION_KEY, SSE_C_ALGORITHM_CONDITION_KEY] as const;
export const CONDITION_KEYS = [...SSE_CONDITION_KEYS, SECURE_TRANSPORT_CONDITION_KEY] as const;
export type ConditionKey = (typeof CONDITION_KEYS)[number];

export const CONDITION_OPERATORS = ['Null', 'StringEquals', 'StringNotEquals', 'StringLike', 'StringNotLike', 'Bool'] as const;
export type ConditionOperator = (typeof CONDITION_OPERATORS)[number];

/** One operator applied to one key: true when any value matches (for the Not operators: when none does). */
export interface PolicyCondition {
  readonly operator: ConditionOperator;
  /** `...IfExists`: the condition holds when the request lacks the key. */
  readonly ifExists: boolean;
  readonly key: ConditionKey;
  /** The values as text (Null and Bool: lower case; StringEquals: IAM escapes resolved). */
  readonly values: readonly string[];
  /** The same values as StringLike patterns. */
  readonly patterns: readonly Pattern[];
}

/** Who a statement is about. Store callers are identified by access key id. */
export interface PolicyPrincipal {
  readonly everyone: boolean;
  /** Access key ids, named directly or as the name of an `arn:aws:iam::<account>:user/<name>` ARN. */
  readonly accessKeyIds: readonly string[];
  /** An `arn:aws:iam::<account>:root` principal: every credential of the store (it is one account). */
  readonly account: boolean;
}

export interface PolicyStatement {
  readonly sid: string | undefined;
  readonly effect: PolicyEffect;
  readonly principal: PolicyPrincipal;
  /** Lower case: action names are not case-sensitive in IAM. */
  readonly actions: readonly Pattern[];
  readonly resources: readonly Pattern[];
  /** All must hold (AND). */
  readonly conditions: readonly PolicyCondition[];
}

export interface BucketPolicy {
  readonly version: PolicyVersion;
  readonly id: string | undefined;
  readonly bucket: string;
  readonly statements: readonly PolicyStatement[];
}

export interface PolicyRequest {
  /** The IAM action, e.g. `s3:PutObject` (see policyActionFor). */
  action: string;
  bucket: string;
  /** undefined for bucket-level requests. */
  key: string | undefined;
  /** The access key id that signed the request. */
  principal: string;
  /** Whether the request came over TLS (aws:SecureTransport). */
  secureTransport: boolean;
  /** The SSE condition keys as the request carries them (see conditionValuesFor); undefined = absent. */
  conditionValues: Record<string, string | undefined>;
}

export type PolicyDecision = 'deny' | 'allow' | 'none';
