// The store-key and KMS channels against a real agent over its control API: rotation, key states, impact, and no key bytes.
import https from 'node:https';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Channel, KmsKeyInfo, RequestOf, ResponseOf } from '../../preload/contract.js';
import { AgentCallError, callAgent } from '../../main/agent/control/controlClient.js';
import { createLogger } from '../../main/agent/logger.js';
import { Agent } from '../../main/agent/runtime/agent.js';
import { iterateAuditEvents } from '../../main/core/audit/auditQuery.js';
import type { AuditEvent } from '../../main/core/audit/auditEvent.js';
import { openKmsDatabase } from '../../main/core/keys/kms/index.js';
import { openMaterial } from '../../main/core/keys/kms/keyMaterial.js';
import { KmsRepository } from '../../main/core/keys/kms/kmsRepository.js';
import { loadExistingRootKey } from '../../main/core/keys/rootKey.js';
import { createVault } from '../../main/core/keys/vault/index.js';
import { PASSPHRASE, TEST_KDF } from '../core/keys/vault/vaultFixture.js';

const DEVICE = 'test-laptop';
const DAY_MS = 86_400_000;
const KEY_INFO_FIELDS = ['keyId', 'arn', 'aliases', 'description', 'state', 'createdAt', 'awsManaged', 'deletionDate', 'rotationEnabled', 'rotationPeriodDays', 'lastRotatedAt', 'nextRotationAt', 'materials'];

let base: string;
let agent: Agent;
let api: { apiUrl: string; token: string };
let s3: S3Client;
/** Every answer and refusal the agent sent, as it crossed the wire: searched for key bytes at the end. */
const wire: string[] = [];

async function call<C extends Channel>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>> {
  const value = await callAgent(api, channel, request);
  wire.push(JSON.stringify(value));
  return value;
}

async function refusal<C extends Channel>(channel: C, request: RequestOf<C>): Promise<{ code: string; message: string }> {
  try {
    await callAgent(api, channel, request);
  } catch (err) {
    if (!(err instanceof AgentCallError)) throw err;
    wire.push(JSON.stringify({ code: err.code, message: err.message }));
    return { code: err.code, message: err.message };
  }
  throw new Error(`${channel} was expected to be refused`);
}

async function auditEvents(match: (e: AuditEvent) => boolean): Promise<AuditEvent[]> {
  await agent.auditLog.flush();
  return [...iterateAuditEvents(agent.auditLog.db)].map((r) => r.event).filter(match);
}

function expectOnlyDocumentedFields(info: KmsKeyInfo): void {
  for (const field of Object.keys(info)) expect(KEY_INFO_FIELDS, field).toContain(field);
}

beforeAll(async () => {
  base = mkdtempSync(join(tmpdir(), 'coffer-key-channels-'));
  const dataDir = join(base, 'data');
  mkdirSync(dataDir);
  writeFileSync(join(dataDir, 'config.json'), JSON.stringify({ deviceName: DEVICE, watch: false, remotePollSeconds: 3600 }));
  (await createVault(dataDir, PASSPHRASE, { kdf: TEST_KDF })).vault.close();
  agent = await Agent.start({ dataDir, storePort: 0, storeHttpsPort: 0, apiPort: 0, env: { COFFER_PASSPHRASE: PASSPHRASE }, logger: createLogger('silent') });
  api = { apiUrl: agent.apiUrl, token: readFileSync(join(dataDir, 'agent.token'), 'utf8').trim() };
  const store = agent.store!;
  s3 = new S3Client({
    endpoint: store.running.httpsUrl,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: store.credentials.accessKeyId, secretAccessKey: store.credentials.secretAccessKey },
    requestHandler: new NodeHttpHandler({ httpsAgent: new https.Agent({ ca: store.tls!.cert }) }),
  });
});

afterAll(async () => {
  s3?.destroy();
  await agent?.stop();
  rmSync(base, { recursive: true, force: true });
});

