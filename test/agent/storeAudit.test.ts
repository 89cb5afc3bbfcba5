// `coffer audit verify` and `list` on the access history a real `coffer store` process wrote, read after that store stopped.
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditRecord } from '../../main/core/audit/auditQuery.js';
import { runCoffer } from '../support/cofferCli.js';
import { customerKey, sseC } from '../support/s3Expect.js';
import { spawnStore, type StoreProcess } from '../support/storeProcess.js';

const CREDS = { accessKeyId: 'AUDITCLIKEY0001', secretAccessKey: 'audit-cli-secret-key-0123456789' };

let dataDir: string;
let store: StoreProcess | undefined;

beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'coffer-store-audit-'));
});
afterAll(async () => {
  await store?.stop('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

/** The root key comes from the data dir's root.key, as an operator's shell would have it. */
const cli = (args: string[]) => runCoffer(args, { COFFER_STORE_ROOT_KEY: '' });

async function listJson(args: string[]): Promise<AuditRecord['event'][]> {
  const run = await cli(['audit', 'list', '--data-dir', dataDir, '--oldest-first', '--limit', '1000', '--json', ...args]);
  expect(run.code, run.stderr).toBe(0);
  return (JSON.parse(run.stdout) as { events: { event: AuditRecord['event'] }[] }).events.map((r) => r.event);
}

describe('the access history of a coffer store process', () => {
  it('verifies, lists every request, KMS use and key administration, and holds no secret, after the store stopped', { timeout: 120_000 }, async () => {
    store = await spawnStore(['--data-dir', dataDir, '--port', '0', '--https-port', '0', '--log-level', 'warn'], {
      COFFER_ACCESS_KEY: CREDS.accessKeyId,
      COFFER_SECRET_KEY: CREDS.secretAccessKey,
      COFFER_STORE_ROOT_KEY: '',
    });
    const created = await cli(['kms', 'create-key', '--alias', 'alias/cli-audited', '--data-dir', dataDir, '--json']);
    expect(created.code, created.stderr).toBe(0);
    const keyArn = (JSON.parse(created.stdout) as { KeyMetadata: { Arn: string } }).KeyMetadata.Arn;

    const agent = new https.Agent({ ca: readFileSync(store.certFile!) });
    const s3 = new S3Client({
      endpoint: store.httpsUrl,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: CREDS,
      maxAttempts: 1,
      requestHandler: new NodeHttpHandler({ httpsAgent: agent }),
    });
    const customer = customerKey();
    try {
      await s3.send(new CreateBucketCommand({ Bucket: 'audited-cli' }));
      await s3.send(new PutObjectCommand({ Bucket: 'audited-cli', Key: 'kms', Body: 'kms body', ServerSideEncryption: 'aws:kms', SSEKMSKeyId: 'alias/cli-audited' }));
      await s3.send(new PutObjectCommand({ Bucket: 'audited-cli', Key: 'customer', Body: 'customer body', ...sseC(customer) }));
      await (await s3.send(new GetObjectCommand({ Bucket: 'audited-cli', Key: 'kms' }))).Body!.transformToByteArray();
      const missing = await s3.send(new GetObjectCommand({ Bucket: 'audited-cli', Key: 'missing' })).catch((err: unknown) => err);
      expect(missing).toBeInstanceOf(S3ServiceException);
    } finally {
      s3.destroy();
      agent.destroy();
    }
    const rotated = await cli(['store', 'rotate-master-key', '--data-dir', dataDir]);
    expect(rotated.code, rotated.stderr).toBe(0);
    expect(await store.stop()).toBe(0);
    store = undefined;

    const verified = await cli(['audit', 'verify', '--data-dir', dataDir]);
    expect(verified.code, verified.stderr).toBe(0);
    expect(verified.stdout).toMatch(/^verified (\d+) events \(events 1-\1, \d+ signed digests?, last hash [0-9a-f]{64}\)\n$/);

    const s3Events = await listJson(['--category', 's3']);
    expect(s3Events.map((e) => [e.operation, e.objectKey, e.httpStatus, e.outcome, e.principal, e.sseMode, e.keyId])).toEqual([
      ['CreateBucket', undefined, 200, 'success', CREDS.accessKeyId, undefined, undefined],
      ['PutObject', 'kms', 200, 'success', CREDS.accessKeyId, 'SSE-KMS', keyArn],
      ['PutObject', 'customer', 200, 'success', CREDS.accessKeyId, 'SSE-C', undefined],
      ['GetObject', 'kms', 200, 'success', CREDS.accessKeyId, 'SSE-KMS', keyArn],
      ['GetObject', 'missing', 404, 'failure', CREDS.accessKeyId, undefined, undefined],
    ]);
    const kmsEvents = await listJson(['--category', 'kms']);
    expect(kmsEvents.map((e) => [e.operation, e.keyId, e.outcome])).toEqual([
      ['GenerateDataKey', keyArn, 'success'],
      ['Decrypt', keyArn, 'success'],
    ]);
    expect(kmsEvents.map((e) => e.keyVersion)).toEqual([s3Events[1]!.keyVersion, s3Events[1]!.keyVersion]);
    const admin = await listJson(['--category', 'admin', '--principal', 'coffer-cli']);
    expect(admin.map((e) => e.operation)).toEqual(['CreateKey', 'CreateAlias', 'RotateStoreMasterKey']);

    // The plain listing names the key and its material for the SSE-KMS PUT.
    const line = await cli(['audit', 'list', '--data-dir', dataDir, '--operation', 'PutObject', '--key-id', keyArn]);
    expect(line.stdout.trimEnd().split('\n')).toEqual([
      expect.stringMatching(new RegExp(`^#\\d+ +\\S+ +s3 +PutObject +success +200 +by ${CREDS.accessKeyId} +from \\S+ +audited-cli/kms +SSE-KMS +key ${keyArn} [0-9a-f]{64}$`)),
    ]);

    const file = join(dataDir, 'audit.db');
    const bytes = Buffer.concat([file, `${file}-wal`].filter((p) => existsSync(p)).map((p) => readFileSync(p)));
    expect(bytes.includes(Buffer.from(keyArn))).toBe(true);
    for (const secret of [Buffer.from(CREDS.secretAccessKey), customer.raw, Buffer.from(customer.base64), Buffer.from(customer.md5), Buffer.from('customer body'), Buffer.from('kms body')]) {
      expect(bytes.includes(secret), secret.toString('base64')).toBe(false);
    }
  });
});
