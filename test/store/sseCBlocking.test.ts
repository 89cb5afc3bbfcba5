// SSE-C blocking (S3-SSE.md 7.4, E23): BlockedEncryptionTypes through PutBucketEncryption, what a blocked bucket refuses and still serves.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  DeleteBucketEncryptionCommand,
  GetBucketEncryptionCommand,
  GetBucketPolicyCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListPartsCommand,
  PutBucketEncryptionCommand,
  PutObjectCommand,
  UploadPartCommand,
  UploadPartCopyCommand,
  type EncryptionType,
  type S3Client,
  type ServerSideEncryptionRule,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../main/core/db/openDatabase.js';
import { initialSchema } from '../../main/core/store/storage/migrations/0001-initial.js';
import { STORE_DB_FILE } from '../../main/core/store/storeServices.js';
import { uploadMultipart } from '../support/multipart.js';
import {
  bodyOf,
  copySourceSseC,
  createBucket,
  customerKey,
  expectRawError,
  expectS3Error,
  onceClient,
  sseC,
  sseCHeaders,
  type ExpectedError,
} from '../support/s3Expect.js';
import { objectPath, sendSigned } from '../support/signedRequest.js';
import { TEST_CREDENTIALS, startStoreFixture, type StoreFixture } from '../support/storeFixture.js';

let f: StoreFixture;
let s3: S3Client;
const customer = customerKey();

beforeAll(async () => {
  f = await startStoreFixture();
  s3 = onceClient(f, true);
});
afterAll(async () => {
  await f?.close();
});

/** E23 with AWS's recorded text; the caller is named as an IAM user of the store's (KMS) account. */
function blocked(fixture: StoreFixture, bucket: string, key: string, action = 's3:PutObject'): ExpectedError {
  const user = `arn:aws:iam::${fixture.store.services.kms.accountId}:user/${TEST_CREDENTIALS.accessKeyId}`;
  return {
    code: 'AccessDenied',
    status: 403,
    message:
      `User: ${user} is not authorized to perform: ${action} on resource: "arn:aws:s3:::${bucket}/${key}" because this bucket has ` +
      'blocked upload requests that specify Server Side Encryption with Customer provided keys (SSE-C). Please specify a different server-side encryption type',
  };
}

const block = (...types: string[]): Pick<ServerSideEncryptionRule, 'BlockedEncryptionTypes'> => ({
  BlockedEncryptionTypes: { EncryptionType: types as EncryptionType[] },
});

function putEncryption(client: S3Client, bucket: string, rule: ServerSideEncryptionRule) {
  return client.send(new PutBucketEncryptionCommand({ Bucket: bucket, ServerSideEncryptionConfiguration: { Rules: [rule] } }));
}

async function ruleOf(client: S3Client, bucket: string): Promise<ServerSideEncryptionRule> {
  const out = await client.send(new GetBucketEncryptionCommand({ Bucket: bucket }));
  const rules = out.ServerSideEncryptionConfiguration?.Rules ?? [];
  expect(rules).toHaveLength(1);
  return rules[0]!;
}

async function blockedTypes(client: S3Client, bucket: string): Promise<string[] | undefined> {
  return (await ruleOf(client, bucket)).BlockedEncryptionTypes?.EncryptionType;
}

function putSseC(client: S3Client, bucket: string, key: string) {
  return client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: `sse-c ${key}`, ...sseC(customer) }));
}