describe('the store master key channels', () => {
  it('list every version with the rotation period and when the next rotation falls due', async () => {
    const info = await call('keys.store', {});
    expect(Object.keys(info).sort()).toEqual(['nextRotationAt', 'rotationPeriodDays', 'versions']);
    expect(info.versions).toEqual([{ version: 1, createdAt: expect.any(String), current: true }]);
    expect(info.rotationPeriodDays).toBe(90);
    expect(Date.parse(info.nextRotationAt!)).toBe(Date.parse(info.versions[0]!.createdAt) + 90 * DAY_MS);
  });

  it('rotate on demand: a new current version, recorded in the access history in the device name', async () => {
    expect(await call('keys.rotateStore', {})).toEqual({ version: 2 });
    const info = await call('keys.store', {});
    expect(info.versions.map((v) => [v.version, v.current])).toEqual([
      [1, false],
      [2, true],
    ]);
    expect(Date.parse(info.nextRotationAt!)).toBe(Date.parse(info.versions[1]!.createdAt) + 90 * DAY_MS);
    const events = await auditEvents((e) => e.operation === 'RotateStoreMasterKey');
    expect(events).toEqual([expect.objectContaining({ category: 'admin', outcome: 'success', principal: DEVICE, keyId: 'store-master-key', keyVersion: '2' })]);
  });
});

