// Interoperability with Debian's aws-cli 2.x (/usr/bin/aws): SSE-S3, SSE-KMS and SSE-C round trips, multipart, sync, listings, bucket encryption, key rotation.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AWS_CLI, KiB, MiB, createClientSandbox, keyMd5Base64, md5Hex, type ClientSandbox } from '../support/clientSandbox.js';
import { describeRun, runTool, type ToolResult } from '../support/runTool.js';
import { startStoreFixture, type StoreFixture } from '../support/storeFixture.js';

const SIZES = { empty: 0, byte: 1, small: 100 * KiB, nine: 9 * MiB, twenty: 20 * MiB } as const;
type SizeName = keyof typeof SIZES;
const NAMES = Object.keys(SIZES) as SizeName[];
/** Written into the sandbox config with `aws configure set`; 20 MiB then goes up in 4 parts, not the default 3. */
const PART_BYTES = 5 * MiB;
/** A raw `--sse-c-key` string: aws cli uses its 32 ASCII bytes as the key. */
const RAW_KEY = 'coffer-interop-raw-key-32-chars!';
const SLOW = { timeout: 600_000 };

let f: StoreFixture;
let box: ClientSandbox;
const data = new Map<SizeName, Buffer>();
let keyA: Buffer;
let keyB: Buffer;
let keyAFile: string;
let keyBFile: string;

function aws(endpoint: 'http' | 'https', args: readonly string[]): Promise<ToolResult> {
  const url = endpoint === 'https' ? f.httpsUrl : f.httpUrl;
  const tls = endpoint === 'https' ? ['--ca-bundle', box.caFile] : [];
  return runTool(AWS_CLI, ['--endpoint-url', url, ...tls, '--output', 'json', ...args], {
    env: box.awsEnv(),
    cwd: box.dir,
    redact: [RAW_KEY, keyA.toString('base64'), keyB.toString('base64')],
  });
}

async function ok(run: Promise<ToolResult>): Promise<ToolResult> {
  const result = await run;
  expect(result.code, describeRun(result)).toBe(0);
  return result;
}

async function fails(run: Promise<ToolResult>, stderrPattern: RegExp): Promise<ToolResult> {
  const result = await run;
  expect(result.code, 'the command should have failed').not.toBe(0);
  expect(result.stderr).toMatch(stderrPattern);
  return result;
}

async function json(run: Promise<ToolResult>): Promise<Record<string, unknown>> {
  return JSON.parse((await ok(run)).stdout) as Record<string, unknown>;
}

const sseC = (keyArg: string): string[] => ['--sse-c', 'AES256', '--sse-c-key', keyArg];
const headKey = (keyArg: string): string[] => ['--sse-customer-algorithm', 'AES256', '--sse-customer-key', keyArg];

/** `aws s3 ls` lines ("2026-01-01 00:00:00      1234 key") as key -> size. */
function listing(stdout: string): Map<string, number> {
  const entries = new Map<string, number>();
  for (const line of stdout.split('\n')) {
    const m = /^\S+ \S+\s+(\d+) (.+)$/.exec(line);
    if (m) entries.set(m[2]!, Number(m[1]));
  }
  return entries;
}

/** The multipart ETag S3 gives SSE-S3 objects: MD5 of the concatenated part MD5s, '-' and the part count. */
function multipartEtag(body: Buffer, partBytes: number): string {
  const outer = createHash('md5');
  let parts = 0;
  for (let at = 0; at < body.length; at += partBytes, parts++) outer.update(createHash('md5').update(body.subarray(at, at + partBytes)).digest());
  return `${outer.digest('hex')}-${parts}`;
}

function download(name: string): Buffer {
  return box.read(join('down', name));
}

function filesUnder(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string): void => {
    for (const entry of readdirSync(d)) {
      const full = join(d, entry);
      if (statSync(full).isDirectory()) walk(full);
      else out.set(relative(dir, full), readFileSync(full));
    }
  };
  walk(dir);
  return out;
}

