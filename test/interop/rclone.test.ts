// Interoperability with Debian's rclone 1.60 (/usr/bin/rclone): SSE-C and SSE-S3 remotes, multipart, check, server-side copy, delete.
import { createHash } from 'node:crypto';
import { HeadObjectCommand, ListBucketsCommand, PutBucketEncryptionCommand, PutObjectCommand, S3ServiceException } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KiB, MiB, RCLONE, createClientSandbox, keyMd5Base64, md5Hex, type ClientSandbox } from '../support/clientSandbox.js';
import { describeRun, runTool, type ToolResult } from '../support/runTool.js';
import { TEST_CREDENTIALS, startStoreFixture, type StoreFixture } from '../support/storeFixture.js';

/** Relative path -> size; 9 and 12 MiB are multipart at rclone's 5 MiB cutoff (2 and 3 parts). */
const TREE = { 'empty.bin': 0, 'byte.bin': 1, 'dir/small.bin': 100 * KiB, 'dir/sub/nine.bin': 9 * MiB, 'twelve.bin': 12 * MiB } as const;
type TreeName = keyof typeof TREE;
const NAMES = Object.keys(TREE) as TreeName[];
const RAW_KEY = 'rclone-interop-raw-key-32-chars!';
/** Small parts so the multipart path runs, and no retries that could hide a failing request. */
const FLAGS = ['--s3-upload-cutoff', '5M', '--s3-chunk-size', '5M', '--retries', '1', '--low-level-retries', '1', '--stats', '0'];
const SLOW = { timeout: 600_000 };

let f: StoreFixture;
let box: ClientSandbox;
let key: Buffer;
let configFile: string;
const data = new Map<TreeName, Buffer>();

function rclone(args: readonly string[]): Promise<ToolResult> {
  // Debian's rclone 1.60 cannot build an S3 remote while AWS_CA_BUNDLE is set: the sandbox env never has it.
  const env = box.baseEnv();
  expect(env.AWS_CA_BUNDLE).toBeUndefined();
  return runTool(RCLONE, ['--config', configFile, '--ca-cert', box.caFile, ...FLAGS, ...args], {
    env,
    cwd: box.dir,
    redact: [RAW_KEY, key.toString('base64'), TEST_CREDENTIALS.secretAccessKey],
  });
}

async function ok(run: Promise<ToolResult>): Promise<ToolResult> {
  const result = await run;
  expect(result.code, describeRun(result)).toBe(0);
  return result;
}

/** `rclone ls` lines ("   12345 path") as path -> size. */
function listing(stdout: string): Record<string, number> {
  const entries: Record<string, number> = {};
  for (const line of stdout.split('\n')) {
    const m = /^\s*(\d+) (.+)$/.exec(line);
    if (m) entries[m[2]!] = Number(m[1]);
  }
  return entries;
}

/** `rclone check --combined -` lines ("= path" same, "* path" differs, "+"/"-" on one side only) as path -> mark. */
function combined(stdout: string): Record<string, string> {
  const entries: Record<string, string> = {};
  for (const line of stdout.split('\n')) {
    const m = /^([=*+!-]) (.+)$/.exec(line);
    if (m) entries[m[2]!] = m[1]!;
  }
  return entries;
}

const ALL_SAME = Object.fromEntries(NAMES.map((n) => [n, '=']));

/** `rclone md5sum` lines as path -> hex MD5, or '' where rclone has no hash for the object. */
function md5sums(stdout: string): Record<string, string> {
  const entries: Record<string, string> = {};
  for (const line of stdout.split('\n')) {
    const m = /^([0-9a-f]{32}| {32})  (.+)$/.exec(line);
    if (m) entries[m[2]!] = m[1]!.trim();
  }
  return entries;
}

function expectSameTree(dir: string, names: readonly TreeName[] = NAMES): void {
  for (const name of names) expect(box.read(`${dir}/${name}`).equals(data.get(name)!), `${dir}/${name} differs`).toBe(true);
}

