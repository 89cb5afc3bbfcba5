// Test support for bucket policies: documents built from statements, a second store credential, the refusal, the access history.
import { PutBucketPolicyCommand, type S3Client } from '@aws-sdk/client-s3';
import { AuditLog } from '../../main/core/audit/auditLog.js';
import { iterateAuditEvents, type AuditFilter, type AuditRecord } from '../../main/core/audit/auditQuery.js';
import type { ExpectedError } from './s3Expect.js';
import { TEST_CREDENTIALS, type StoreFixture } from './storeFixture.js';

/** A second access key pair for fixtures started with `credentials: BOTH_CREDENTIALS`. */
export const SECOND_CREDENTIALS = { accessKeyId: 'COFFERTESTKEY0000002', secretAccessKey: 'coffer-second-secret-key-fedcba9876543210' };
export const BOTH_CREDENTIALS = [TEST_CREDENTIALS, SECOND_CREDENTIALS] as const;

/** A request an explicit Deny refused (S3-SSE.md E24). */
export const ACCESS_DENIED: ExpectedError = { code: 'AccessDenied', status: 403, message: 'Access Denied' };

export const SSE_KEY = 's3:x-amz-server-side-encryption';
export const SSE_KMS_KEY_ID_KEY = 's3:x-amz-server-side-encryption-aws-kms-key-id';
export const SSE_C_ALGORITHM_KEY = 's3:x-amz-server-side-encryption-customer-algorithm';

export type Condition = Record<string, Record<string, string | readonly string[]>>;

export interface Statement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Principal: '*' | { AWS: string | readonly string[] };
  Action: string | readonly string[];
  Resource: string | readonly string[];
  Condition?: Condition;
}

/** A 2012-10-17 policy document of these statements, as JSON text. */
export function policyDocument(...statements: Statement[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

export function objectsOf(bucket: string, prefix = ''): string {
  return `arn:aws:s3:::${bucket}/${prefix}*`;
}

/** Deny s3:PutObject on every object of the bucket when `condition` holds. */
export function denyPut(bucket: string, condition: Condition, sid = 'DenyPut'): Statement {
  return { Sid: sid, Effect: 'Deny', Principal: '*', Action: 's3:PutObject', Resource: objectsOf(bucket), Condition: condition };
}

/** The AWS-recommended "deny unencrypted uploads": no x-amz-server-side-encryption header, no PUT. */
export function denyUnencrypted(bucket: string): Statement {
  return denyPut(bucket, { Null: { [SSE_KEY]: 'true' } }, 'DenyUnencryptedUploads');
}

export async function putPolicy(s3: S3Client, bucket: string, ...statements: Statement[]): Promise<string> {
  const text = policyDocument(...statements);
  await s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: text }));
  return text;
}

/** The fixture's access history; it keeps one unless started with `auditLog: false`. */
export function auditLogOf(f: StoreFixture): AuditLog {
  const audit = f.store.services.audit;
  if (!(audit instanceof AuditLog)) throw new Error('this store runs without an access history');
  return audit;
}

/** Every event matching `filter`, oldest first, after committing what is queued. */
export async function auditEvents(f: StoreFixture, filter: AuditFilter): Promise<AuditRecord[]> {
  const log = auditLogOf(f);
  await log.flush();
  return [...iterateAuditEvents(log.db, filter)];
}
