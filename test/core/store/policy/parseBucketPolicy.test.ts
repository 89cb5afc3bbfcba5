// PutBucketPolicy validation: every fault answers 400 MalformedPolicy with its own text, and good documents normalise.
import { describe, expect, it } from 'vitest';
import { S3Error } from '../../../../main/core/store/errors.js';
import { parseBucketPolicy } from '../../../../main/core/store/policy/index.js';
import { BUCKET, documentText, statement } from './policyFixtures.js';

function failure(json: string): S3Error {
  try {
    parseBucketPolicy(json, BUCKET);
  } catch (err) {
    expect(err).toBeInstanceOf(S3Error);
    return err as S3Error;
  }
  throw new Error('policy was accepted');
}

const doc = (fields: Record<string, unknown>): string => documentText(statement(fields));
const sse = (condition: unknown): string => doc({ Condition: condition });

describe('parseBucketPolicy rejects', () => {
  it.each([
    ['an empty body', '', "Policies must be valid JSON and the first byte must be '{'"],
    ['text that is not JSON', 'deny everything', "Policies must be valid JSON and the first byte must be '{'"],
    ['a JSON array', '[]', "Policies must be valid JSON and the first byte must be '{'"],
    ['leading white space', ` ${documentText(statement())}`, "Policies must be valid JSON and the first byte must be '{'"],
    ['broken JSON', '{"Version": "2012-10-17",', 'This policy contains invalid Json'],
    ['a missing Version', JSON.stringify({ Statement: [statement()] }), 'The policy must contain a valid version string'],
    ['an unknown Version', documentText(statement(), { Version: '2012-10-18' }), 'The policy must contain a valid version string'],
    ['a Version that is not a string', documentText(statement(), { Version: 2012 }), 'The policy must contain a valid version string'],
    ['an Id that is not a string', documentText(statement(), { Id: 7 }), 'Invalid policy syntax.'],
    ['an unknown top-level field', documentText(statement(), { Comment: 'x' }), 'Unknown field Comment'],
    ['a missing Statement', '{"Version": "2012-10-17"}', 'Missing required field Statement'],
    ['an empty Statement list', documentText([]), 'Could not parse the policy: Statement is empty!'],
    ['a Statement that is a string', '{"Version": "2012-10-17", "Statement": "deny"}', 'Invalid policy syntax.'],
    ['a statement that is not an object', documentText(['x'] as never), 'Invalid policy syntax.'],
    ['an unknown statement field', doc({ condition: {} }), 'Unknown field condition'],
    ['NotAction', doc({ NotAction: 's3:GetObject' }), 'NotAction is not supported by this store'],
    ['NotResource', doc({ NotResource: 'arn:aws:s3:::vault/public/*' }), 'NotResource is not supported by this store'],
    ['NotPrincipal', doc({ NotPrincipal: { AWS: 'COFFEROWNERKEY01' } }), 'NotPrincipal is not supported by this store'],
    ['a Sid that is not a string', doc({ Sid: 1 }), 'Invalid policy syntax.'],
    ['a missing Effect', doc({ Effect: undefined }), 'Missing required field Effect'],
    ['a wrongly cased Effect', doc({ Effect: 'deny' }), 'Invalid effect: deny'],
    ['an Effect that is not a string', doc({ Effect: true }), 'Invalid policy syntax.'],
    ['a missing Principal', doc({ Principal: undefined }), 'Missing required field Principal'],
    ['a Principal string other than *', doc({ Principal: 'arn:aws:iam::111122223333:root' }), 'Invalid policy syntax.'],
    ['an empty Principal object', doc({ Principal: {} }), 'Invalid principal in policy'],
    ['an unknown principal type', doc({ Principal: { Users: 'x' } }), 'Invalid principal in policy'],
    ['a Service principal', doc({ Principal: { Service: 'logging.s3.amazonaws.com' } }), 'The principal type Service is not supported by this store'],
    ['an empty AWS principal list', doc({ Principal: { AWS: [] } }), 'Invalid principal in policy'],
    ['* next to other AWS principals', doc({ Principal: { AWS: ['*', 'COFFEROWNERKEY01'] } }), 'Invalid principal in policy'],
    ['an AWS principal that is neither key nor ARN', doc({ Principal: { AWS: 'not a key!' } }), 'Invalid principal in policy'],
    ['an assumed-role ARN', doc({ Principal: { AWS: 'arn:aws:sts::111122223333:assumed-role/r/s' } }), 'Invalid principal in policy'],
    ['a missing Action', doc({ Action: undefined }), 'Missing required field Action'],
    ['a null Action', doc({ Action: null }), 'Invalid policy syntax.'],
    ['an empty Action list', doc({ Action: [] }), 'Policy has invalid action'],
    ['an action of another service', doc({ Action: 'iam:PassRole' }), 'Policy has invalid action'],
    ['an action without a service', doc({ Action: 'PutObject' }), 'Policy has invalid action'],
    ['a missing Resource', doc({ Resource: undefined }), 'Missing required field Resource'],
    ['an empty Resource list', doc({ Resource: [] }), 'Policy has invalid resource'],
    ['Resource *', doc({ Resource: '*' }), 'Policy has invalid resource'],
    ['a resource in another bucket', doc({ Resource: 'arn:aws:s3:::other/*' }), 'Policy has invalid resource'],
    ['one of several resources in another bucket', doc({ Resource: ['arn:aws:s3:::vault/*', 'arn:aws:s3:::vault-logs/*'] }), 'Policy has invalid resource'],
    ['a resource of another partition', doc({ Resource: 'arn:aws-cn:s3:::vault/*' }), 'Policy has invalid resource'],
    ['a bare ARN prefix', doc({ Resource: 'arn:aws:s3:::' }), 'Policy has invalid resource'],
    ['an object action on the bucket alone', doc({ Resource: 'arn:aws:s3:::vault' }), 'Action does not apply to any resource(s) in statement'],
    ['a bucket action on objects alone', doc({ Action: 's3:ListBucket' }), 'Action does not apply to any resource(s) in statement'],
    ['a policy variable in a resource', doc({ Resource: 'arn:aws:s3:::vault/${aws:username}/*' }), 'The policy variable ${aws:username} is not supported by this store'],
    ['a Condition that is not an object', sse('x'), 'Invalid policy syntax.'],
    ['an unknown condition operator', sse({ StringEqual: { 's3:x-amz-server-side-encryption': 'AES256' } }), 'Invalid Condition type : StringEqual'],
    ['a wrongly cased condition operator', sse({ stringequals: { 's3:x-amz-server-side-encryption': 'AES256' } }), 'Invalid Condition type : stringequals'],
    ['NullIfExists', sse({ NullIfExists: { 's3:x-amz-server-side-encryption': 'true' } }), 'Invalid Condition type : NullIfExists'],
    ['an IAM operator the store does not evaluate', sse({ IpAddress: { 'aws:SecureTransport': '10.0.0.0/8' } }), 'The condition operator IpAddress is not supported by this store'],
    ['a set operator', sse({ 'ForAnyValue:StringEquals': { 's3:x-amz-server-side-encryption': 'AES256' } }), 'The condition operator ForAnyValue:StringEquals is not supported by this store'],
    ['an operator whose keys are not an object', sse({ StringEquals: 'AES256' }), 'Invalid policy syntax.'],
    ['a key that is no condition key', sse({ StringEquals: { encryption: 'AES256' } }), 'Policy has an invalid condition key'],
    ['an S3 key the store does not evaluate', sse({ StringEquals: { 's3:x-amz-acl': 'private' } }), 'The condition key s3:x-amz-acl is not supported by this store'],
    ['a global key the store does not evaluate', sse({ StringEquals: { 'aws:SourceIp': '10.0.0.1' } }), 'The condition key aws:SourceIp is not supported by this store'],
    ['an empty value list', sse({ StringEquals: { 's3:x-amz-server-side-encryption': [] } }), 'Invalid policy syntax.'],
    ['an object as a value', sse({ StringEquals: { 's3:x-amz-server-side-encryption': { v: 1 } } }), 'Invalid policy syntax.'],
    ['a Null value other than true/false', sse({ Null: { 's3:x-amz-server-side-encryption': 'yes' } }), 'Invalid value in Conditions for operator Null'],
    ['a Bool value other than true/false', sse({ Bool: { 'aws:SecureTransport': '1' } }), 'Invalid value in Conditions for operator Bool'],
    ['an SSE key on a statement without s3:PutObject', doc({ Action: 's3:GetObject', Condition: { Null: { 's3:x-amz-server-side-encryption': 'true' } } }), 'Conditions do not apply to combination of actions and resources in statement'],
    ['an SSE key on a statement about the bucket only', doc({ Action: 's3:*', Resource: 'arn:aws:s3:::vault', Condition: { Null: { 's3:x-amz-server-side-encryption': 'true' } } }), 'Conditions do not apply to combination of actions and resources in statement'],
  ])('%s', (_name, json, message) => {
    const err = failure(json);
    expect(err.code).toBe('MalformedPolicy');
    expect(err.status).toBe(400);
    expect(err.message).toBe(message);
  });

  it('a document over 20 KB once white space is removed, with the code S3 uses for it', () => {
    const resources = Array.from({ length: 700 }, (_, i) => `arn:aws:s3:::vault/tenants/${String(i).padStart(4, '0')}/*`);
    const err = failure(documentText(statement({ Resource: resources })));
    expect([err.code, err.status, err.message]).toEqual(['MalformedPolicy', 400, 'Normalized policy document exceeds the maximum allowed size of 20480 bytes']);
  });
});

