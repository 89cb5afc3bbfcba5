// Builders for policy documents and requests, so each test states only what it is about.
import { parseBucketPolicy, type BucketPolicy, type PolicyRequest } from '../../../../main/core/store/policy/index.js';

export const BUCKET = 'vault';
export const OWNER_KEY = 'COFFEROWNERKEY01';
export const OTHER_KEY = 'COFFEROTHERKEY02';
export const KMS_KEY_ARN = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

export type StatementJson = Record<string, unknown>;

/** A statement that applies to every object write unless the test overrides a field. */
export function statement(fields: StatementJson = {}): StatementJson {
  return { Effect: 'Deny', Principal: '*', Action: 's3:PutObject', Resource: `arn:aws:s3:::${BUCKET}/*`, ...fields };
}

export function documentText(statements: StatementJson | StatementJson[], extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ Version: '2012-10-17', ...extra, Statement: statements });
}

export function policyOf(...statements: StatementJson[]): BucketPolicy {
  return parseBucketPolicy(documentText(statements), BUCKET);
}

/** An s3:PutObject of `key` by the owner over TLS with no SSE headers, unless overridden. */
export function request(fields: Partial<PolicyRequest> = {}): PolicyRequest {
  return {
    action: 's3:PutObject',
    bucket: BUCKET,
    key: 'docs/report.pdf',
    principal: OWNER_KEY,
    secureTransport: true,
    conditionValues: {},
    ...fields,
  };
}

/** conditionValues as a write sends them: only the headers given. */
export function sent(headers: { sse?: string; kmsKeyId?: string; customerAlgorithm?: string }): Record<string, string | undefined> {
  return {
    's3:x-amz-server-side-encryption': headers.sse,
    's3:x-amz-server-side-encryption-aws-kms-key-id': headers.kmsKeyId,
    's3:x-amz-server-side-encryption-customer-algorithm': headers.customerAlgorithm,
  };
}
