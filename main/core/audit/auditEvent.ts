// The access history's event: one S3 request, one KMS use, or one key administration. Never a secret.

/** s3: a request to the store; kms: a KMS use; admin: key and vault administration; sync: what a device's sync engine did to a file. */
export type AuditCategory = 's3' | 'kms' | 'admin' | 'sync';

export type AuditOutcome = 'success' | 'failure' | 'denied';

export type SseModeName = 'SSE-S3' | 'SSE-KMS' | 'SSE-C' | 'none';

/**
 * What every part of Coffer records. Fields that do not apply stay undefined. Keys appear only
 * as ids, ARNs, versions and material ids; SSE-C keys, data keys, key material, passphrases and
 * secret access keys never do (the log is searched for them in tests).
 */
export interface AuditEvent {
  time: Date;
  category: AuditCategory;
  /** The S3 operation (PutObject), the KMS eventName (GenerateDataKey, Decrypt, CreateKey…), or the admin action (RotateStoreMasterKey…). */
  operation: string;
  outcome: AuditOutcome;
  requestId?: string;
  /** The access key id of the caller, or a local actor such as `coffer-cli` or `scheduler`. */
  principal?: string;
  sourceIp?: string;
  userAgent?: string;
  bucket?: string;
  objectKey?: string;
  sseMode?: SseModeName;
  /** A KMS key ARN, or `store-master-key` for SSE-S3. */
  keyId?: string;
  /** The store master key version or the KMS key material id. */
  keyVersion?: string;
  bytes?: number;
  httpStatus?: number;
  errorCode?: string;
  errorMessage?: string;
  /** Extra structured fields, e.g. a CloudTrail-shaped KMS record (requestParameters, additionalEventData). */
  details?: Record<string, unknown>;
}

/** Where events go: recording never blocks the caller and never throws (the log batches its writes). */
export interface AuditSink {
  record(event: AuditEvent): void;
}

/** A sink that drops everything: for callers that run without an access history (some tests, tools). */
export const NO_AUDIT: AuditSink = { record: () => undefined };