async function headStatus(command: HeadObjectCommand, secure = true): Promise<number> {
  try {
    await (secure ? f.https : f.http).send(command);
    return 200;
  } catch (err) {
    if (err instanceof S3ServiceException) return err.$metadata.httpStatusCode ?? 0;
    throw err;
  }
}

/** The SDK takes the key as base64 text and adds its MD5 itself. */
const withKey = (k: Buffer) => ({ SSECustomerAlgorithm: 'AES256', SSECustomerKey: k.toString('base64') });

beforeAll(async () => {
  f = await startStoreFixture();
  box = createClientSandbox(f.caCert);
  key = box.randomFile('key.bin', 32).data;
  for (const name of NAMES) data.set(name, box.randomFile(`src/${name}`, TREE[name]).data);
  const remote = (name: string, endpoint: string, extra: Record<string, string>): string =>
    [
      `[${name}]`,
      'type = s3',
      'provider = Other',
      `access_key_id = ${TEST_CREDENTIALS.accessKeyId}`,
      `secret_access_key = ${TEST_CREDENTIALS.secretAccessKey}`,
      'region = us-east-1',
      `endpoint = ${endpoint}`,
      'force_path_style = true',
      ...Object.entries(extra).map(([k, v]) => `${k} = ${v}`),
      '',
    ].join('\n');
  configFile = box.write(
    'rclone.conf',
    [
      remote('sse-c', f.httpsUrl, { sse_customer_algorithm: 'AES256', sse_customer_key_base64: key.toString('base64') }),
      remote('sse-c-raw', f.httpsUrl, { sse_customer_algorithm: 'AES256', sse_customer_key: RAW_KEY }),
      remote('sse-s3', f.httpUrl, { server_side_encryption: 'AES256' }),
      remote('plain-tls', f.httpsUrl, {}),
    ].join('\n'),
  );
}, 120_000);

afterAll(async () => {
  box?.cleanup();
  await f?.close();
});

