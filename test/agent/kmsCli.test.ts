// `coffer kms` as users run it: against a store's data dir, while the store runs and after it stopped.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_AUDIT } from '../../main/core/audit/auditEvent.js';
import { openLocalKms, type OpenedKms } from '../../main/core/keys/kms/index.js';
import { loadOrCreateRootKey } from '../../main/core/keys/rootKey.js';
import { COFFER_BIN, spawnStore, type StoreProcess } from '../support/storeProcess.js';

const run = promisify(execFile);
const CREDS = { COFFER_ACCESS_KEY: 'KMSCLITEST1', COFFER_SECRET_KEY: 'kms-cli-secret-1' };

let dataDir: string;
let store: StoreProcess | undefined;

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

async function kms(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Result> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  if (!('COFFER_STORE_ROOT_KEY' in env)) delete childEnv['COFFER_STORE_ROOT_KEY'];
  try {
    const { stdout, stderr } = await run(process.execPath, [COFFER_BIN, 'kms', ...args], { env: childEnv });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

async function kmsJson(args: string[]): Promise<Record<string, unknown>> {
  const r = await kms([...args, '--data-dir', dataDir, '--json']);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

/** A LocalKms in this test process on the same kms.db: another process, as far as the CLI is concerned. */
function openHere(): OpenedKms {
  return openLocalKms(dataDir, { rootKey: loadOrCreateRootKey(dataDir, {}).key, region: 'us-east-1', audit: NO_AUDIT });
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'coffer-kms-cli-'));
  store = await spawnStore(['--data-dir', dataDir, '--port', '0', '--https-port', '0', '--no-https'], { ...CREDS, COFFER_STORE_ROOT_KEY: '' });
});

