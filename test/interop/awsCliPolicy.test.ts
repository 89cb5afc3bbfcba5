// Interoperability with Debian's aws-cli 2.x (/usr/bin/aws) under bucket policies that enforce encryption, single and multipart uploads.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KeyMetadata } from '../../main/core/keys/kms/index.js';
import { AWS_CLI, KiB, MiB, createClientSandbox, md5Hex, type ClientSandbox } from '../support/clientSandbox.js';
import { SSE_KMS_KEY_ID_KEY, denyPut, denyUnencrypted, policyDocument } from '../support/policySupport.js';
import { describeRun, runTool, type ToolResult } from '../support/runTool.js';
import { startStoreFixture, type StoreFixture } from '../support/storeFixture.js';

const SLOW = { timeout: 600_000 };
/** Above the 8 MB threshold configured below: three parts of 5 MiB, 5 MiB and 2 MiB. */
const BIG_BYTES = 12 * MiB;

let f: StoreFixture;
let box: ClientSandbox;
let small: { path: string; data: Buffer };
let big: { path: string; data: Buffer };
let allowed: KeyMetadata;
let other: KeyMetadata;

function aws(endpoint: 'http' | 'https', args: readonly string[]): Promise<ToolResult> {
  const url = endpoint === 'https' ? f.httpsUrl : f.httpUrl;
  const tls = endpoint === 'https' ? ['--ca-bundle', box.caFile] : [];
  return runTool(AWS_CLI, ['--endpoint-url', url, ...tls, '--output', 'json', ...args], { env: box.awsEnv(), cwd: box.dir });
}

async function ok(run: Promise<ToolResult>): Promise<ToolResult> {
  const result = await run;
  expect(result.code, describeRun(result)).toBe(0);
  return result;
}

/** The command failed because the store answered 403 AccessDenied "Access Denied". */
async function denied(run: Promise<ToolResult>): Promise<void> {
  const result = await run;
  expect(result.code, 'the command should have failed').not.toBe(0);
  expect(result.stderr).toMatch(/\(AccessDenied\)[^\n]*: Access Denied/);
}

async function head(endpoint: 'http' | 'https', bucket: string, key: string): Promise<Record<string, unknown>> {
  return JSON.parse((await ok(aws(endpoint, ['s3api', 'head-object', '--bucket', bucket, '--key', key]))).stdout) as Record<string, unknown>;
}

async function putPolicyFile(endpoint: 'http' | 'https', bucket: string, text: string): Promise<void> {
  const file = box.write(`policies/${bucket}.json`, text);
  await ok(aws(endpoint, ['s3api', 'put-bucket-policy', '--bucket', bucket, '--policy', `file://${file}`]));
}

async function expectDownload(endpoint: 'http' | 'https', bucket: string, key: string, data: Buffer): Promise<void> {
  const target = box.path(`down/${bucket}-${key}`);
  await ok(aws(endpoint, ['s3', 'cp', `s3://${bucket}/${key}`, target, '--only-show-errors']));
  expect(md5Hex(readFileSync(target)), `${bucket}/${key} round trip`).toBe(md5Hex(data));
}

async function listed(endpoint: 'http' | 'https', bucket: string): Promise<string[]> {
  const out = JSON.parse((await ok(aws(endpoint, ['s3api', 'list-objects-v2', '--bucket', bucket]))).stdout || '{}') as { Contents?: { Key: string }[] };
  return (out.Contents ?? []).map((o) => o.Key);
}

beforeAll(async () => {
  f = await startStoreFixture();
  box = createClientSandbox(f.caCert);
  small = box.randomFile('up/small.bin', 100 * KiB);
  big = box.randomFile('up/big.bin', BIG_BYTES);
  allowed = f.store.services.kms.createKey({ alias: 'alias/cli-allowed', description: 'the key the policy allows' });
  other = f.store.services.kms.createKey({ alias: 'alias/cli-other', description: 'any other key' });
  const env = box.awsEnv();
  for (const [name, value] of [['multipart_threshold', '8MB'], ['multipart_chunksize', '5MB']] as const) {
    const set = await runTool(AWS_CLI, ['configure', 'set', `default.s3.${name}`, value], { env });
    expect(set.code, describeRun(set)).toBe(0);
  }
}, 120_000);

