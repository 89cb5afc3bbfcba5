// Bucket policies through the SDK: Put/Get/DeleteBucketPolicy, MalformedPolicy, and each condition key enforced on PutObject.
import {
  DeleteBucketPolicyCommand,
  DeleteObjectCommand,
  GetBucketPolicyCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutBucketEncryptionCommand,
  PutBucketPolicyCommand,
  PutObjectCommand,
  type PutObjectCommandInput,
  type S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KeyMetadata } from '../../main/core/keys/kms/index.js';
import {
  ACCESS_DENIED,
  BOTH_CREDENTIALS,
  SECOND_CREDENTIALS,
  SSE_C_ALGORITHM_KEY,
  SSE_KEY,
  SSE_KMS_KEY_ID_KEY,
  denyPut,
  denyUnencrypted,
  objectsOf,
  policyDocument,
  putPolicy,
} from '../support/policySupport.js';
import { bodyOf, createBucket, customerKey, expectS3Error, onceClient, sseC } from '../support/s3Expect.js';
import { startStoreFixture, type StoreFixture } from '../support/storeFixture.js';

let f: StoreFixture;
let http: S3Client;
let https: S3Client;
let keyA: KeyMetadata;
let keyB: KeyMetadata;
const customer = customerKey();

beforeAll(async () => {
  f = await startStoreFixture({ credentials: BOTH_CREDENTIALS });
  http = onceClient(f, false);
  https = onceClient(f, true);
  keyA = f.store.services.kms.createKey({ alias: 'alias/policy-key-a', description: 'allowed by the policy' });
  keyB = f.store.services.kms.createKey({ description: 'not allowed by the policy' });
});
afterAll(async () => {
  await f?.close();
});

/** PutObject that must succeed; returns what the store answered. */
function put(s3: S3Client, bucket: string, key: string, extra: Partial<PutObjectCommandInput> = {}) {
  return s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: `body of ${key}`, ...extra }));
}

async function expectAbsent(bucket: string, key: string): Promise<void> {
  await expectS3Error(https.send(new HeadObjectCommand({ Bucket: bucket, Key: key })), { code: 'NotFound', status: 404 });
}

