// `coffer store reseal` as users run it: on the data dir of a running `coffer store`, with progress lines and an exit code.
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client, type PutObjectCommandInput } from '@aws-sdk/client-s3';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_AUDIT } from '../../main/core/audit/auditEvent.js';
import { openLocalKms } from '../../main/core/keys/kms/index.js';
import { loadOrCreateRootKey } from '../../main/core/keys/rootKey.js';
import { bodyOf, patternBytes } from '../support/s3Expect.js';
import { COFFER_BIN, spawnStore, type StoreProcess } from '../support/storeProcess.js';

const run = promisify(execFile);
const CREDS = { accessKeyId: 'RESEALCLITEST1', secretAccessKey: 'reseal-cli-secret-1' };

let dataDir: string;
let store: StoreProcess | undefined;
let s3: S3Client;

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** The built CLI, with the root key taken from the data dir (never from the runner's environment). */
async function coffer(args: string[]): Promise<Result> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env['COFFER_STORE_ROOT_KEY'];
  try {
    const { stdout, stderr } = await run(process.execPath, [COFFER_BIN, ...args], { env });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

async function ok(args: string[]): Promise<string> {
  const r = await coffer(args);
  expect(r, r.stderr).toMatchObject({ code: 0, stderr: '' });
  return r.stdout;
}

/** Master key versions and KMS material ids of every object, read from store.db in this process. */
function sealedColumns(): { key: string; version: number | null; material: string | null }[] {
  const db = new Database(join(dataDir, 'store.db'), { readonly: true });
  try {
    return db
      .prepare("SELECT key, json_extract(encryption, '$.masterKeyVersion') AS version, json_extract(encryption, '$.keyMaterialId') AS material FROM objects ORDER BY key")
      .all() as { key: string; version: number | null; material: string | null }[];
  } finally {
    db.close();
  }
}

function currentMaterial(keyId: string): string {
  const opened = openLocalKms(dataDir, { rootKey: loadOrCreateRootKey(dataDir, {}).key, region: 'us-east-1', audit: NO_AUDIT });
  try {
    return opened.kms.describeKey({ keyId }).currentKeyMaterialId;
  } finally {
    opened.close();
  }
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'coffer-reseal-cli-'));
  store = await spawnStore(['--data-dir', dataDir, '--port', '0', '--https-port', '0', '--no-https'], {
    COFFER_ACCESS_KEY: CREDS.accessKeyId,
    COFFER_SECRET_KEY: CREDS.secretAccessKey,
    COFFER_STORE_ROOT_KEY: '',
  });
  s3 = new S3Client({ endpoint: store.httpUrl, region: 'us-east-1', forcePathStyle: true, credentials: CREDS, maxAttempts: 1 });
});

afterAll(async () => {
  s3?.destroy();
  await store?.stop('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

describe('coffer store reseal', () => {
  it('re-seals what the running store wrote, prints progress and a summary, exits 0; then fails with exit 1 on a disabled key', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'cli-reseal' }));
    const created = JSON.parse(await ok(['kms', 'create-key', '--data-dir', dataDir, '--alias', 'alias/cli-reseal', '--json'])) as {
      KeyMetadata: { KeyId: string; Arn: string };
    };
    const { KeyId: keyId, Arn: keyArn } = created.KeyMetadata;
    const bodies = new Map<string, { body: Buffer; extra: Partial<PutObjectCommandInput> }>([
      ['inline', { body: patternBytes(2000, 31), extra: {} }],
      ['file', { body: patternBytes(400 * 1024, 32), extra: { ServerSideEncryption: 'AES256' } }],
      ['kms', { body: patternBytes(3000, 33), extra: { ServerSideEncryption: 'aws:kms', SSEKMSKeyId: 'alias/cli-reseal' } }],
    ]);
    const etags = new Map<string, string>();
    for (const [Key, { body, extra }] of bodies) {
      etags.set(Key, (await s3.send(new PutObjectCommand({ Bucket: 'cli-reseal', Key, Body: body, ...extra }))).ETag!);
    }
    expect(await ok(['store', 'rotate-master-key', '--data-dir', dataDir])).toContain('version 1 -> 2');
    await ok(['kms', 'rotate-key-on-demand', '--key-id', keyId, '--data-dir', dataDir]);

    const first = await ok(['store', 'reseal', '--data-dir', dataDir]);
    expect(first.split('\n')).toEqual([
      '  3/3 looked at, 3 re-sealed',
      'Re-sealed 3 of 3; 0 already current or SSE-C, 0 could not be opened.',
      '',
    ]);
    const material = currentMaterial(keyId);
    expect(sealedColumns()).toEqual([
      { key: 'file', version: 2, material: null },
      { key: 'inline', version: 2, material: null },
      { key: 'kms', version: null, material },
    ]);
    // The running store serves every object from the re-sealed rows, unchanged.
    for (const [Key, { body }] of bodies) {
      const got = await s3.send(new GetObjectCommand({ Bucket: 'cli-reseal', Key }));
      expect([got.ETag, (await bodyOf(got)).equals(body)], Key).toEqual([etags.get(Key), true]);
    }
    expect(await ok(['store', 'reseal', '--data-dir', dataDir])).toContain('Re-sealed 0 of 3; 3 already current or SSE-C, 0 could not be opened.');

    await ok(['kms', 'rotate-key-on-demand', '--key-id', keyArn, '--data-dir', dataDir]);
    await ok(['kms', 'disable-key', '--key-id', keyId, '--data-dir', dataDir]);
    const failed = await coffer(['store', 'reseal', '--data-dir', dataDir]);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain('Re-sealed 0 of 3; 2 already current or SSE-C, 1 could not be opened.');
    expect(failed.stderr).toMatch(/^coffer: 1 objects could not be re-sealed/);
    expect(sealedColumns().find((c) => c.key === 'kms')?.material).toBe(material);
  });

  it('refuses a directory that holds no store, creating nothing in it', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'coffer-reseal-empty-'));
    try {
      const r = await coffer(['store', 'reseal', '--data-dir', empty]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('holds no store (no store.db)');
      expect(readdirSync(empty)).toEqual([]);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