describe('rclone against the embedded store', () => {
  it('SSE-C remote (sse_customer_key_base64) over HTTPS: copy up, multipart, ls, copy down byte for byte', SLOW, async () => {
    await ok(rclone(['mkdir', 'sse-c:rc-sse-c']));
    await ok(rclone(['copy', box.path('src'), 'sse-c:rc-sse-c/tree']));
    expect(listing((await ok(rclone(['ls', 'sse-c:rc-sse-c/tree']))).stdout)).toEqual(TREE);
    // The objects really are SSE-C under this key, and the big ones really went up in 5 MiB parts.
    const head = await f.https.send(new HeadObjectCommand({ Bucket: 'rc-sse-c', Key: 'tree/twelve.bin', ...withKey(key) }));
    expect(head.SSECustomerKeyMD5).toBe(keyMd5Base64(key));
    expect(head.ETag).toMatch(/-3"$/);
    expect((await f.https.send(new HeadObjectCommand({ Bucket: 'rc-sse-c', Key: 'tree/dir/sub/nine.bin', ...withKey(key) }))).ETag).toMatch(/-2"$/);
    expect(await headStatus(new HeadObjectCommand({ Bucket: 'rc-sse-c', Key: 'tree/byte.bin' }))).toBe(400);
    expect(await headStatus(new HeadObjectCommand({ Bucket: 'rc-sse-c', Key: 'tree/byte.bin', ...withKey(Buffer.alloc(32, 1)) }))).toBe(403);
    await ok(rclone(['copy', 'sse-c:rc-sse-c/tree', box.path('sse-c-down')]));
    expectSameTree('sse-c-down');
  });

  it('SSE-C: rclone check works from its own md5chksum metadata and with --download, and catches a changed file', SLOW, async () => {
    await ok(rclone(['mkdir', 'sse-c:rc-check']));
    await ok(rclone(['copy', box.path('src'), 'sse-c:rc-check/tree']));
    // SSE-C ETags are not MD5s; rclone 1.60 ignores them and reads the MD5 it stored as X-Amz-Meta-Md5chksum.
    const sums = md5sums((await ok(rclone(['md5sum', 'sse-c:rc-check/tree']))).stdout);
    expect(sums).toEqual(Object.fromEntries(NAMES.map((n) => [n, md5Hex(data.get(n)!)])));
    const byHash = await ok(rclone(['check', '--combined', '-', box.path('src'), 'sse-c:rc-check/tree']));
    expect(combined(byHash.stdout)).toEqual(ALL_SAME);
    expect(byHash.stderr).toMatch(/0 differences found/);
    expect(byHash.stderr).not.toMatch(/could not be checked/);
    const byContent = await ok(rclone(['check', '--download', '--combined', '-', box.path('src'), 'sse-c:rc-check/tree']));
    expect(combined(byContent.stdout)).toEqual(ALL_SAME);
    // Same size, one byte different: both kinds of check must notice.
    const changed = Buffer.from(data.get('dir/small.bin')!);
    changed[changed.length >> 1]! ^= 0xff;
    for (const name of NAMES) box.write(`changed/${name}`, name === 'dir/small.bin' ? changed : data.get(name)!);
    for (const mode of [[], ['--download']]) {
      const check = await rclone(['check', ...mode, '--combined', '-', box.path('changed'), 'sse-c:rc-check/tree']);
      expect(check.code, `check ${mode.join(' ')} should fail`).not.toBe(0);
      expect(combined(check.stdout)).toEqual({ ...ALL_SAME, 'dir/small.bin': '*' });
      expect(check.stderr).toMatch(/1 differences found/);
    }
  });

  it('SSE-C objects written by another client (no rclone metadata): no hash, plain copy down and check --download work', SLOW, async () => {
    await ok(rclone(['mkdir', 'sse-c:rc-foreign']));
    for (const name of ['dir/small.bin', 'twelve.bin'] as const) {
      await f.https.send(new PutObjectCommand({ Bucket: 'rc-foreign', Key: name, Body: data.get(name)!, ...withKey(key) }));
    }
    // The opaque ETag is not mistaken for an MD5 (rclone#1824 "corrupted on transfer").
    expect(md5sums((await ok(rclone(['md5sum', 'sse-c:rc-foreign']))).stdout)).toEqual({ 'dir/small.bin': '', 'twelve.bin': '' });
    await ok(rclone(['copy', 'sse-c:rc-foreign', box.path('foreign-down')]));
    expectSameTree('foreign-down', ['dir/small.bin', 'twelve.bin']);
    const check = await ok(rclone(['check', '--download', '--combined', '-', box.path('foreign-down'), 'sse-c:rc-foreign']));
    expect(combined(check.stdout)).toEqual({ 'dir/small.bin': '=', 'twelve.bin': '=' });
    // Without --download there is nothing to compare but sizes, and rclone says so.
    expect((await ok(rclone(['check', box.path('foreign-down'), 'sse-c:rc-foreign']))).stderr).toMatch(/2 hashes could not be checked/);
  });

  it('SSE-C remote with a raw 32-character sse_customer_key: the key is its ASCII bytes', SLOW, async () => {
    await ok(rclone(['mkdir', 'sse-c-raw:rc-raw']));
    await ok(rclone(['copy', box.path('src'), 'sse-c-raw:rc-raw/tree', '--include', '{dir/small.bin,twelve.bin}']));
    const ascii = Buffer.from(RAW_KEY, 'ascii');
    const head = await f.https.send(new HeadObjectCommand({ Bucket: 'rc-raw', Key: 'tree/twelve.bin', ...withKey(ascii) }));
    expect(head.SSECustomerKeyMD5).toBe(keyMd5Base64(ascii));
    expect(head.ContentLength).toBe(TREE['twelve.bin']);
    await ok(rclone(['copy', 'sse-c-raw:rc-raw/tree', box.path('raw-down')]));
    expectSameTree('raw-down', ['dir/small.bin', 'twelve.bin']);
  });

  it('SSE-C server-side copy (CopyObject with copy-source key) between paths', SLOW, async () => {
    await ok(rclone(['mkdir', 'sse-c:rc-copy']));
    await ok(rclone(['copy', box.path('src'), 'sse-c:rc-copy/a', '--include', '{dir/small.bin,twelve.bin}']));
    const copied = await ok(rclone(['copy', 'sse-c:rc-copy/a', 'sse-c:rc-copy/b', '-v']));
    expect(copied.stderr.match(/Copied \(server-side copy\)/g)).toHaveLength(2);
    await ok(rclone(['copy', 'sse-c:rc-copy/b', box.path('copy-down')]));
    expectSameTree('copy-down', ['dir/small.bin', 'twelve.bin']);
  });

  it('SSE-S3 remote (server_side_encryption = AES256) over HTTP: copy up and down, MD5s, check', SLOW, async () => {
    await ok(rclone(['mkdir', 'sse-s3:rc-sse-s3']));
    await ok(rclone(['copy', box.path('src'), 'sse-s3:rc-sse-s3/tree']));
    expect(listing((await ok(rclone(['ls', 'sse-s3:rc-sse-s3/tree']))).stdout)).toEqual(TREE);
    const head = await f.http.send(new HeadObjectCommand({ Bucket: 'rc-sse-s3', Key: 'tree/dir/small.bin' }));
    expect(head.ServerSideEncryption).toBe('AES256');
    expect(head.ETag).toBe(`"${md5Hex(data.get('dir/small.bin')!)}"`);
    // Multipart: MD5 of the three part MD5s, as S3 computes it; rclone verifies it after the upload.
    const twelve = data.get('twelve.bin')!;
    const partMd5s = [0, 1, 2].map((i) => createHash('md5').update(twelve.subarray(i * 5 * MiB, (i + 1) * 5 * MiB)).digest());
    const multipart = await f.http.send(new HeadObjectCommand({ Bucket: 'rc-sse-s3', Key: 'tree/twelve.bin' }));
    expect(multipart.ETag).toBe(`"${createHash('md5').update(Buffer.concat(partMd5s)).digest('hex')}-3"`);
    expect(md5sums((await ok(rclone(['md5sum', 'sse-s3:rc-sse-s3/tree']))).stdout)).toEqual(Object.fromEntries(NAMES.map((n) => [n, md5Hex(data.get(n)!)])));
    expect(combined((await ok(rclone(['check', '--combined', '-', box.path('src'), 'sse-s3:rc-sse-s3/tree']))).stdout)).toEqual(ALL_SAME);
    await ok(rclone(['copy', 'sse-s3:rc-sse-s3/tree', box.path('sse-s3-down')]));
    expectSameTree('sse-s3-down');
  });

  it('a PUT refused from its headers alone reaches rclone as the S3 error, not a broken connection', SLOW, async () => {
    await ok(rclone(['mkdir', 'sse-s3:rc-refused']));
    // A bucket default naming a KMS key that does not exist makes every plain PUT a refusal decided from its headers.
    const rules = [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' as const, KMSMasterKeyID: 'fake-key-id' } }];
    await f.http.send(new PutBucketEncryptionCommand({ Bucket: 'rc-refused', ServerSideEncryptionConfiguration: { Rules: rules } }));
    for (const name of ['byte.bin', 'dir/small.bin'] as const) {
      const put = await rclone(['copyto', box.path(`src/${name}`), `plain-tls:rc-refused/${name}`]);
      expect(put.code).not.toBe(0);
      expect(put.stderr).toMatch(/KMS\.NotFoundException: Invalid keyId 'fake-key-id'/);
    }
  });

  it('delete removes every object (SSE-C needs no key for it) and rmdir the bucket', SLOW, async () => {
    await ok(rclone(['mkdir', 'sse-c:rc-delete']));
    await ok(rclone(['copy', box.path('src'), 'sse-c:rc-delete/tree']));
    await ok(rclone(['delete', 'sse-c:rc-delete']));
    expect((await ok(rclone(['ls', 'sse-c:rc-delete']))).stdout.trim()).toBe('');
    await ok(rclone(['rmdir', 'sse-c:rc-delete']));
    const buckets = await f.https.send(new ListBucketsCommand({}));
    expect((buckets.Buckets ?? []).map((b) => b.Name)).not.toContain('rc-delete');
  });
});