describe('PutBucketPolicy, GetBucketPolicy, DeleteBucketPolicy', () => {
  it('stores the document as sent, returns it, deletes it (204, twice), then answers 404 NoSuchBucketPolicy', async () => {
    const bucket = await createBucket(http, 'policy-crud');
    await expectS3Error(http.send(new GetBucketPolicyCommand({ Bucket: bucket })), {
      code: 'NoSuchBucketPolicy',
      status: 404,
      message: 'The bucket policy does not exist',
    });
    // Indented on purpose: the text comes back byte for byte, not re-serialised.
    const text = JSON.stringify(JSON.parse(policyDocument(denyUnencrypted(bucket))), null, 2);
    const stored = await http.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: text }));
    expect(stored.$metadata.httpStatusCode).toBe(204);
    expect((await http.send(new GetBucketPolicyCommand({ Bucket: bucket }))).Policy).toBe(text);
    for (let i = 0; i < 2; i++) {
      const deleted = await http.send(new DeleteBucketPolicyCommand({ Bucket: bucket }));
      expect(deleted.$metadata.httpStatusCode).toBe(204);
    }
    await expectS3Error(http.send(new GetBucketPolicyCommand({ Bucket: bucket })), { code: 'NoSuchBucketPolicy', status: 404 });
    // Without the policy, an unencrypted PUT goes through again.
    await put(http, bucket, 'after-delete');
  });

  it('answers NoSuchBucket for a bucket that does not exist', async () => {
    const missing = 'policy-no-such-bucket';
    const notFound = { code: 'NoSuchBucket', status: 404, message: 'The specified bucket does not exist' };
    await expectS3Error(http.send(new PutBucketPolicyCommand({ Bucket: missing, Policy: policyDocument(denyUnencrypted(missing)) })), notFound);
    await expectS3Error(http.send(new GetBucketPolicyCommand({ Bucket: missing })), notFound);
    await expectS3Error(http.send(new DeleteBucketPolicyCommand({ Bucket: missing })), notFound);
  });

  it('refuses bad JSON, an unknown condition operator and a resource in another bucket with MalformedPolicy, keeping the old policy', async () => {
    const bucket = await createBucket(http, 'policy-malformed');
    const kept = await putPolicy(http, bucket, denyUnencrypted(bucket));
    const cases: [string, string][] = [
      ['{"Version": "2012-10-17", "Statement": [', 'This policy contains invalid Json'],
      ['not json at all', "Policies must be valid JSON and the first byte must be '{'"],
      [policyDocument(denyPut(bucket, { StringEqualsSometimes: { [SSE_KEY]: 'AES256' } })), 'Invalid Condition type : StringEqualsSometimes'],
      [policyDocument({ ...denyUnencrypted(bucket), Resource: objectsOf('some-other-bucket') }), 'Policy has invalid resource'],
    ];
    for (const [Policy, message] of cases) {
      await expectS3Error(http.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy })), { code: 'MalformedPolicy', status: 400, message });
    }
    expect((await http.send(new GetBucketPolicyCommand({ Bucket: bucket }))).Policy).toBe(kept);
  });

  it('measures the 20 KB limit on the document without insignificant white space', async () => {
    const bucket = await createBucket(http, 'policy-size');
    const statements = Array.from({ length: 120 }, (_, i) => denyPut(bucket, { Null: { [SSE_KEY]: 'true' } }, `Statement${i}`));
    const compact = policyDocument(...statements);
    expect(compact.length).toBeGreaterThan(20 * 1024);
    await expectS3Error(http.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: compact })), {
      code: 'MalformedPolicy',
      status: 400,
      message: 'Normalized policy document exceeds the maximum allowed size of 20480 bytes',
    });
    // Fewer statements, indented far beyond 20 KB: accepted and returned with its indentation.
    const indented = JSON.stringify(JSON.parse(policyDocument(...statements.slice(0, 60))), null, 8);
    expect(indented.length).toBeGreaterThan(20 * 1024);
    await http.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: indented }));
    expect((await http.send(new GetBucketPolicyCommand({ Bucket: bucket }))).Policy).toBe(indented);
  });

  it('never judges the policy operations themselves: a Deny s3:* cannot lock the owner out', async () => {
    const bucket = await createBucket(http, 'policy-lockout');
    await put(http, bucket, 'existing');
    await putPolicy(http, bucket, { Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: [`arn:aws:s3:::${bucket}`, objectsOf(bucket)] });
    await expectS3Error(put(http, bucket, 'new', { ServerSideEncryption: 'AES256' }), ACCESS_DENIED);
    await expectS3Error(http.send(new GetObjectCommand({ Bucket: bucket, Key: 'existing' })), ACCESS_DENIED);
    await expectS3Error(http.send(new ListObjectsV2Command({ Bucket: bucket })), ACCESS_DENIED);
    expect((await http.send(new GetBucketPolicyCommand({ Bucket: bucket }))).Policy).toContain('"s3:*"');
    await http.send(new DeleteBucketPolicyCommand({ Bucket: bucket }));
    expect(await bodyOf(await http.send(new GetObjectCommand({ Bucket: bucket, Key: 'existing' })))).toEqual(Buffer.from('body of existing'));
  });
});

describe('s3:x-amz-server-side-encryption', () => {
  it('Null "true": a PUT without the header is denied, with AES256 or aws:kms it passes, and the bucket default does not count', async () => {
    const bucket = await createBucket(http, 'policy-null-sse');
    await put(http, bucket, 'before-policy');
    await putPolicy(http, bucket, denyUnencrypted(bucket));
    await expectS3Error(put(http, bucket, 'plain'), ACCESS_DENIED);
    await expectAbsent(bucket, 'plain');
    expect((await put(http, bucket, 'aes', { ServerSideEncryption: 'AES256' })).ServerSideEncryption).toBe('AES256');
    expect((await put(http, bucket, 'kms', { ServerSideEncryption: 'aws:kms' })).ServerSideEncryption).toBe('aws:kms');
    // A configured default still leaves the header out of the request, so the Deny still applies (S3-SSE.md 7.5).
    await http.send(
      new PutBucketEncryptionCommand({
        Bucket: bucket,
        ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      }),
    );
    await expectS3Error(put(http, bucket, 'default-only'), ACCESS_DENIED);
    await expectAbsent(bucket, 'default-only');
    // Only s3:PutObject is denied: reads of existing objects go on.
    expect(await bodyOf(await http.send(new GetObjectCommand({ Bucket: bucket, Key: 'before-policy' })))).toEqual(Buffer.from('body of before-policy'));
  });

  it('StringNotEquals "AES256": only SSE-S3 requests pass; aws:kms and a missing header are denied', async () => {
    const bucket = await createBucket(http, 'policy-aes-only');
    await putPolicy(http, bucket, denyPut(bucket, { StringNotEquals: { [SSE_KEY]: 'AES256' } }));
    await put(http, bucket, 'aes', { ServerSideEncryption: 'AES256' });
    await expectS3Error(put(http, bucket, 'kms', { ServerSideEncryption: 'aws:kms' }), ACCESS_DENIED);
    // A key the request lacks satisfies a negated operator, so the Deny holds.
    await expectS3Error(put(http, bucket, 'plain'), ACCESS_DENIED);
    await expectAbsent(bucket, 'kms');
  });
});