beforeAll(async () => {
  f = await startStoreFixture();
  box = createClientSandbox(f.caCert);
  for (const name of NAMES) data.set(name, box.randomFile(`up/${name}`, SIZES[name]).data);
  ({ data: keyA, path: keyAFile } = box.randomFile('keys/a.bin', 32));
  ({ data: keyB, path: keyBFile } = box.randomFile('keys/b.bin', 32));
  mkdirSync(box.path('down'));
  const env = box.awsEnv();
  for (const [name, value] of [['multipart_threshold', '8MB'], ['multipart_chunksize', '5MB']] as const) {
    const set = await runTool(AWS_CLI, ['configure', 'set', `default.s3.${name}`, value], { env });
    expect(set.code, describeRun(set)).toBe(0);
  }
  expect(readFileSync(env.AWS_CONFIG_FILE!, 'utf8')).toMatch(/multipart_chunksize = 5MB/);
}, 120_000);

afterAll(async () => {
  box?.cleanup();
  await f?.close();
});

describe('aws cli against the embedded store', () => {
  it('s3 mb creates buckets that s3 ls lists, and refuses to create one twice', SLOW, async () => {
    await ok(aws('http', ['s3', 'mb', 's3://aws-buckets-one']));
    await ok(aws('https', ['s3', 'mb', 's3://aws-buckets-two']));
    const names = (await ok(aws('http', ['s3', 'ls']))).stdout;
    expect(names).toMatch(/ aws-buckets-one$/m);
    expect(names).toMatch(/ aws-buckets-two$/m);
    await fails(aws('http', ['s3', 'mb', 's3://aws-buckets-one']), /BucketAlreadyOwnedByYou/);
  });

  it('SSE-S3 over HTTP: s3 cp --sse AES256 up and down, every size byte for byte, with MD5 and multipart ETags', SLOW, async () => {
    await ok(aws('http', ['s3', 'mb', 's3://aws-sse-s3']));
    for (const name of NAMES) await ok(aws('http', ['s3', 'cp', box.path(`up/${name}`), `s3://aws-sse-s3/${name}`, '--sse', 'AES256', '--only-show-errors']));
    const listed = listing((await ok(aws('http', ['s3', 'ls', 's3://aws-sse-s3/']))).stdout);
    expect(Object.fromEntries(listed)).toEqual(SIZES);
    for (const name of NAMES) {
      const head = await json(aws('http', ['s3api', 'head-object', '--bucket', 'aws-sse-s3', '--key', name]));
      expect(head.ServerSideEncryption).toBe('AES256');
      expect(head.ContentLength).toBe(SIZES[name]);
      // 9 and 20 MiB are above the 8 MB threshold: 2 and 4 parts of 5 MiB, as configured.
      const body = data.get(name)!;
      const etag = body.length > 8 * MiB ? multipartEtag(body, PART_BYTES) : md5Hex(body);
      expect(head.ETag).toBe(`"${etag}"`);
    }
    for (const name of NAMES) {
      await ok(aws('http', ['s3', 'cp', `s3://aws-sse-s3/${name}`, box.path(`down/s3-${name}`), '--only-show-errors']));
      expect(download(`s3-${name}`).equals(data.get(name)!), `${name} differs after the round trip`).toBe(true);
    }
  });

  it('SSE-C over HTTPS with --sse-c-key fileb://: every size round-trips; HEAD needs the key (400 without, 403 with another)', SLOW, async () => {
    await ok(aws('https', ['s3', 'mb', 's3://aws-sse-c']));
    for (const name of NAMES) {
      await ok(aws('https', ['s3', 'cp', box.path(`up/${name}`), `s3://aws-sse-c/${name}`, ...sseC(`fileb://${keyAFile}`), '--only-show-errors']));
    }
    expect(Object.fromEntries(listing((await ok(aws('https', ['s3', 'ls', 's3://aws-sse-c/']))).stdout))).toEqual(SIZES);
    for (const name of NAMES) {
      const head = await json(aws('https', ['s3api', 'head-object', '--bucket', 'aws-sse-c', '--key', name, ...headKey(`fileb://${keyAFile}`)]));
      expect(head.SSECustomerAlgorithm).toBe('AES256');
      expect(head.SSECustomerKeyMD5).toBe(keyMd5Base64(keyA));
      expect(head.ServerSideEncryption).toBeUndefined();
      expect(head.ContentLength).toBe(SIZES[name]);
      // SSE-C ETags never reveal the plaintext MD5 (S3-SSE.md 4.7); multipart keeps its part count.
      expect(head.ETag).not.toBe(`"${md5Hex(data.get(name)!)}"`);
      if (SIZES[name] > 8 * MiB) expect(head.ETag).toMatch(SIZES[name] === 20 * MiB ? /-4"$/ : /-2"$/);
    }
    for (const name of NAMES) {
      await ok(aws('https', ['s3', 'cp', `s3://aws-sse-c/${name}`, box.path(`down/c-${name}`), ...sseC(`fileb://${keyAFile}`), '--only-show-errors']));
      expect(download(`c-${name}`).equals(data.get(name)!), `${name} differs after the round trip`).toBe(true);
    }
    await fails(aws('https', ['s3api', 'head-object', '--bucket', 'aws-sse-c', '--key', 'small']), /\(400\) when calling the HeadObject operation/);
    await fails(aws('https', ['s3api', 'head-object', '--bucket', 'aws-sse-c', '--key', 'small', ...headKey(`fileb://${keyBFile}`)]), /\(403\) when calling the HeadObject operation/);
    await fails(aws('https', ['s3', 'cp', 's3://aws-sse-c/small', box.path('down/c-nokey'), '--only-show-errors']), /\(400\)/);
    await fails(
      aws('https', ['s3api', 'get-object', '--bucket', 'aws-sse-c', '--key', 'small', box.path('down/c-nokey')]),
      /InvalidRequest.*The object was stored using a form of Server Side Encryption/,
    );
  });

  it('SSE-KMS: s3 cp --sse aws:kms --sse-kms-key-id with an alias or a key ARN, every size byte for byte (multipart above 8 MiB); head-object names the key ARN', SLOW, async () => {
    const key = f.store.services.kms.createKey({ description: 'aws cli interop', alias: 'alias/aws-cli' });
    await ok(aws('http', ['s3', 'mb', 's3://aws-sse-kms']));
    for (const [i, name] of NAMES.entries()) {
      const keyId = i % 2 === 0 ? 'alias/aws-cli' : key.arn;
      await ok(aws('http', ['s3', 'cp', box.path(`up/${name}`), `s3://aws-sse-kms/${name}`, '--sse', 'aws:kms', '--sse-kms-key-id', keyId, '--only-show-errors']));
    }
    expect(Object.fromEntries(listing((await ok(aws('http', ['s3', 'ls', 's3://aws-sse-kms/']))).stdout))).toEqual(SIZES);
    for (const name of NAMES) {
      const head = await json(aws('http', ['s3api', 'head-object', '--bucket', 'aws-sse-kms', '--key', name]));
      expect(head).toMatchObject({ ServerSideEncryption: 'aws:kms', SSEKMSKeyId: key.arn, ContentLength: SIZES[name] });
      // SSE-KMS ETags never reveal the plaintext MD5 (S3-SSE.md 3.3); multipart keeps its part count.
      expect(head.ETag).not.toBe(`"${md5Hex(data.get(name)!)}"`);
      expect(head.ETag).toMatch(SIZES[name] === 20 * MiB ? /^"[0-9a-f]{32}-4"$/ : SIZES[name] === 9 * MiB ? /^"[0-9a-f]{32}-2"$/ : /^"[0-9a-f]{32}"$/);
    }
    for (const name of NAMES) {
      await ok(aws('https', ['s3', 'cp', `s3://aws-sse-kms/${name}`, box.path(`down/kms-${name}`), '--only-show-errors']));
      expect(download(`kms-${name}`).equals(data.get(name)!), `${name} differs after the round trip`).toBe(true);
    }
    // No key id: the aws/s3 managed key. An unknown key id: refused, nothing stored.
    await ok(aws('https', ['s3', 'cp', box.path('up/small'), 's3://aws-sse-kms/managed', '--sse', 'aws:kms', '--only-show-errors']));
    const managed = await json(aws('https', ['s3api', 'head-object', '--bucket', 'aws-sse-kms', '--key', 'managed']));
    expect(managed.SSEKMSKeyId).toBe(f.store.services.kms.describeKey({ keyId: 'alias/aws/s3' }).arn);
    await fails(
      aws('http', ['s3', 'cp', box.path('up/small'), 's3://aws-sse-kms/unknown', '--sse', 'aws:kms', '--sse-kms-key-id', 'alias/no-such-key', '--only-show-errors']),
      /KMS\.NotFoundException/,
    );
    await fails(aws('http', ['s3api', 'head-object', '--bucket', 'aws-sse-kms', '--key', 'unknown']), /\(404\)/);
  });

  it('SSE-C with a raw 32-character --sse-c-key string: the key is its ASCII bytes', SLOW, async () => {
    await ok(aws('https', ['s3', 'mb', 's3://aws-raw-key']));
    for (const name of ['small', 'nine'] as const) {
      await ok(aws('https', ['s3', 'cp', box.path(`up/${name}`), `s3://aws-raw-key/${name}`, ...sseC(RAW_KEY), '--only-show-errors']));
    }
    const asciiKeyFile = box.write('keys/raw.bin', RAW_KEY);
    const head = await json(aws('https', ['s3api', 'head-object', '--bucket', 'aws-raw-key', '--key', 'small', ...headKey(RAW_KEY)]));
    expect(head.SSECustomerKeyMD5).toBe(keyMd5Base64(Buffer.from(RAW_KEY, 'ascii')));
    for (const name of ['small', 'nine'] as const) {
      await ok(aws('https', ['s3', 'cp', `s3://aws-raw-key/${name}`, box.path(`down/raw-${name}`), ...sseC(RAW_KEY), '--only-show-errors']));
      expect(download(`raw-${name}`).equals(data.get(name)!)).toBe(true);
      await ok(aws('https', ['s3', 'cp', `s3://aws-raw-key/${name}`, box.path(`down/rawfile-${name}`), ...sseC(`fileb://${asciiKeyFile}`), '--only-show-errors']));
      expect(download(`rawfile-${name}`).equals(data.get(name)!)).toBe(true);
    }
  });

  it('SSE-C over plain HTTP is refused before anything is stored', SLOW, async () => {
    await ok(aws('http', ['s3', 'mb', 's3://aws-insecure']));
    await fails(
      aws('http', ['s3', 'cp', box.path('up/small'), 's3://aws-insecure/small', ...sseC(`fileb://${keyAFile}`), '--only-show-errors']),
      /InvalidRequest.*must be made over a secure connection/,
    );
    await fails(aws('http', ['s3', 'cp', box.path('up/nine'), 's3://aws-insecure/nine', ...sseC(`fileb://${keyAFile}`), '--only-show-errors']), /must be made over a secure connection/);
    expect((await ok(aws('https', ['s3api', 'list-objects-v2', '--bucket', 'aws-insecure']))).stdout.trim()).not.toMatch(/"Key"/);
  });

  it('s3 sync up and down with SSE-C, s3 ls --recursive, s3 rm --recursive, s3 rb --force', SLOW, async () => {
    const tree = { 'a.bin': data.get('byte')!, 'sub/b.bin': data.get('small')!, 'sub/deeper/c.bin': data.get('nine')!, 'empty.bin': data.get('empty')! };
    for (const [name, body] of Object.entries(tree)) box.write(`tree/${name}`, body);
    await ok(aws('https', ['s3', 'mb', 's3://aws-sync']));
    const first = await ok(aws('https', ['s3', 'sync', box.path('tree'), 's3://aws-sync/t', ...sseC(`fileb://${keyAFile}`), '--no-progress']));
    expect(first.stdout.match(/^upload: /gm)).toHaveLength(4);
    const again = await ok(aws('https', ['s3', 'sync', box.path('tree'), 's3://aws-sync/t', ...sseC(`fileb://${keyAFile}`), '--no-progress']));
    expect(again.stdout.trim()).toBe('');
    const listed = listing((await ok(aws('https', ['s3', 'ls', '--recursive', 's3://aws-sync']))).stdout);
    expect(Object.fromEntries(listed)).toEqual(Object.fromEntries(Object.entries(tree).map(([k, v]) => [`t/${k}`, v.length])));
    await ok(aws('https', ['s3', 'sync', 's3://aws-sync/t', box.path('tree-down'), ...sseC(`fileb://${keyAFile}`), '--no-progress']));
    const downloaded = filesUnder(box.path('tree-down'));
    expect([...downloaded.keys()].sort()).toEqual(Object.keys(tree).sort());
    for (const [name, body] of Object.entries(tree)) expect(downloaded.get(name)!.equals(body), `${name} differs after sync`).toBe(true);
    const removed = await ok(aws('https', ['s3', 'rm', '--recursive', 's3://aws-sync/t']));
    expect(removed.stdout.match(/^delete: /gm)).toHaveLength(4);
    expect((await aws('https', ['s3', 'ls', '--recursive', 's3://aws-sync'])).stdout.trim()).toBe('');
    await ok(aws('https', ['s3', 'sync', box.path('tree'), 's3://aws-sync/again', '--sse', 'AES256', '--no-progress']));
    await fails(aws('https', ['s3', 'rb', 's3://aws-sync']), /BucketNotEmpty/);
    await ok(aws('https', ['s3', 'rb', '--force', 's3://aws-sync']));
    expect((await ok(aws('https', ['s3', 'ls']))).stdout).not.toMatch(/ aws-sync$/m);
  });

  it('s3api list-object-versions and delete-objects', SLOW, async () => {
    await ok(aws('http', ['s3', 'mb', 's3://aws-versions']));
    for (const name of ['x/one', 'x/two', 'three']) await ok(aws('http', ['s3', 'cp', box.path('up/byte'), `s3://aws-versions/${name}`, '--only-show-errors']));
    const versions = await json(aws('http', ['s3api', 'list-object-versions', '--bucket', 'aws-versions']));
    const listed = (versions.Versions as { Key: string; VersionId: string; IsLatest: boolean; Size: number }[]).map((v) => [v.Key, v.VersionId, v.IsLatest, v.Size]);
    expect(listed).toEqual([
      ['three', 'null', true, 1],
      ['x/one', 'null', true, 1],
      ['x/two', 'null', true, 1],
    ]);
    const request = JSON.stringify({ Objects: [{ Key: 'x/one' }, { Key: 'three' }, { Key: 'never-existed' }] });
    const deleted = await json(aws('http', ['s3api', 'delete-objects', '--bucket', 'aws-versions', '--delete', request]));
    expect((deleted.Deleted as { Key: string }[]).map((d) => d.Key).sort()).toEqual(['never-existed', 'three', 'x/one']);
    expect(deleted.Errors).toBeUndefined();
    const left = await json(aws('http', ['s3api', 'list-objects-v2', '--bucket', 'aws-versions']));
    expect((left.Contents as { Key: string }[]).map((c) => c.Key)).toEqual(['x/two']);
  });

  it('get-bucket-encryption / put-bucket-encryption: AES256 by default; aws:kms rules apply to plain writes, one naming an unknown key refuses them from the headers alone', SLOW, async () => {
    await ok(aws('https', ['s3', 'mb', 's3://aws-bucket-enc']));
    const rule = async (): Promise<unknown> =>
      ((await json(aws('https', ['s3api', 'get-bucket-encryption', '--bucket', 'aws-bucket-enc']))).ServerSideEncryptionConfiguration as { Rules: unknown[] }).Rules;
    expect(await rule()).toEqual([{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' }, BucketKeyEnabled: false }]);
    const configure = (config: unknown): Promise<ToolResult> =>
      aws('https', ['s3api', 'put-bucket-encryption', '--bucket', 'aws-bucket-enc', '--server-side-encryption-configuration', JSON.stringify(config)]);
    await ok(configure({ Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' }, BucketKeyEnabled: false }] }));
    expect(await rule()).toEqual([{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' }, BucketKeyEnabled: false }]);
    await fails(configure({ Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256', KMSMasterKeyID: 'alias/x' } }] }), /InvalidArgument.*KMSMasterKeyID is not applicable/);
    // PutBucketEncryption does not check the key (S3-SSE.md 3.4): the unknown key surfaces on each write.
    await ok(configure({ Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: 'fake-key-id' }, BucketKeyEnabled: true }] }));
    expect(await rule()).toEqual([{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: 'fake-key-id' }, BucketKeyEnabled: true }]);
    // Refused from the headers alone, over TLS: the answer must reach the client, not a reset of the connection it is still sending on.
    const unknownKey = /KMS\.NotFoundException.*Invalid keyId 'fake-key-id'/;
    await fails(aws('https', ['s3', 'cp', box.path('up/small'), 's3://aws-bucket-enc/kms', '--only-show-errors']), unknownKey);
    await fails(aws('https', ['s3api', 'put-object', '--bucket', 'aws-bucket-enc', '--key', 'kms-big', '--body', box.path('up/twenty')]), unknownKey);
    await fails(aws('https', ['s3', 'cp', box.path('up/twenty'), 's3://aws-bucket-enc/kms-multipart', '--only-show-errors']), unknownKey);
    // An explicit request header still wins over the bucket default.
    await ok(aws('https', ['s3', 'cp', box.path('up/small'), 's3://aws-bucket-enc/explicit', '--sse', 'AES256', '--only-show-errors']));
    await ok(aws('https', ['s3', 'cp', box.path('up/small'), 's3://aws-bucket-enc/customer', ...sseC(`fileb://${keyAFile}`), '--only-show-errors']));
    // Without a key id the rule means the aws/s3 managed key.
    await ok(configure({ Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' }, BucketKeyEnabled: true }] }));
    expect(await rule()).toEqual([{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' }, BucketKeyEnabled: true }]);
    await ok(aws('https', ['s3', 'cp', box.path('up/small'), 's3://aws-bucket-enc/kms', '--only-show-errors']));
    const kmsHead = await json(aws('https', ['s3api', 'head-object', '--bucket', 'aws-bucket-enc', '--key', 'kms']));
    const managed = f.store.services.kms.describeKey({ keyId: 'alias/aws/s3' }).arn;
    expect(kmsHead).toMatchObject({ ServerSideEncryption: 'aws:kms', SSEKMSKeyId: managed, BucketKeyEnabled: true, ContentLength: SIZES.small });
    await ok(aws('https', ['s3', 'cp', 's3://aws-bucket-enc/kms', box.path('down/enc-kms'), '--only-show-errors']));
    expect(download('enc-kms').equals(data.get('small')!)).toBe(true);
    await ok(aws('https', ['s3api', 'delete-bucket-encryption', '--bucket', 'aws-bucket-enc']));
    expect(await rule()).toEqual([{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' }, BucketKeyEnabled: false }]);
    await ok(aws('https', ['s3', 'cp', box.path('up/small'), 's3://aws-bucket-enc/default', '--only-show-errors']));
    const head = await json(aws('https', ['s3api', 'head-object', '--bucket', 'aws-bucket-enc', '--key', 'default']));
    expect(head.ServerSideEncryption).toBe('AES256');
  });

  it('SSE-C key rotation with s3 cp --sse-c-copy-source ... --sse-c ...: in place, single-part and multipart copies', SLOW, async () => {
    await ok(aws('https', ['s3', 'mb', 's3://aws-rotate']));
    for (const name of ['small', 'twenty'] as const) {
      await ok(aws('https', ['s3', 'cp', box.path(`up/${name}`), `s3://aws-rotate/${name}`, ...sseC(`fileb://${keyAFile}`), '--only-show-errors']));
    }
    const rotate = ['--sse-c-copy-source', 'AES256', '--sse-c-copy-source-key', `fileb://${keyAFile}`, ...sseC(`fileb://${keyBFile}`), '--only-show-errors'];
    // Below the threshold: one CopyObject onto itself, legal because the encryption changes.
    await ok(aws('https', ['s3', 'cp', 's3://aws-rotate/small', 's3://aws-rotate/small', ...rotate]));
    // Above it: CreateMultipartUpload + UploadPartCopy + Complete. The default --copy-props also reads
    // the source's tags (GetObjectTagging: none were set on these objects) and metadata.
    await ok(aws('https', ['s3', 'cp', 's3://aws-rotate/twenty', 's3://aws-rotate/twenty-copy', ...rotate]));
    await ok(aws('https', ['s3', 'cp', 's3://aws-rotate/twenty', 's3://aws-rotate/twenty', ...rotate, '--copy-props', 'metadata-directive']));
    for (const [key, name] of [['small', 'small'], ['twenty', 'twenty'], ['twenty-copy', 'twenty']] as const) {
      const head = await json(aws('https', ['s3api', 'head-object', '--bucket', 'aws-rotate', '--key', key, ...headKey(`fileb://${keyBFile}`)]));
      expect(head.SSECustomerKeyMD5).toBe(keyMd5Base64(keyB));
      if (name === 'twenty') expect(head.ETag).toMatch(/-4"$/);
      await ok(aws('https', ['s3', 'cp', `s3://aws-rotate/${key}`, box.path(`down/rot-${key}`), ...sseC(`fileb://${keyBFile}`), '--only-show-errors']));
      expect(download(`rot-${key}`).equals(data.get(name)!), `${key} differs after rotation`).toBe(true);
      // The old key opens nothing any more.
      await fails(aws('https', ['s3api', 'head-object', '--bucket', 'aws-rotate', '--key', key, ...headKey(`fileb://${keyAFile}`)]), /\(403\)/);
    }
  });
});