describe('parseBucketPolicy accepts and normalises', () => {
  it('indentation does not count against the size limit', () => {
    const resources = Array.from({ length: 500 }, (_, i) => `arn:aws:s3:::vault/tenants/${String(i).padStart(4, '0')}/*`);
    const indented = JSON.stringify(JSON.parse(documentText(statement({ Resource: resources }))), null, 8);
    expect(indented.length).toBeGreaterThan(20 * 1024);
    expect(parseBucketPolicy(indented, BUCKET).statements[0]!.resources).toHaveLength(500);
  });

  it.each([
    ['a single statement object', documentText(statement())],
    ['Version 2008-10-17 with an Id', documentText(statement(), { Version: '2008-10-17', Id: 'Policy1' })],
    ['{"AWS": "*"}', doc({ Principal: { AWS: '*' } })],
    ['access key ids and IAM ARNs', doc({ Principal: { AWS: ['COFFEROWNERKEY01', 'arn:aws:iam::111122223333:user/ops/COFFEROTHERKEY02', 'arn:aws:iam::111122223333:root'] } })],
    ['an unknown s3: action', doc({ Action: ['s3:PutObject', 's3:SomeFutureAction'] })],
    ['action wildcards in any case', doc({ Action: ['s3:Put*', 'S3:GETOBJECT', '*', 's3:?etObject'] })],
    ['s3:* on the bucket alone', doc({ Action: 's3:*', Resource: 'arn:aws:s3:::vault' })],
    ['a bucket wildcard matching this bucket', doc({ Resource: ['arn:aws:s3:::vau*/*', 'arn:aws:s3:::*'] })],
    ['IAM escapes for literal characters', doc({ Resource: 'arn:aws:s3:::vault/${*}literal${?}/*' })],
    ['${...} as text under 2008-10-17', documentText(statement({ Resource: 'arn:aws:s3:::vault/${x}/*' }), { Version: '2008-10-17' })],
    ['numbers and booleans as condition values', sse({ Bool: { 'aws:SecureTransport': false }, Null: { 's3:x-amz-server-side-encryption': true } })],
    ['condition keys in any case', sse({ StringEquals: { 'S3:X-Amz-Server-Side-Encryption': 'AES256', 'AWS:securetransport': 'true' } })],
  ])('%s', (_name, json) => {
    expect(parseBucketPolicy(json, BUCKET).statements.length).toBeGreaterThan(0);
  });

  it('into principals, lower-case actions, resources and conditions', () => {
    const json = documentText([
      statement({ Sid: 'DenyUnencrypted', Condition: { StringNotEqualsIfExists: { 'S3:x-amz-server-side-encryption': ['AES256', 'aws:kms'] }, Bool: { 'aws:SecureTransport': 'FALSE' } } }),
      { Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::111122223333:user/ops/COFFEROTHERKEY02', 'arn:aws:iam::111122223333:root'] }, Action: 'S3:GetObject', Resource: 'arn:aws:s3:::vault/*' },
    ]);
    const policy = parseBucketPolicy(json, BUCKET);
    expect(policy).toMatchObject({ version: '2012-10-17', id: undefined, bucket: BUCKET });
    const [deny, allow] = policy.statements;
    expect(deny).toMatchObject({ sid: 'DenyUnencrypted', effect: 'Deny', principal: { everyone: true } });
    expect(deny!.conditions.map(({ operator, ifExists, key, values }) => ({ operator, ifExists, key, values }))).toEqual([
      { operator: 'StringNotEquals', ifExists: true, key: 's3:x-amz-server-side-encryption', values: ['AES256', 'aws:kms'] },
      { operator: 'Bool', ifExists: false, key: 'aws:SecureTransport', values: ['false'] },
    ]);
    expect(allow).toMatchObject({ sid: undefined, effect: 'Allow', principal: { everyone: false, accessKeyIds: ['COFFEROTHERKEY02'], account: true } });
    expect(allow!.actions.map((a) => a.source)).toEqual(['s3:getobject']);
    expect(allow!.resources.map((r) => r.source)).toEqual(['arn:aws:s3:::vault/*']);
  });
});