describe('s3:x-amz-server-side-encryption-aws-kms-key-id', () => {
  it('StringNotEquals the key ARN: that key passes, another key or no key id is denied', async () => {
    const bucket = await createBucket(http, 'policy-kms-key');
    await putPolicy(http, bucket, denyPut(bucket, { StringNotEquals: { [SSE_KMS_KEY_ID_KEY]: keyA.arn } }));
    const ok = await put(http, bucket, 'key-a', { ServerSideEncryption: 'aws:kms', SSEKMSKeyId: keyA.arn });
    expect(ok.SSEKMSKeyId).toBe(keyA.arn);
    await expectS3Error(put(http, bucket, 'key-b', { ServerSideEncryption: 'aws:kms', SSEKMSKeyId: keyB.arn }), ACCESS_DENIED);
    await expectS3Error(put(http, bucket, 'managed', { ServerSideEncryption: 'aws:kms' }), ACCESS_DENIED);
    await expectS3Error(put(http, bucket, 'aes', { ServerSideEncryption: 'AES256' }), ACCESS_DENIED);
    await expectAbsent(bucket, 'key-b');
  });

  it('judges the key the request names, whichever of its forms it uses (key id, alias, alias ARN)', async () => {
    const bucket = await createBucket(http, 'policy-kms-forms');
    await putPolicy(http, bucket, denyPut(bucket, { StringNotEquals: { [SSE_KMS_KEY_ID_KEY]: keyA.arn } }));
    const aliasArn = `arn:aws:kms:us-east-1:${keyA.accountId}:alias/policy-key-a`;
    for (const form of [keyA.keyId, 'alias/policy-key-a', aliasArn]) {
      const ok = await put(http, bucket, `form-${form.length}`, { ServerSideEncryption: 'aws:kms', SSEKMSKeyId: form });
      expect(ok.SSEKMSKeyId).toBe(keyA.arn);
    }
    await expectS3Error(put(http, bucket, 'b-by-id', { ServerSideEncryption: 'aws:kms', SSEKMSKeyId: keyB.keyId }), ACCESS_DENIED);
    // A name no key answers to is judged as sent, and the policy speaks before the key lookup would (S3-SSE.md R5.4).
    await expectS3Error(put(http, bucket, 'unknown', { ServerSideEncryption: 'aws:kms', SSEKMSKeyId: 'alias/no-such-key' }), ACCESS_DENIED);
  });
});