describe('blocking SSE-C through PutBucketEncryption', () => {
  it('a document with only BlockedEncryptionTypes blocks SSE-C and keeps the SSE-S3 base rule; GetBucketEncryption shows SSE-C, NONE before', async () => {
    const bucket = await createBucket(s3, 'block-only');
    expect(await blockedTypes(s3, bucket)).toEqual(['NONE']);
    await putEncryption(s3, bucket, block('SSE-C'));
    expect(await ruleOf(s3, bucket)).toEqual({
      ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' },
      BucketKeyEnabled: false,
      BlockedEncryptionTypes: { EncryptionType: ['SSE-C'] },
    });
    await expectS3Error(putSseC(s3, bucket, 'refused'), blocked(f, bucket, 'refused'));
    await expectS3Error(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'refused', ...sseC(customer) })), { code: 'NotFound', status: 404 });
  });

  it('with an SSE-KMS rule: the rule applies to plain writes, SSE-C is refused', async () => {
    const bucket = await createBucket(s3, 'block-kms');
    const key = f.store.services.kms.createKey({ description: 'default for a blocked bucket' });
    await putEncryption(s3, bucket, { ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: key.arn }, ...block('SSE-C') });
    expect(await ruleOf(s3, bucket)).toEqual({
      ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: key.arn },
      BucketKeyEnabled: false,
      BlockedEncryptionTypes: { EncryptionType: ['SSE-C'] },
    });
    const plain = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'plain', Body: 'kms by default' }));
    expect([plain.ServerSideEncryption, plain.SSEKMSKeyId]).toEqual(['aws:kms', key.arn]);
    await expectS3Error(putSseC(s3, bucket, 'customer'), blocked(f, bucket, 'customer'));
  });

  it('with an SSE-S3 rule: every write without SSE-C is unaffected (PUT, AES256, aws:kms, copy, multipart)', async () => {
    const bucket = await createBucket(s3, 'block-aes');
    await putEncryption(s3, bucket, { ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' }, ...block('SSE-C') });
    const put = (Key: string, extra: Record<string, string> = {}) => s3.send(new PutObjectCommand({ Bucket: bucket, Key, Body: Key, ...extra }));
    expect((await put('plain')).ServerSideEncryption).toBe('AES256');
    expect((await put('aes', { ServerSideEncryption: 'AES256' })).ServerSideEncryption).toBe('AES256');
    expect((await put('kms', { ServerSideEncryption: 'aws:kms' })).ServerSideEncryption).toBe('aws:kms');
    const copied = await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'copy', CopySource: `${bucket}/kms` }));
    expect(copied.ServerSideEncryption).toBe('AES256');
    const mpu = await uploadMultipart(s3, bucket, 'mpu', [Buffer.from('part one')]);
    expect(mpu.complete.ServerSideEncryption).toBe('AES256');
    for (const key of ['plain', 'aes', 'kms', 'copy']) {
      expect((await bodyOf(await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key })))).toString()).toBe(key === 'copy' ? 'kms' : key);
    }
  });

  it('refuses SSE-C on PutObject, CopyObject (naming s3:CopyObject) and CreateMultipartUpload with 403 and E23', async () => {
    const bucket = await createBucket(s3, 'block-writes');
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'source', Body: 'plain source' }));
    await putEncryption(s3, bucket, block('SSE-C'));
    await expectS3Error(putSseC(s3, bucket, 'put'), blocked(f, bucket, 'put'));
    await expectS3Error(
      s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'copy', CopySource: `${bucket}/source`, ...sseC(customer) })),
      blocked(f, bucket, 'copy', 's3:CopyObject'),
    );
    await expectS3Error(s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'mpu', ...sseC(customer) })), blocked(f, bucket, 'mpu'));
  });

  it('checks the transport and the SSE-C headers before the block (S3-SSE.md R5.4)', async () => {
    const bucket = await createBucket(s3, 'block-order');
    await putEncryption(s3, bucket, block('SSE-C'));
    const http = onceClient(f, false);
    await expectS3Error(putSseC(http, bucket, 'over-http'), { code: 'InvalidRequest', status: 400 });
    // Raw, since the SDK computes the key MD5 itself.
    const headers = { ...sseCHeaders(customer), 'x-amz-server-side-encryption-customer-key-md5': customerKey().md5 };
    const res = await sendSigned(f, { secure: true, method: 'PUT', path: objectPath(bucket, 'bad-md5'), headers, body: 'x' });
    expectRawError(res, { code: 'InvalidArgument', status: 400, message: 'The calculated MD5 hash of the key did not match the hash that was provided.' });
  });

  it('refuses an unknown EncryptionType with MalformedXML and leaves the bucket as it was', async () => {
    const bucket = await createBucket(s3, 'block-malformed');
    await putEncryption(s3, bucket, block('SSE-C'));
    await expectS3Error(putEncryption(s3, bucket, block('SSE-KMS')), { code: 'MalformedXML', status: 400 });
    expect(await blockedTypes(s3, bucket)).toEqual(['SSE-C']);
  });
});

