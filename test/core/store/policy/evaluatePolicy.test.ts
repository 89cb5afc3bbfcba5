// IAM evaluation: principals, wildcard actions and resources, explicit Deny over Allow, and condition logic.
import { describe, expect, it } from 'vitest';
import { evaluatePolicy, type PolicyRequest } from '../../../../main/core/store/policy/index.js';
import { OTHER_KEY, OWNER_KEY, policyOf, request, sent, statement, type StatementJson } from './policyFixtures.js';

const allow = (fields: StatementJson): StatementJson => statement({ Effect: 'Allow', ...fields });
const decide = (s: StatementJson, req: PolicyRequest): string => evaluatePolicy(policyOf(s), req);

describe('resource wildcards', () => {
  it.each([
    ['arn:aws:s3:::vault/*', 'docs/report.pdf', 'allow'],
    ['arn:aws:s3:::vault/*', 'a', 'allow'],
    ['arn:aws:s3:::vault/private/*', 'private/x/y.txt', 'allow'],
    ['arn:aws:s3:::vault/private/*', 'public/private/x', 'none'],
    ['arn:aws:s3:::vault/private/*', 'Private/x', 'none'],
    ['arn:aws:s3:::vault/report-?.pdf', 'report-1.pdf', 'allow'],
    ['arn:aws:s3:::vault/report-?.pdf', 'report-12.pdf', 'none'],
    ['arn:aws:s3:::vault/report-?.pdf', 'report-\u00e9.pdf', 'allow'],
    ['arn:aws:s3:::vault/*.pdf', 'deep/dir/file.pdf', 'allow'],
    ['arn:aws:s3:::vault/*.pdf', 'file.pdf.txt', 'none'],
    ['arn:aws:s3:::vault/a*b*c', 'aXbYbZc', 'allow'],
    ['arn:aws:s3:::vault/a*b*c', 'aXbYcZ', 'none'],
    ['arn:aws:s3:::vault/${*}', '*', 'allow'],
    ['arn:aws:s3:::vault/${*}', 'anything', 'none'],
    ['arn:aws:s3:::vau*', 'docs/report.pdf', 'allow'],
    ['arn:aws:s3:::vault/docs/report.pdf', 'docs/report.pdf', 'allow'],
  ])('%s on key %s -> %s', (resource, key, expected) => {
    expect(decide(allow({ Action: 's3:GetObject', Resource: resource }), request({ action: 's3:GetObject', key }))).toBe(expected);
  });

  it('the bucket ARN names the bucket, not its objects', () => {
    const s = allow({ Action: 's3:ListBucket', Resource: 'arn:aws:s3:::vault' });
    expect(decide(s, request({ action: 's3:ListBucket', key: undefined }))).toBe('allow');
    expect(decide(allow({ Action: 's3:*', Resource: 'arn:aws:s3:::vault/*' }), request({ action: 's3:ListBucket', key: undefined }))).toBe('none');
  });

  it('a request for another bucket is not matched', () => {
    expect(decide(allow({ Resource: 'arn:aws:s3:::vault/*' }), request({ bucket: 'vault2' }))).toBe('none');
  });
});

describe('action wildcards', () => {
  it.each([
    ['s3:*', 's3:DeleteObject', 'allow'],
    ['*', 's3:GetObject', 'allow'],
    ['s3:Put*', 's3:PutObject', 'allow'],
    ['s3:Put*', 's3:GetObject', 'none'],
    ['s3:*Object', 's3:DeleteObject', 'allow'],
    ['s3:?etObject', 's3:GetObject', 'allow'],
    ['S3:PUTOBJECT', 's3:PutObject', 'allow'],
    ['s3:putobject', 'S3:PutObject', 'allow'],
    ['s3:SomeFutureAction', 's3:PutObject', 'none'],
  ])('%s for %s -> %s', (action, requested, expected) => {
    expect(decide(allow({ Action: action }), request({ action: requested }))).toBe(expected);
  });
});

describe('principals', () => {
  it.each([
    ['*', OTHER_KEY, 'allow'],
    [{ AWS: '*' }, OTHER_KEY, 'allow'],
    [{ AWS: [OWNER_KEY, OTHER_KEY] }, OTHER_KEY, 'allow'],
    [{ AWS: OWNER_KEY }, OTHER_KEY, 'none'],
    [{ AWS: `arn:aws:iam::111122223333:user/${OTHER_KEY}` }, OTHER_KEY, 'allow'],
    [{ AWS: `arn:aws:iam::111122223333:user/team/${OTHER_KEY}` }, OTHER_KEY, 'allow'],
    [{ AWS: `arn:aws:iam::111122223333:user/${OTHER_KEY}` }, OWNER_KEY, 'none'],
    [{ AWS: 'arn:aws:iam::111122223333:root' }, OTHER_KEY, 'allow'],
  ])('%j for %s -> %s', (principal, caller, expected) => {
    expect(decide(allow({ Principal: principal }), request({ principal: caller }))).toBe(expected);
  });
});