describe('the KMS channels', () => {
  let key: KmsKeyInfo;

  it('create a key with an alias and description, Enabled, not rotating, one material', async () => {
    key = await call('kms.create', { alias: 'photos', description: 'holiday photos' });
    expectOnlyDocumentedFields(key);
    expect(key).toMatchObject({ aliases: ['alias/photos'], description: 'holiday photos', state: 'Enabled', awsManaged: false, rotationEnabled: false, materials: 1 });
    expect(key.arn).toBe(`arn:aws:kms:us-east-1:${agent.store!.running.services.kms.accountId}:key/${key.keyId}`);
    expect(key.lastRotatedAt ?? key.nextRotationAt ?? key.deletionDate).toBeUndefined();
    expect((await call('kms.list', {})).map((k) => k.keyId)).toEqual([key.keyId]);
  });

  it('rotate it on demand, by alias: a second material and the time of the rotation', async () => {
    const rotated = await call('kms.rotate', { keyId: 'alias/photos' });
    expect(rotated).toMatchObject({ keyId: key.keyId, materials: 2, rotationEnabled: false });
    expect(Date.parse(rotated.lastRotatedAt!)).toBeGreaterThanOrEqual(Date.parse(key.createdAt));
  });

  it('turn automatic rotation on with a period, then off', async () => {
    const before = Date.now();
    const on = await call('kms.setRotation', { keyId: key.arn, enabled: true, periodDays: 180 });
    expect(on).toMatchObject({ rotationEnabled: true, rotationPeriodDays: 180 });
    const next = Date.parse(on.nextRotationAt!);
    expect(next).toBeGreaterThanOrEqual(before + 180 * DAY_MS);
    expect(next).toBeLessThanOrEqual(Date.now() + 180 * DAY_MS);
    const off = await call('kms.setRotation', { keyId: key.keyId, enabled: false });
    expect(off.rotationEnabled).toBe(false);
    expect(off.rotationPeriodDays ?? off.nextRotationAt).toBeUndefined();
    expect((await refusal('kms.setRotation', { keyId: key.keyId, enabled: false, periodDays: 90 })).code).toBe('InvalidRequest');
  });

  it('disable and enable it; a disabled key cannot rotate', async () => {
    expect((await call('kms.disable', { keyId: key.keyId })).state).toBe('Disabled');
    expect(await refusal('kms.rotate', { keyId: key.keyId })).toEqual({ code: 'DisabledException', message: `${key.arn} is disabled.` });
    expect((await call('kms.enable', { keyId: key.keyId })).state).toBe('Enabled');
  });

  it('schedule its deletion and cancel it: PendingDeletion with a date, then Disabled until enabled again', async () => {
    const before = Date.now();
    const pending = await call('kms.scheduleDeletion', { keyId: 'alias/photos', pendingWindowDays: 7 });
    expect(pending.state).toBe('PendingDeletion');
    expect(Date.parse(pending.deletionDate!)).toBeGreaterThanOrEqual(before + 7 * DAY_MS);
    expect(Date.parse(pending.deletionDate!)).toBeLessThanOrEqual(Date.now() + 7 * DAY_MS);
    expect((await refusal('kms.enable', { keyId: key.keyId })).code).toBe('KMSInvalidStateException');
    const kept = await call('kms.cancelDeletion', { keyId: key.keyId });
    expect(kept.state).toBe('Disabled');
    expect(kept.deletionDate).toBeUndefined();
    expect((await refusal('kms.cancelDeletion', { keyId: key.keyId })).code).toBe('KMSInvalidStateException');
    expect((await call('kms.enable', { keyId: key.keyId })).state).toBe('Enabled');
  });

  it('record every change, refused ones too, as the device from the UI', async () => {
    const events = await auditEvents((e) => e.category === 'admin' && e.keyId === key.arn);
    expect(events.map((e) => [e.operation, e.outcome])).toEqual([
      ['CreateKey', 'success'],
      ['CreateAlias', 'success'],
      ['RotateKey', 'success'],
      ['EnableKeyRotation', 'success'],
      ['DisableKeyRotation', 'success'],
      ['DisableKey', 'success'],
      ['RotateKey', 'failure'],
      ['EnableKey', 'success'],
      ['ScheduleKeyDeletion', 'success'],
      ['EnableKey', 'failure'],
      ['CancelKeyDeletion', 'success'],
      ['CancelKeyDeletion', 'failure'],
      ['EnableKey', 'success'],
    ]);
    for (const event of events) expect(event).toMatchObject({ principal: DEVICE, userAgent: 'coffer-ui' });
  });

  it('answer NotFoundException for a key that does not exist', async () => {
    const unknown = '0f1e2d3c-4b5a-4968-8776-655443322110';
    for (const channel of ['kms.rotate', 'kms.impact', 'kms.disable', 'kms.enable', 'kms.cancelDeletion'] as const) {
      expect((await refusal(channel, { keyId: unknown })).code, channel).toBe('NotFoundException');
    }
    expect(await refusal('kms.disable', { keyId: 'alias/nothing-here' })).toMatchObject({ code: 'NotFoundException', message: expect.stringContaining('alias/nothing-here') });
  });
});

