// The bucket policies AWS documents for enforcing encryption, against the requests they are meant to stop.
import { describe, expect, it } from 'vitest';
import { evaluatePolicy, type BucketPolicy, type PolicyDecision, type PolicyRequest } from '../../../../main/core/store/policy/index.js';
import { KMS_KEY_ARN, OTHER_KEY, OWNER_KEY, policyOf, request, sent, statement } from './policyFixtures.js';

type Case = [name: string, request: PolicyRequest, expected: PolicyDecision];

function check(policy: BucketPolicy, cases: Case[]): void {
  for (const [name, req, expected] of cases) expect(evaluatePolicy(policy, req), name).toBe(expected);
}

describe('encryption-enforcing bucket policies', () => {
  it('deny PutObject when s3:x-amz-server-side-encryption is Null', () => {
    const policy = policyOf(statement({ Condition: { Null: { 's3:x-amz-server-side-encryption': 'true' } } }));
    check(policy, [
      ['no SSE header (the bucket default does not count)', request(), 'deny'],
      ['AES256', request({ conditionValues: sent({ sse: 'AES256' }) }), 'none'],
      ['aws:kms', request({ conditionValues: sent({ sse: 'aws:kms' }) }), 'none'],
      ['SSE-C sends no x-amz-server-side-encryption', request({ conditionValues: sent({ customerAlgorithm: 'AES256' }) }), 'deny'],
      ['an empty header is present, so not Null', request({ conditionValues: sent({ sse: '' }) }), 'none'],
      ['GetObject is another action', request({ action: 's3:GetObject' }), 'none'],
    ]);
  });

  it('deny PutObject when s3:x-amz-server-side-encryption StringNotEquals AES256', () => {
    const policy = policyOf(statement({ Condition: { StringNotEquals: { 's3:x-amz-server-side-encryption': 'AES256' } } }));
    check(policy, [
      ['aws:kms', request({ conditionValues: sent({ sse: 'aws:kms' }) }), 'deny'],
      ['AES256', request({ conditionValues: sent({ sse: 'AES256' }) }), 'none'],
      ['no header: a missing value is not equal', request(), 'deny'],
      ['aes256 (comparison is case-sensitive)', request({ conditionValues: sent({ sse: 'aes256' }) }), 'deny'],
    ]);
  });

  it('deny PutObject unless aws:kms with one key ARN', () => {
    const policy = policyOf(
      statement({ Sid: 'RequireKms', Condition: { StringNotEquals: { 's3:x-amz-server-side-encryption': 'aws:kms' } } }),
      statement({ Sid: 'RequireKey', Condition: { StringNotEquals: { 's3:x-amz-server-side-encryption-aws-kms-key-id': KMS_KEY_ARN } } }),
    );
    check(policy, [
      ['aws:kms with the key', request({ conditionValues: sent({ sse: 'aws:kms', kmsKeyId: KMS_KEY_ARN }) }), 'none'],
      ['aws:kms with another key', request({ conditionValues: sent({ sse: 'aws:kms', kmsKeyId: `${KMS_KEY_ARN}0` }) }), 'deny'],
      ['aws:kms naming no key (S3 would use aws/s3)', request({ conditionValues: sent({ sse: 'aws:kms' }) }), 'deny'],
      ['AES256', request({ conditionValues: sent({ sse: 'AES256' }) }), 'deny'],
      ['aws:kms:dsse with the key', request({ conditionValues: sent({ sse: 'aws:kms:dsse', kmsKeyId: KMS_KEY_ARN }) }), 'deny'],
    ]);
  });

  it('deny SSE-C uploads: Null customer-algorithm false', () => {
    const policy = policyOf(statement({ Condition: { Null: { 's3:x-amz-server-side-encryption-customer-algorithm': 'false' } } }));
    check(policy, [
      ['SSE-C', request({ conditionValues: sent({ customerAlgorithm: 'AES256' }) }), 'deny'],
      ['SSE-S3', request({ conditionValues: sent({ sse: 'AES256' }) }), 'none'],
      ['no headers', request(), 'none'],
    ]);
  });

  it('require SSE-C uploads: Null customer-algorithm true is denied', () => {
    const policy = policyOf(statement({ Condition: { Null: { 's3:x-amz-server-side-encryption-customer-algorithm': 'true' } } }));
    check(policy, [
      ['no headers', request(), 'deny'],
      ['SSE-S3', request({ conditionValues: sent({ sse: 'AES256' }) }), 'deny'],
      ['SSE-C', request({ conditionValues: sent({ customerAlgorithm: 'AES256' }) }), 'none'],
    ]);
  });

  it('deny SSE-C algorithms other than AES256 (StringNotEquals, as s3-tests does)', () => {
    const policy = policyOf(statement({ Condition: { StringNotEquals: { 's3:x-amz-server-side-encryption-customer-algorithm': 'AES256' } } }));
    check(policy, [
      ['AES256', request({ conditionValues: sent({ customerAlgorithm: 'AES256' }) }), 'none'],
      ['AES512', request({ conditionValues: sent({ customerAlgorithm: 'AES512' }) }), 'deny'],
      ['no SSE-C at all', request(), 'deny'],
    ]);
  });

  it('deny insecure transport: Bool aws:SecureTransport false, for every action', () => {
    const policy = policyOf(
      statement({ Action: 's3:*', Resource: ['arn:aws:s3:::vault', 'arn:aws:s3:::vault/*'], Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
    check(policy, [
      ['PutObject over HTTP', request({ secureTransport: false }), 'deny'],
      ['GetObject over HTTP', request({ action: 's3:GetObject', secureTransport: false }), 'deny'],
      ['ListBucket over HTTP', request({ action: 's3:ListBucket', key: undefined, secureTransport: false }), 'deny'],
      ['PutObject over TLS', request(), 'none'],
      ['a caller-supplied aws:SecureTransport is ignored', request({ secureTransport: false, conditionValues: { 'aws:SecureTransport': 'true' } }), 'deny'],
    ]);
  });

  it('allow one access key only', () => {
    const policy = policyOf({ Effect: 'Allow', Principal: { AWS: OTHER_KEY }, Action: ['s3:GetObject', 's3:PutObject'], Resource: 'arn:aws:s3:::vault/*' });
    check(policy, [
      ['that key reads', request({ action: 's3:GetObject', principal: OTHER_KEY }), 'allow'],
      ['that key writes', request({ principal: OTHER_KEY }), 'allow'],
      ['another key: the policy says nothing', request({ principal: OWNER_KEY }), 'none'],
      ['key ids are case-sensitive', request({ principal: OTHER_KEY.toLowerCase() }), 'none'],
      ['that key deletes: not granted', request({ action: 's3:DeleteObject', principal: OTHER_KEY }), 'none'],
    ]);
  });

  it('a Null Deny on s3:* also denies reads, which never carry the SSE keys (as on AWS)', () => {
    const policy = policyOf(statement({ Action: 's3:*', Condition: { Null: { 's3:x-amz-server-side-encryption': 'true' } } }));
    check(policy, [
      ['GetObject', request({ action: 's3:GetObject' }), 'deny'],
      ['PutObject with AES256', request({ conditionValues: sent({ sse: 'AES256' }) }), 'none'],
    ]);
  });
});