describe('explicit deny', () => {
  it('overrides an allow, in whichever order the statements come', () => {
    const grant = allow({ Action: 's3:*', Resource: 'arn:aws:s3:::vault/*' });
    const block = statement({ Principal: { AWS: OTHER_KEY }, Resource: 'arn:aws:s3:::vault/private/*' });
    for (const statements of [[grant, block], [block, grant]]) {
      const policy = policyOf(...statements);
      expect(evaluatePolicy(policy, request({ principal: OTHER_KEY, key: 'private/a' }))).toBe('deny');
      expect(evaluatePolicy(policy, request({ principal: OTHER_KEY, key: 'public/a' }))).toBe('allow');
      expect(evaluatePolicy(policy, request({ principal: OWNER_KEY, key: 'private/a' }))).toBe('allow');
    }
  });

  it('a Deny whose condition does not hold leaves the Allow standing', () => {
    const policy = policyOf(allow({}), statement({ Condition: { Null: { 's3:x-amz-server-side-encryption': 'true' } } }));
    expect(evaluatePolicy(policy, request({ conditionValues: sent({ sse: 'AES256' }) }))).toBe('allow');
    expect(evaluatePolicy(policy, request())).toBe('deny');
  });
});

describe('condition logic', () => {
  const SSE = 's3:x-amz-server-side-encryption';
  const KEY_ID = 's3:x-amz-server-side-encryption-aws-kms-key-id';
  const when = (condition: Record<string, unknown>, values: Record<string, string | undefined>, secureTransport = true): string =>
    decide(allow({ Condition: condition }), request({ conditionValues: values, secureTransport }));

  it.each([
    ['StringEquals, key absent', { StringEquals: { [SSE]: 'AES256' } }, {}, 'none'],
    ['StringEqualsIfExists, key absent', { StringEqualsIfExists: { [SSE]: 'AES256' } }, {}, 'allow'],
    ['StringEqualsIfExists, key present and different', { StringEqualsIfExists: { [SSE]: 'AES256' } }, sent({ sse: 'aws:kms' }), 'none'],
    ['StringNotEquals, key absent', { StringNotEquals: { [SSE]: 'AES256' } }, {}, 'allow'],
    ['StringNotEqualsIfExists, key absent', { StringNotEqualsIfExists: { [SSE]: 'AES256' } }, {}, 'allow'],
    ['StringNotEqualsIfExists, key present and equal', { StringNotEqualsIfExists: { [SSE]: 'AES256' } }, sent({ sse: 'AES256' }), 'none'],
    ['StringLike, key absent', { StringLike: { [SSE]: '*' } }, {}, 'none'],
    ['StringLikeIfExists, key absent', { StringLikeIfExists: { [SSE]: 'aws:*' } }, {}, 'allow'],
    ['StringNotLike, key absent', { StringNotLike: { [SSE]: 'aws:*' } }, {}, 'allow'],
    ['BoolIfExists on a key always present', { BoolIfExists: { 'aws:SecureTransport': 'true' } }, {}, 'allow'],
    ['Null false, key absent', { Null: { [SSE]: 'false' } }, {}, 'none'],
    ['Null false, key present', { Null: { [SSE]: 'false' } }, sent({ sse: 'AES256' }), 'allow'],
  ])('%s', (_name, condition, values, expected) => {
    expect(when(condition, values)).toBe(expected);
  });

  it.each([
    ['StringEquals: one of the values', { StringEquals: { [SSE]: ['AES256', 'aws:kms'] } }, 'aws:kms', 'allow'],
    ['StringEquals: none of the values', { StringEquals: { [SSE]: ['AES256', 'aws:kms'] } }, 'aws:kms:dsse', 'none'],
    ['StringNotEquals: equal to one value', { StringNotEquals: { [SSE]: ['AES256', 'aws:kms'] } }, 'aws:kms', 'none'],
    ['StringNotEquals: equal to none', { StringNotEquals: { [SSE]: ['AES256', 'aws:kms'] } }, 'aws:kms:dsse', 'allow'],
    ['StringLike: any pattern', { StringLike: { [SSE]: ['AES*', 'aws:kms:*'] } }, 'aws:kms:dsse', 'allow'],
    ['StringLike: ? is one character', { StringLike: { [SSE]: 'AES25?' } }, 'AES2566', 'none'],
    ['StringNotLike: matching one pattern', { StringNotLike: { [SSE]: ['AES*', 'aws:kms:*'] } }, 'aws:kms:dsse', 'none'],
    ['StringEquals: * is literal', { StringEquals: { [SSE]: 'aws:*' } }, 'aws:kms', 'none'],
  ])('values are ORed: %s', (_name, condition, value, expected) => {
    expect(when(condition, sent({ sse: value }))).toBe(expected);
  });

  it('keys under one operator, and operators, are ANDed', () => {
    const sameOperator = { StringEquals: { [SSE]: 'aws:kms', [KEY_ID]: 'k1' } };
    expect(when(sameOperator, sent({ sse: 'aws:kms', kmsKeyId: 'k1' }))).toBe('allow');
    expect(when(sameOperator, sent({ sse: 'aws:kms', kmsKeyId: 'k2' }))).toBe('none');
    const twoOperators = { StringEquals: { [SSE]: 'aws:kms' }, Bool: { 'aws:SecureTransport': 'true' } };
    expect(when(twoOperators, sent({ sse: 'aws:kms' }), true)).toBe('allow');
    expect(when(twoOperators, sent({ sse: 'aws:kms' }), false)).toBe('none');
    expect(when(twoOperators, sent({ sse: 'AES256' }), true)).toBe('none');
  });

  it('request condition keys are matched whatever their case', () => {
    expect(when({ StringEquals: { [SSE]: 'AES256' } }, { 'S3:X-Amz-Server-Side-Encryption': 'AES256' })).toBe('allow');
  });
});