describe('s3:x-amz-server-side-encryption-customer-algorithm', () => {
  it('Null "true" requires SSE-C: a PUT with the customer key passes, plain and SSE-S3 PUTs are denied', async () => {
    const bucket = await createBucket(https, 'policy-require-sse-c');
    await putPolicy(https, bucket, denyPut(bucket, { Null: { [SSE_C_ALGORITHM_KEY]: 'true' } }));
    const ok = await put(https, bucket, 'customer', sseC(customer));
    expect(ok.SSECustomerKeyMD5).toBe(customer.md5);
    await expectS3Error(put(https, bucket, 'plain'), ACCESS_DENIED);
    await expectS3Error(put(https, bucket, 'aes', { ServerSideEncryption: 'AES256' }), ACCESS_DENIED);
    const got = await https.send(new GetObjectCommand({ Bucket: bucket, Key: 'customer', ...sseC(customer) }));
    expect(await bodyOf(got)).toEqual(Buffer.from('body of customer'));
  });

  it('Null "false" denies SSE-C, before the SSE-C transport check: 403 over HTTP too', async () => {
    const bucket = await createBucket(https, 'policy-deny-sse-c');
    await putPolicy(https, bucket, denyPut(bucket, { Null: { [SSE_C_ALGORITHM_KEY]: 'false' } }));
    await expectS3Error(put(https, bucket, 'customer', sseC(customer)), ACCESS_DENIED);
    // Without the policy this would be 400 InvalidRequest (SSE-C over HTTP); the Deny is evaluated first (S3-SSE.md R5.4).
    await expectS3Error(put(http, bucket, 'customer-http', sseC(customer)), ACCESS_DENIED);
    await put(https, bucket, 'plain');
    await put(https, bucket, 'aes', { ServerSideEncryption: 'AES256' });
    await expectAbsent(bucket, 'customer');
  });
});

describe('aws:SecureTransport', () => {
  it('Bool "false" on s3:* denies every request over HTTP and allows the same requests over HTTPS', async () => {
    const bucket = await createBucket(https, 'policy-tls-only');
    await putPolicy(https, bucket, {
      Sid: 'TlsOnly',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: [`arn:aws:s3:::${bucket}`, objectsOf(bucket)],
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    });
    await expectS3Error(put(http, bucket, 'over-http'), ACCESS_DENIED);
    await put(https, bucket, 'over-https');
    await expectS3Error(http.send(new GetObjectCommand({ Bucket: bucket, Key: 'over-https' })), ACCESS_DENIED);
    await expectS3Error(http.send(new ListObjectsV2Command({ Bucket: bucket })), ACCESS_DENIED);
    await expectS3Error(http.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'over-https' })), ACCESS_DENIED);
    expect(await bodyOf(await https.send(new GetObjectCommand({ Bucket: bucket, Key: 'over-https' })))).toEqual(Buffer.from('body of over-https'));
    expect((await https.send(new ListObjectsV2Command({ Bucket: bucket }))).Contents?.map((o) => o.Key)).toEqual(['over-https']);
    await expectAbsent(bucket, 'over-http');
  });
});

describe('Principal', () => {
  it('a Deny naming one access key refuses that key and leaves the other alone', async () => {
    const second = f.client({ credentials: SECOND_CREDENTIALS, maxAttempts: 1 });
    const bucket = await createBucket(http, 'policy-principal');
    await put(http, bucket, 'shared');
    await putPolicy(http, bucket, {
      Sid: 'SecondKeyMayNotWrite',
      Effect: 'Deny',
      Principal: { AWS: [SECOND_CREDENTIALS.accessKeyId] },
      Action: ['s3:PutObject', 's3:DeleteObject'],
      Resource: objectsOf(bucket),
    });
    await expectS3Error(put(second, bucket, 'by-second', { ServerSideEncryption: 'AES256' }), ACCESS_DENIED);
    await expectS3Error(second.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'shared' })), ACCESS_DENIED);
    // Actions the statement does not name stay open to the second key.
    expect(await bodyOf(await second.send(new GetObjectCommand({ Bucket: bucket, Key: 'shared' })))).toEqual(Buffer.from('body of shared'));
    await put(http, bucket, 'by-first');
    await http.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'by-first' }));
    await expectAbsent(bucket, 'by-second');
  });

  it('an IAM user ARN names the access key of the same name', async () => {
    const second = f.client({ credentials: SECOND_CREDENTIALS, maxAttempts: 1 });
    const bucket = await createBucket(http, 'policy-principal-arn');
    const userArn = `arn:aws:iam::${f.store.services.kms.accountId}:user/${SECOND_CREDENTIALS.accessKeyId}`;
    await putPolicy(http, bucket, { Effect: 'Deny', Principal: { AWS: userArn }, Action: 's3:PutObject', Resource: objectsOf(bucket) });
    await expectS3Error(put(second, bucket, 'by-second'), ACCESS_DENIED);
    await put(http, bucket, 'by-first');
  });
});
