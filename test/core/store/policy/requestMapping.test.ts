// From store operations to policy requests: IAM actions, SSE condition values (multipart included), and the 403.
import { describe, expect, it } from 'vitest';
import type { StoredEncryption } from '../../../../main/core/store/sse/storedEncryption.js';
import {
  conditionValuesFor,
  evaluatePolicy,
  policyActionFor,
  renderDenied,
  requestConditionValues,
  uploadConditionValues,
} from '../../../../main/core/store/policy/index.js';
import { policyOf, request, statement } from './policyFixtures.js';

const SSE_S3: StoredEncryption = { mode: 'SSE-S3', masterKeyVersion: 1, sealedKey: 'x' };
const SSE_C: StoredEncryption = { mode: 'SSE-C', salt: 's', verifier: 'v', sealedKey: 'x' };

function headers(values: Record<string, string>): (name: string) => string | undefined {
  return (name) => values[name];
}

describe('policyActionFor', () => {
  it.each([
    ['PutObject', 's3:PutObject'],
    ['CopyObject', 's3:PutObject'],
    ['CreateMultipartUpload', 's3:PutObject'],
    ['UploadPart', 's3:PutObject'],
    ['UploadPartCopy', 's3:PutObject'],
    ['CompleteMultipartUpload', 's3:PutObject'],
    ['GetObject', 's3:GetObject'],
    ['HeadObject', 's3:GetObject'],
    ['GetObjectAttributes', 's3:GetObject'],
    ['GetObjectTagging', 's3:GetObjectTagging'],
    ['DeleteObject', 's3:DeleteObject'],
    ['DeleteObjects', 's3:DeleteObject'],
    ['AbortMultipartUpload', 's3:AbortMultipartUpload'],
    ['ListParts', 's3:ListMultipartUploadParts'],
    ['ListObjects', 's3:ListBucket'],
    ['ListObjectsV2', 's3:ListBucket'],
    ['ListObjectVersions', 's3:ListBucketVersions'],
    ['ListMultipartUploads', 's3:ListBucketMultipartUploads'],
    ['HeadBucket', 's3:ListBucket'],
    ['CreateBucket', 's3:CreateBucket'],
    ['DeleteBucket', 's3:DeleteBucket'],
    ['GetBucketLocation', 's3:GetBucketLocation'],
    ['GetBucketVersioning', 's3:GetBucketVersioning'],
    ['PutBucketEncryption', 's3:PutEncryptionConfiguration'],
    ['DeleteBucketEncryption', 's3:PutEncryptionConfiguration'],
    ['GetBucketEncryption', 's3:GetEncryptionConfiguration'],
    ['ListBuckets', undefined],
    ['NoSuchOperation', undefined],
    ['toString', undefined],
  ])('%s -> %s', (operation, action) => {
    expect(policyActionFor(operation)).toBe(action);
  });
});

describe('SSE condition values', () => {
  it('a write gives the three headers exactly as sent', () => {
    const sent = headers({
      'x-amz-server-side-encryption': 'aws:kms',
      'x-amz-server-side-encryption-aws-kms-key-id': 'k1',
      'x-amz-server-side-encryption-context': 'ignored',
    });
    expect(requestConditionValues(sent)).toEqual({
      's3:x-amz-server-side-encryption': 'aws:kms',
      's3:x-amz-server-side-encryption-aws-kms-key-id': 'k1',
      's3:x-amz-server-side-encryption-customer-algorithm': undefined,
    });
  });

  it.each([
    ['PutObject', 'request'],
    ['CopyObject', 'request'],
    ['CreateMultipartUpload', 'request'],
    ['UploadPart', 'upload'],
    ['UploadPartCopy', 'upload'],
    ['CompleteMultipartUpload', 'upload'],
    ['GetObject', 'none'],
    ['DeleteObject', 'none'],
  ])('%s takes its values from the %s', (operation, source) => {
    const values = conditionValuesFor(operation, headers({ 'x-amz-server-side-encryption-customer-algorithm': 'AES256' }), SSE_S3);
    const expected = { request: 'customer-algorithm', upload: 'AES256', none: undefined }[source];
    const seen = values['s3:x-amz-server-side-encryption-customer-algorithm'] ? 'customer-algorithm' : values['s3:x-amz-server-side-encryption'];
    expect(seen).toBe(expected);
  });

  it('an upload record gives what the upload was created with', () => {
    expect(uploadConditionValues(SSE_S3)).toEqual({ 's3:x-amz-server-side-encryption': 'AES256' });
    expect(uploadConditionValues(SSE_C)).toEqual({ 's3:x-amz-server-side-encryption-customer-algorithm': 'AES256' });
    expect(conditionValuesFor('UploadPart', headers({}), undefined)).toEqual({});
  });

  it('under a Null Deny, the bucket default does not pass but a multipart upload created with the header does', () => {
    const policy = policyOf(statement({ Condition: { Null: { 's3:x-amz-server-side-encryption': 'true' } } }));
    const evaluate = (operation: string, sent: Record<string, string>, upload?: StoredEncryption): string =>
      evaluatePolicy(policy, request({ action: policyActionFor(operation)!, conditionValues: conditionValuesFor(operation, headers(sent), upload) }));
    expect(evaluate('PutObject', {})).toBe('deny');
    expect(evaluate('CreateMultipartUpload', {})).toBe('deny');
    expect(evaluate('CreateMultipartUpload', { 'x-amz-server-side-encryption': 'AES256' })).toBe('none');
    expect(evaluate('UploadPart', {}, SSE_S3)).toBe('none');
    expect(evaluate('CompleteMultipartUpload', {}, SSE_S3)).toBe('none');
    expect(evaluate('UploadPartCopy', {}, SSE_C)).toBe('deny');
  });
});

describe('renderDenied', () => {
  it('is 403 AccessDenied, Access Denied', () => {
    const err = renderDenied();
    expect([err.code, err.status, err.message]).toEqual(['AccessDenied', 403, 'Access Denied']);
  });
});