describe('the impact of losing a key, and aws/s3', () => {
  it('lists no aws/s3 key before anything used it', async () => {
    expect((await call('kms.list', {})).some((k) => k.awsManaged)).toBe(false);
    expect((await refusal('kms.impact', { keyId: 'alias/aws/s3' })).code).toBe('NotFoundException');
  });

  it('counts the objects an sse-kms folder and SDK PUTs sealed under the key, and names the folders that use it', async () => {
    const docs = await call('kms.create', { alias: 'alias/docs' });
    const spare = await call('kms.create', {});
    const docsFolder = await call('folders.add', { localPath: join(base, 'docs'), mode: 'sse-kms', kmsKeyId: 'alias/docs' });
    const managedFolder = await call('folders.add', { localPath: join(base, 'managed'), mode: 'sse-kms' });
    const plainFolder = await call('folders.add', { localPath: join(base, 'plain'), mode: 'sse-s3' });
    for (const name of ['a.txt', 'b.txt', 'c.txt']) writeFileSync(join(docsFolder.localPath, name), `document ${name}`);
    writeFileSync(join(managedFolder.localPath, 'm.txt'), 'managed');
    writeFileSync(join(plainFolder.localPath, 'p.txt'), 'plain');
    await call('folders.syncNow', {});
    // What the folder stored, as S3 reports it: every file under the docs key.
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: docsFolder.bucket }));
    expect(listed.Contents?.map((o) => o.Key).sort()).toEqual(['a.txt', 'b.txt', 'c.txt']);
    for (const o of listed.Contents!) expect((await s3.send(new HeadObjectCommand({ Bucket: docsFolder.bucket, Key: o.Key }))).SSEKMSKeyId).toBe(docs.arn);

    await s3.send(new CreateBucketCommand({ Bucket: 'sdk-puts' }));
    await s3.send(new PutObjectCommand({ Bucket: 'sdk-puts', Key: 'by-id', Body: 'x', ServerSideEncryption: 'aws:kms', SSEKMSKeyId: docs.keyId }));
    await s3.send(new PutObjectCommand({ Bucket: 'sdk-puts', Key: 'by-spare', Body: 'y', ServerSideEncryption: 'aws:kms', SSEKMSKeyId: spare.arn }));
    await s3.send(new PutObjectCommand({ Bucket: 'sdk-puts', Key: 'by-default', Body: 'z', ServerSideEncryption: 'aws:kms' }));

    const impact = await call('kms.impact', { keyId: 'alias/docs' });
    expect(impact).toEqual({ keyId: docs.keyId, objects: 4, folders: [{ id: docsFolder.id, localPath: docsFolder.localPath }] });
    expect(await call('kms.impact', { keyId: docs.arn })).toEqual(impact);
    expect(await call('kms.impact', { keyId: spare.keyId })).toEqual({ keyId: spare.keyId, objects: 1, folders: [] });
    expect(await call('kms.impact', { keyId: 'alias/aws/s3' })).toMatchObject({ objects: 2, folders: [{ id: managedFolder.id, localPath: managedFolder.localPath }] });
  });

  it('lists aws/s3 once used, rotating yearly, and it refuses to be disabled or deleted', async () => {
    const managed = (await call('kms.list', {})).find((k) => k.awsManaged)!;
    expectOnlyDocumentedFields(managed);
    expect(managed).toMatchObject({ aliases: ['alias/aws/s3'], state: 'Enabled', rotationEnabled: true, rotationPeriodDays: 365, materials: 1 });
    expect((await refusal('kms.disable', { keyId: 'alias/aws/s3' })).code).toBe('AccessDeniedException');
    expect((await refusal('kms.scheduleDeletion', { keyId: managed.keyId })).code).toBe('AccessDeniedException');
    expect((await refusal('kms.rotate', { keyId: managed.arn })).code).toBe('AccessDeniedException');
    expect((await call('kms.list', {})).find((k) => k.awsManaged)?.state).toBe('Enabled');
  });
});

describe('what crosses the wire', () => {
  it('never holds a key: no store master key version and no KMS key material, in any encoding', () => {
    const services = agent.store!.running.services;
    const secrets = services.keyring.list().map((v) => services.keyring.get(v.version));
    const storeDir = join(agent.dataDir, 'store');
    const rootKey = loadExistingRootKey(storeDir, {}).key;
    const db = openKmsDatabase(storeDir);
    try {
      const repo = new KmsRepository(db);
      for (const row of repo.keysInRegion(services.kms.region)) {
        for (const m of repo.materials(row.keyId)) secrets.push(openMaterial(rootKey, row.keyId, m.materialId, m.sealed), m.sealed);
      }
    } finally {
      db.close();
    }
    expect(secrets.length).toBeGreaterThan(6);
    const sent = wire.join('\n');
    expect(sent).toContain('"materials"');
    for (const secret of secrets) {
      for (const encoded of [secret.toString('hex'), secret.toString('base64'), secret.toString('base64url')]) expect(sent.toLowerCase()).not.toContain(encoded.toLowerCase());
    }
  });
});