afterAll(async () => {
  box?.cleanup();
  await f?.close();
});

describe('aws cli under a policy denying unencrypted PUTs', () => {
  it('s3api put-bucket-policy stores the policy; s3 cp without --sse is AccessDenied, with --sse AES256 it succeeds, multipart included', SLOW, async () => {
    const bucket = 'cli-policy-unencrypted';
    await ok(aws('http', ['s3', 'mb', `s3://${bucket}`]));
    const text = policyDocument(denyUnencrypted(bucket));
    await putPolicyFile('http', bucket, text);
    const got = JSON.parse((await ok(aws('http', ['s3api', 'get-bucket-policy', '--bucket', bucket]))).stdout) as { Policy: string };
    expect(got.Policy).toBe(text);

    await denied(aws('http', ['s3', 'cp', small.path, `s3://${bucket}/small-plain`]));
    await denied(aws('http', ['s3', 'cp', big.path, `s3://${bucket}/big-plain`]));
    await ok(aws('http', ['s3', 'cp', small.path, `s3://${bucket}/small`, '--sse', 'AES256', '--only-show-errors']));
    // The parts and the completion carry no SSE header: they pass because the upload was created with AES256.
    await ok(aws('http', ['s3', 'cp', big.path, `s3://${bucket}/big`, '--sse', 'AES256', '--only-show-errors']));

    const bigHead = await head('http', bucket, 'big');
    expect([bigHead.ServerSideEncryption, bigHead.ContentLength]).toEqual(['AES256', BIG_BYTES]);
    expect(bigHead.ETag).toMatch(/^"[0-9a-f]{32}-3"$/);
    expect((await head('http', bucket, 'small')).ETag).toBe(`"${md5Hex(small.data)}"`);
    expect(await listed('http', bucket)).toEqual(['big', 'small']);
    // The denied multipart attempt left no upload behind.
    const uploads = JSON.parse((await ok(aws('http', ['s3api', 'list-multipart-uploads', '--bucket', bucket]))).stdout || '{}') as { Uploads?: unknown[] };
    expect(uploads.Uploads ?? []).toEqual([]);
    await expectDownload('http', bucket, 'small', small.data);
    await expectDownload('http', bucket, 'big', big.data);

    await ok(aws('http', ['s3api', 'delete-bucket-policy', '--bucket', bucket]));
    await ok(aws('http', ['s3', 'cp', small.path, `s3://${bucket}/small-plain`, '--only-show-errors']));
  });
});

describe('aws cli under a policy allowing one KMS key', () => {
  it('s3 cp --sse aws:kms with the allowed key by alias succeeds (single and multipart); another key is AccessDenied', SLOW, async () => {
    const bucket = 'cli-policy-kms-key';
    await ok(aws('https', ['s3', 'mb', `s3://${bucket}`]));
    await putPolicyFile('https', bucket, policyDocument(denyPut(bucket, { StringNotEquals: { [SSE_KMS_KEY_ID_KEY]: allowed.arn } }, 'OnlyTheAllowedKey')));
    const kms = (keyId: string): string[] => ['--sse', 'aws:kms', '--sse-kms-key-id', keyId, '--only-show-errors'];

    await ok(aws('https', ['s3', 'cp', small.path, `s3://${bucket}/small`, ...kms('alias/cli-allowed')]));
    await ok(aws('https', ['s3', 'cp', big.path, `s3://${bucket}/big`, ...kms('alias/cli-allowed')]));
    for (const key of ['small', 'big']) {
      const h = await head('https', bucket, key);
      expect([h.ServerSideEncryption, h.SSEKMSKeyId], key).toEqual(['aws:kms', allowed.arn]);
    }
    await denied(aws('https', ['s3', 'cp', small.path, `s3://${bucket}/other-alias`, ...kms('alias/cli-other')]));
    await denied(aws('https', ['s3', 'cp', big.path, `s3://${bucket}/other-arn`, ...kms(other.arn)]));
    await denied(aws('https', ['s3', 'cp', small.path, `s3://${bucket}/aes`, '--sse', 'AES256']));
    expect(await listed('https', bucket)).toEqual(['big', 'small']);
    await expectDownload('https', bucket, 'small', small.data);
    await expectDownload('https', bucket, 'big', big.data);
  });
});