afterAll(async () => {
  await store?.stop('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

const KEY_METADATA_FIELDS = [
  'AWSAccountId',
  'KeyId',
  'Arn',
  'CreationDate',
  'Enabled',
  'Description',
  'KeyUsage',
  'KeyState',
  'Origin',
  'KeyManager',
  'CustomerMasterKeySpec',
  'KeySpec',
  'EncryptionAlgorithms',
  'MultiRegion',
  'CurrentKeyMaterialId',
];

describe('coffer kms', () => {
  it('refuses a data dir that holds no store, and creates nothing in it', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'coffer-kms-empty-'));
    try {
      const r = await kms(['list-keys', '--data-dir', empty]);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(`coffer: ${empty} holds no store (no store.db); start one with: coffer store --data-dir ${empty}\n`);
      expect(existsSync(join(empty, 'root.key')) || existsSync(join(empty, 'kms.db'))).toBe(false);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('creates and describes keys as AWS KMS JSON while the store runs', async () => {
    const created = (await kmsJson(['create-key', '--description', 'photos', '--alias', 'alias/photos'])).KeyMetadata as Record<string, unknown>;
    expect(Object.keys(created)).toEqual(KEY_METADATA_FIELDS);
    expect(created).toMatchObject({ Enabled: true, Description: 'photos', KeyUsage: 'ENCRYPT_DECRYPT', KeyState: 'Enabled', Origin: 'AWS_KMS', KeyManager: 'CUSTOMER', KeySpec: 'SYMMETRIC_DEFAULT', EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'], MultiRegion: false });
    expect(created['AWSAccountId']).toMatch(/^\d{12}$/);
    expect(created['Arn']).toBe(`arn:aws:kms:us-east-1:${created['AWSAccountId']}:key/${created['KeyId']}`);
    expect(new Date(created['CreationDate'] as string).toISOString()).toBe(created['CreationDate']);

    expect(await kmsJson(['describe-key', '--key-id', 'alias/photos'])).toEqual({ KeyMetadata: created });
    expect(await kmsJson(['list-keys'])).toEqual({ Keys: [{ KeyId: created['KeyId'], KeyArn: created['Arn'] }], Truncated: false });
    const aliases = (await kmsJson(['list-aliases'])).Aliases as Record<string, unknown>[];
    expect(aliases.map((a) => a['AliasName'])).toEqual(['alias/aws/s3', 'alias/photos']);
    expect(aliases[1]).toMatchObject({ AliasArn: `arn:aws:kms:us-east-1:${created['AWSAccountId']}:alias/photos`, TargetKeyId: created['KeyId'] });
    expect(aliases[0]).not.toHaveProperty('TargetKeyId');
  });

  it('manages rotation and deletion with AWS-shaped answers, and prints nothing for empty ones', async () => {
    const key = ((await kmsJson(['create-key'])).KeyMetadata as { KeyId: string; Arn: string });
    const silent = await kms(['enable-key-rotation', '--key-id', key.KeyId, '--rotation-period-in-days', '180', '--data-dir', dataDir, '--json']);
    expect(silent).toEqual({ code: 0, stdout: '', stderr: '' });
    const status = await kmsJson(['get-key-rotation-status', '--key-id', key.KeyId]);
    expect(Object.keys(status)).toEqual(['KeyRotationEnabled', 'KeyId', 'RotationPeriodInDays', 'NextRotationDate']);
    expect(status).toMatchObject({ KeyRotationEnabled: true, KeyId: key.Arn, RotationPeriodInDays: 180 });

    expect(await kmsJson(['rotate-key-on-demand', '--key-id', key.Arn])).toEqual({ KeyId: key.KeyId });
    const rotations = await kmsJson(['list-key-rotations', '--key-id', key.KeyId]);
    expect(rotations).toEqual({
      Rotations: [{ KeyId: key.KeyId, KeyMaterialId: expect.stringMatching(/^[0-9a-f]{64}$/), KeyMaterialState: 'CURRENT', RotationDate: expect.any(String), RotationType: 'ON_DEMAND' }],
      Truncated: false,
    });

    expect((await kms(['disable-key', '--key-id', key.KeyId, '--data-dir', dataDir, '--json'])).stdout).toBe('');
    const scheduled = await kmsJson(['schedule-key-deletion', '--key-id', key.KeyId, '--pending-window-in-days', '7']);
    expect(Object.keys(scheduled)).toEqual(['KeyId', 'DeletionDate', 'KeyState', 'PendingWindowInDays']);
    expect(scheduled).toMatchObject({ KeyId: key.Arn, KeyState: 'PendingDeletion', PendingWindowInDays: 7 });
    const pending = (await kmsJson(['describe-key', '--key-id', key.KeyId])).KeyMetadata as Record<string, unknown>;
    expect(pending).toMatchObject({ KeyState: 'PendingDeletion', Enabled: false, DeletionDate: scheduled['DeletionDate'], PendingDeletionWindowInDays: 7 });
    expect(await kmsJson(['cancel-key-deletion', '--key-id', key.KeyId])).toEqual({ KeyId: key.Arn });
    const back = (await kmsJson(['describe-key', '--key-id', key.KeyId])).KeyMetadata as Record<string, unknown>;
    expect(back['KeyState']).toBe('Disabled');
    expect(back).not.toHaveProperty('DeletionDate');
  });

  it('shares kms.db with another process: each sees the other\'s changes at once', async () => {
    const here = openHere();
    try {
      const key = ((await kmsJson(['create-key', '--alias', 'alias/shared'])).KeyMetadata as { KeyId: string });
      const before = here.kms.generateDataKey({ keyId: 'alias/shared', encryptionContext: { 'aws:s3:arn': 'arn:aws:s3:::b/k' } });
      await kmsJson(['rotate-key-on-demand', '--key-id', 'alias/shared']);
      const after = here.kms.generateDataKey({ keyId: key.KeyId });
      expect(after.keyMaterialId).not.toBe(before.keyMaterialId);
      expect(here.kms.decrypt({ ciphertextBlob: before.ciphertextBlob, encryptionContext: { 'aws:s3:arn': 'arn:aws:s3:::b/k' } }).plaintext.equals(before.plaintext)).toBe(true);
      here.kms.disableKey({ keyId: key.KeyId });
      expect(((await kmsJson(['describe-key', '--key-id', key.KeyId])).KeyMetadata as { KeyState: string }).KeyState).toBe('Disabled');
    } finally {
      here.close();
    }
  });

  it('prints a short readable summary without --json', async () => {
    const created = await kms(['create-key', '--description', 'notes', '--alias', 'alias/notes', '--data-dir', dataDir]);
    expect(created.code).toBe(0);
    const lines = created.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^Created key [0-9a-f-]{36}$/);
    expect(created.stdout).toMatch(/ARN: +arn:aws:kms:us-east-1:\d{12}:key\//);
    expect(created.stdout).toMatch(/Alias: +alias\/notes/);
    expect(created.stdout).toMatch(/State: +Enabled/);
    const status = await kms(['get-key-rotation-status', '--key-id', 'alias/notes', '--data-dir', dataDir]);
    expect(status.stdout).toMatch(/^Automatic rotation of arn:aws:kms:.*: disabled\.\n$/);
    const aliases = await kms(['list-aliases', '--data-dir', dataDir]);
    expect(aliases.stdout).toMatch(/^alias\/notes +-> [0-9a-f-]{36}$/m);
    expect(aliases.stdout).toMatch(/^alias\/aws\/s3 +-> \(AWS managed key not created yet\)$/m);
  });

  it('answers bad input with exit 1 and a coffer: message', async () => {
    const cases: [string[], string | RegExp][] = [
      [['describe-key'], 'coffer: --key-id: is required\n'],
      [['describe-key', '--key-id', 'fake-key-id'], "coffer: NotFoundException: Invalid keyId 'fake-key-id'\n"],
      [['describe-key', '--key-id', '3f0c8a1e-5b2d-4c6e-9a7b-1d2e3f4a5b6c'], /^coffer: NotFoundException: Key 'arn:aws:kms:us-east-1:\d{12}:key\/3f0c8a1e-5b2d-4c6e-9a7b-1d2e3f4a5b6c' does not exist\n$/],
      [['schedule-key-deletion', '--key-id', 'alias/photos', '--pending-window-in-days', '3'], /^coffer: ValidationException: 1 validation error detected: Value '3' at 'pendingWindowInDays'/],
      [['schedule-key-deletion', '--key-id', 'alias/photos', '--pending-window-in-days', 'soon'], "coffer: --pending-window-in-days: must be a whole number of days, got 'soon'\n"],
      [['enable-key-rotation', '--key-id', 'alias/photos', '--rotation-period-in-days', '30'], /^coffer: ValidationException: .*greater than or equal to 90\n$/],
      [['create-alias', '--alias-name', 'alias/aws/mine', '--target-key-id', 'alias/photos'], /^coffer: NotAuthorizedException: /],
      [['create-alias', '--alias-name', 'photos2', '--target-key-id', 'alias/photos'], /^coffer: ValidationException: Alias must start with the prefix "alias\/"/],
      [['list-keys', '--region', 'Not A Region'], 'coffer: --region: must look like a region name, e.g. us-east-1\n'],
    ];
    for (const [args, message] of cases) {
      const r = await kms([...args, '--data-dir', dataDir]);
      expect(r.code, args.join(' ')).toBe(1);
      if (typeof message === 'string') expect(r.stderr).toBe(message);
      else expect(r.stderr).toMatch(message);
      expect(r.stdout).toBe('');
    }
    const noDir = await kms(['list-keys']);
    expect(noDir).toMatchObject({ code: 1, stderr: 'coffer: --data-dir: is required (the store data directory)\n' });
  });

  it('refuses a wrong root key before changing anything', async () => {
    const r = await kms(['rotate-key-on-demand', '--key-id', 'alias/photos', '--data-dir', dataDir], { COFFER_STORE_ROOT_KEY: Buffer.alloc(32, 3).toString('base64') });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("coffer: the root key (COFFER_STORE_ROOT_KEY) does not open this store's KMS keys; nothing was changed\n");
    expect((await kmsJson(['list-key-rotations', '--key-id', 'alias/photos'])).Rotations).toEqual([]);
  });

  it('works once the store has stopped, and keeps regions apart', async () => {
    expect(await store!.stop()).toBe(0);
    store = undefined;
    const keys = (await kmsJson(['list-keys'])).Keys as unknown[];
    expect(keys.length).toBeGreaterThanOrEqual(4);
    expect(await kmsJson(['list-keys', '--region', 'eu-west-1'])).toEqual({ Keys: [], Truncated: false });
    const west = await kms(['describe-key', '--key-id', 'alias/photos', '--region', 'eu-west-1', '--data-dir', dataDir]);
    expect(west.code).toBe(1);
    expect(west.stderr).toMatch(/^coffer: NotFoundException: Alias arn:aws:kms:eu-west-1:\d{12}:alias\/photos is not found\.\n$/);
  });
});