describe('what a blocked bucket still serves', () => {
  it('existing SSE-C objects read back with their key (GET, HEAD, as a copy source to a non-SSE-C copy)', async () => {
    const bucket = await createBucket(s3, 'block-reads');
    await putSseC(s3, bucket, 'old');
    await putEncryption(s3, bucket, block('SSE-C'));
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'old', ...sseC(customer) }));
    expect([(await bodyOf(got)).toString(), got.SSECustomerKeyMD5]).toEqual(['sse-c old', customer.md5]);
    expect((await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'old', ...sseC(customer) }))).ContentLength).toBe(9);
    const copy = await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'decrypted-copy', CopySource: `${bucket}/old`, ...copySourceSseC(customer) }));
    expect(copy.ServerSideEncryption).toBe('AES256');
    expect((await bodyOf(await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'decrypted-copy' })))).toString()).toBe('sse-c old');
    // Rotating the SSE-C key by copying onto itself is a new SSE-C write, so it is refused.
    const next = customerKey();
    await expectS3Error(
      s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'old', CopySource: `${bucket}/old`, ...copySourceSseC(customer), ...sseC(next) })),
      blocked(f, bucket, 'old', 's3:CopyObject'),
    );
  });

  it('an SSE-C upload begun before the block: UploadPart, UploadPartCopy and Complete are refused, ListParts and Abort work', async () => {
    const bucket = await createBucket(s3, 'block-mpu');
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'plain', Body: 'copy me' }));
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'customer', ...sseC(customer) }));
    const one = await s3.send(new UploadPartCommand({ Bucket: bucket, Key: 'customer', UploadId, PartNumber: 1, Body: 'one', ...sseC(customer) }));
    await putEncryption(s3, bucket, block('SSE-C'));
    const refused = blocked(f, bucket, 'customer');
    await expectS3Error(s3.send(new UploadPartCommand({ Bucket: bucket, Key: 'customer', UploadId, PartNumber: 2, Body: 'two', ...sseC(customer) })), refused);
    await expectS3Error(
      s3.send(new UploadPartCopyCommand({ Bucket: bucket, Key: 'customer', UploadId, PartNumber: 2, CopySource: `${bucket}/plain`, ...sseC(customer) })),
      refused,
    );
    await expectS3Error(
      s3.send(
        new CompleteMultipartUploadCommand({
          Bucket: bucket,
          Key: 'customer',
          UploadId,
          MultipartUpload: { Parts: [{ PartNumber: 1, ETag: one.ETag }] },
          ...sseC(customer),
        }),
      ),
      refused,
    );
    const parts = await s3.send(new ListPartsCommand({ Bucket: bucket, Key: 'customer', UploadId }));
    expect(parts.Parts?.map((p) => p.PartNumber)).toEqual([1]);
    const aborted = await s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: 'customer', UploadId }));
    expect(aborted.$metadata.httpStatusCode).toBe(204);
    await expectS3Error(s3.send(new ListPartsCommand({ Bucket: bucket, Key: 'customer', UploadId })), { code: 'NoSuchUpload', status: 404 });
  });
});

describe('lifting and keeping the block', () => {
  it('NONE unblocks; a document without the element keeps the block; DeleteBucketEncryption keeps it too', async () => {
    const bucket = await createBucket(s3, 'block-lifecycle');
    await putEncryption(s3, bucket, block('SSE-C'));
    await putEncryption(s3, bucket, block('NONE'));
    expect(await blockedTypes(s3, bucket)).toEqual(['NONE']);
    await putSseC(s3, bucket, 'while-open');
    await putEncryption(s3, bucket, block('SSE-C'));
    // Omitted: the rule changes, the block stays (hashicorp/terraform-provider-aws#47320).
    await putEncryption(s3, bucket, { ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' } });
    expect(await ruleOf(s3, bucket)).toEqual({
      ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' },
      BucketKeyEnabled: false,
      BlockedEncryptionTypes: { EncryptionType: ['SSE-C'] },
    });
    await expectS3Error(putSseC(s3, bucket, 'after-omitted'), blocked(f, bucket, 'after-omitted'));
    // Delete resets the rule to the SSE-S3 base, not the block.
    expect((await s3.send(new DeleteBucketEncryptionCommand({ Bucket: bucket }))).$metadata.httpStatusCode).toBe(204);
    expect(await ruleOf(s3, bucket)).toEqual({
      ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' },
      BucketKeyEnabled: false,
      BlockedEncryptionTypes: { EncryptionType: ['SSE-C'] },
    });
    await expectS3Error(putSseC(s3, bucket, 'after-delete'), blocked(f, bucket, 'after-delete'));
    // An omitted element on a bucket that is not blocked does not block it either.
    await putEncryption(s3, bucket, block('NONE'));
    await putEncryption(s3, bucket, { ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } });
    expect(await blockedTypes(s3, bucket)).toEqual(['NONE']);
    await putSseC(s3, bucket, 'reopened');
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'while-open', ...sseC(customer) }));
    expect((await bodyOf(got)).toString()).toBe('sse-c while-open');
  });
});

describe('a store started with blockSseCOnNewBuckets', () => {
  let blocking: StoreFixture;
  beforeAll(async () => {
    blocking = await startStoreFixture({ blockSseCOnNewBuckets: true });
  });
  afterAll(async () => {
    await blocking?.close();
  });

  it('creates buckets with SSE-C blocked until NONE unblocks them', async () => {
    const client = onceClient(blocking, true);
    const bucket = await createBucket(client, 'born-blocked');
    expect(await blockedTypes(client, bucket)).toEqual(['SSE-C']);
    await expectS3Error(putSseC(client, bucket, 'first'), blocked(blocking, bucket, 'first'));
    expect((await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'plain', Body: 'ok' }))).ServerSideEncryption).toBe('AES256');
    await putEncryption(client, bucket, block('NONE'));
    await putSseC(client, bucket, 'second');
    expect((await bodyOf(await client.send(new GetObjectCommand({ Bucket: bucket, Key: 'second', ...sseC(customer) })))).toString()).toBe('sse-c second');
  });
});

describe('a store.db written before buckets had policies and blocked types (migration 0002)', () => {
  let upgraded: StoreFixture | undefined;
  let dataDir: string | undefined;
  afterAll(async () => {
    await upgraded?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('opens with its buckets unblocked and without policies, even when new buckets are born blocked', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'coffer-pre-0002-'));
    const old = openDatabase(join(dataDir, STORE_DB_FILE), { migrations: [initialSchema] });
    old.prepare('INSERT INTO buckets (name, created_at, encryption) VALUES (?, ?, NULL)').run('older-bucket', Date.now());
    expect(old.pragma('user_version', { simple: true })).toBe(1);
    old.close();

    upgraded = await startStoreFixture({ dataDir, blockSseCOnNewBuckets: true });
    const client = onceClient(upgraded, true);
    expect(await blockedTypes(client, 'older-bucket')).toEqual(['NONE']);
    await expectS3Error(client.send(new GetBucketPolicyCommand({ Bucket: 'older-bucket' })), { code: 'NoSuchBucketPolicy', status: 404 });
    await putSseC(client, 'older-bucket', 'still-allowed');
    const fresh = await createBucket(client, 'after-upgrade');
    expect(await blockedTypes(client, fresh)).toEqual(['SSE-C']);
  });
});
