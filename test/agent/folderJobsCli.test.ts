// `coffer keys rekey` and `coffer folder set-mode` through a real agent process, and a pending change resumed when the agent starts.
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetObjectCommand, GetObjectTaggingCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it } from 'vitest';
import { openVault, type Vault } from '../../main/core/keys/vault/index.js';
import { runCoffer } from '../support/cofferCli.js';
import { createAgentDevice, PASSPHRASE, type AgentDevice } from '../support/agentDevice.js';

const BUCKET = 'jobs';
let devices: AgentDevice[] = [];
afterEach(async () => {
  for (const d of devices) await d.close();
  devices = [];
});

async function device(mode: string, files: Record<string, string | Buffer>, extra: string[] = []): Promise<{ a: AgentDevice; folderId: string }> {
  const a = await createAgentDevice('laptop');
  devices.push(a);
  await a.coffer(['vault', 'init']);
  await a.coffer(['folder', 'add', a.folder, '--mode', mode, '--bucket', BUCKET, ...extra]);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(a.folder, path, '..'), { recursive: true });
    writeFileSync(join(a.folder, path), content);
  }
  const list = JSON.parse((await a.coffer(['folder', 'list', '--json'])).stdout) as { id: string }[];
  return { a, folderId: list[0]!.id };
}

/** The device's embedded store, read straight over HTTPS as any S3 client would. */
const s3Of = (a: AgentDevice): S3Client => a.s3();

const sseC = (key: Buffer) => ({ SSECustomerAlgorithm: 'AES256', SSECustomerKey: key.toString('base64') });

async function bytesOf(s3: S3Client, key: string, customerKey?: Buffer): Promise<Buffer> {
  const out = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key, ...(customerKey ? sseC(customerKey) : {}) }));
  return Buffer.from(await out.Body!.transformToByteArray());
}

/** The device's vault, opened beside the running agent to read the keys the agent stored. */
async function vaultOf(a: AgentDevice): Promise<Vault> {
  const vault = openVault(a.dataDir);
  await vault.unlock(PASSPHRASE);
  return vault;
}

async function folderStatus(a: AgentDevice): Promise<{ id: string; mode: string; state: string; reason?: string; pendingMode?: string; job?: unknown }> {
  return (JSON.parse((await a.coffer(['status', '--json'])).stdout) as { folders: never[] }).folders[0]!;
}

describe('folder jobs from the command line, through the agent', () => {
  it('coffer keys rekey gives every file a new key by server-side copy; the files keep syncing', async () => {
    const files = { 'a.txt': 'alpha', 'docs/b.txt': 'bravo', 'c.bin': randomBytes(70_000) };
    const { a, folderId } = await device('sse-c-vault', files);
    await a.start();
    await a.coffer(['sync-now']);
    const s3 = s3Of(a);
    const tagOf = async (key: string): Promise<string | undefined> =>
      (await s3.send(new GetObjectTaggingCommand({ Bucket: BUCKET, Key: key }))).TagSet?.find((t) => t.Key === 'coffer-key')?.Value;
    const before = new Map(await Promise.all(Object.keys(files).map(async (k) => [k, await tagOf(k)] as const)));

    const run = await a.coffer(['keys', 'rekey', '--folder', folderId]);
    expect(run.stdout).toContain('Re-keyed 3 files (0 skipped: gone from the store, 0 failed).');

    const vault = await vaultOf(a);
    try {
      for (const [key, content] of Object.entries(files)) {
        const held = vault.fileKeyWithDescriptor(folderId, key)!;
        expect(await tagOf(key)).toBe(held.descriptor);
        expect(held.descriptor).not.toBe(before.get(key));
        expect((await bytesOf(s3, key, held.key)).equals(Buffer.from(content))).toBe(true);
      }
    } finally {
      vault.close();
    }
    const history = (await a.coffer(['audit', 'list', '--category', 'sync', '--json'])).stdout;
    expect(history.match(/"SyncRekey"/g)).toHaveLength(3);
    expect(history).toContain('SyncRekeySummary');
    // Nothing was re-keyed since: keys younger than a day are left alone.
    expect((await a.coffer(['keys', 'rekey', '--older-than', '1', '--json'])).stdout).toContain('"rekeyed":0');
    // The folder syncs on after the job: an edit goes up under the file's new key.
    writeFileSync(join(a.folder, 'a.txt'), 'alpha, edited');
    await a.coffer(['sync-now']);
    expect(await folderStatus(a)).toMatchObject({ state: 'idle' });
    const after = await vaultOf(a);
    try {
      expect((await bytesOf(s3, 'a.txt', after.fileKey(folderId, 'a.txt'))).toString()).toBe('alpha, edited');
    } finally {
      after.close();
    }
  });

  it('coffer folder set-mode re-encrypts every object into the new mode; the folder syncs in it afterwards', async () => {
    const files = { 'notes.txt': 'plain words', 'photos/big.bin': randomBytes(200_000) };
    const { a, folderId } = await device('sse-s3', files);
    await a.start();
    await a.coffer(['sync-now']);
    const keyFile = join(a.base, 'new.key');
    const userKey = randomBytes(32);
    writeFileSync(keyFile, userKey.toString('hex'));

    const run = await a.coffer(['folder', 'set-mode', folderId, '--mode', 'sse-c-key', '--sse-c-key-file', keyFile]);
    expect(run.stdout).toContain(`Folder ${folderId} is now sse-c-key: re-encrypted 2 objects`);
    const s3 = s3Of(a);
    for (const [key, content] of Object.entries(files)) {
      expect((await bytesOf(s3, key, userKey)).equals(Buffer.from(content))).toBe(true);
      expect((await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key, ...sseC(userKey) }))).SSECustomerAlgorithm).toBe('AES256');
    }
    expect(await folderStatus(a)).toMatchObject({ mode: 'sse-c-key', state: 'idle' });
    writeFileSync(join(a.folder, 'fresh.txt'), 'written after the change');
    await a.coffer(['sync-now']);
    expect((await bytesOf(s3, 'fresh.txt', userKey)).toString()).toBe('written after the change');
    expect((await a.coffer(['audit', 'list', '--category', 'sync', '--json'])).stdout).toContain('SyncChangeMode');

    const again = await runCoffer(['folder', 'set-mode', folderId, '--mode', 'sse-c-key', '--sse-c-key-file', keyFile, '--data-dir', a.dataDir], a.env);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already');
  });

  it('without an agent, a folder on a remote store is re-keyed and changes mode on the data dir, printing progress', async () => {
    const host = await createAgentDevice('host');
    devices.push(host);
    await host.coffer(['vault', 'init']);
    await host.start();
    const access = host.storeAccess();
    const laptop = await createAgentDevice('laptop');
    devices.push(laptop);
    await laptop.coffer(['vault', 'init']);
    await laptop.coffer(['folder', 'add', laptop.folder, '--mode', 'sse-c-vault', '--bucket', BUCKET, '--store', access.httpsUrl, '--path-style', '--ca-cert', access.caCertFile], {
      AWS_ACCESS_KEY_ID: access.accessKeyId,
      AWS_SECRET_ACCESS_KEY: access.secretAccessKey,
    });
    const files = { 'one.txt': 'first', 'two.txt': 'second' };
    for (const [path, content] of Object.entries(files)) writeFileSync(join(laptop.folder, path), content);
    await laptop.start();
    await laptop.coffer(['sync-now']);
    await laptop.stop();
    const folderId = (JSON.parse((await laptop.coffer(['folder', 'list', '--json'])).stdout) as { id: string }[])[0]!.id;

    const rekey = await laptop.coffer(['keys', 'rekey']);
    expect(rekey.stdout).toMatch(new RegExp(`re-keying ${folderId}: 2 of 2 \\((one|two)\\.txt\\)`));
    expect(rekey.stdout).toContain('Re-keyed 2 files');
    const s3 = s3Of(host);
    const vault = await vaultOf(laptop);
    try {
      for (const [key, content] of Object.entries(files)) expect((await bytesOf(s3, key, vault.fileKey(folderId, key))).toString()).toBe(content);
    } finally {
      vault.close();
    }

    const change = await laptop.coffer(['folder', 'set-mode', folderId, '--mode', 'sse-s3']);
    expect(change.stdout).toContain(`re-encrypting ${folderId}: 2 of 2`);
    expect(change.stdout).toContain(`Folder ${folderId} is now sse-s3`);
    for (const [key, content] of Object.entries(files)) {
      expect((await bytesOf(s3, key)).toString()).toBe(content);
      expect((await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }))).ServerSideEncryption).toBe('AES256');
    }
  });

  it('the agent carries on a pending change when it starts, before the folder syncs; without an agent the embedded store is refused', async () => {
    const { a, folderId } = await device('sse-c-vault', { 'kept.txt': 'kept across the change' });
    await a.start();
    await a.coffer(['sync-now']);
    await a.stop();

    const offline = await runCoffer(['keys', 'rekey', '--data-dir', a.dataDir], a.env);
    expect(offline.code).toBe(1);
    expect(offline.stderr).toContain('start the agent');

    // A change recorded by a run that never got to copy anything (it died at once).
    const vault = await vaultOf(a);
    try {
      const record = vault.folders.list().find((r) => r.id === folderId)!;
      const document = JSON.parse(record.settings) as Record<string, unknown>;
      vault.folders.update(folderId, { settings: JSON.stringify({ ...document, pendingMode: { mode: 'sse-s3', requestedAt: new Date().toISOString() } }) });
    } finally {
      vault.close();
    }
    await a.start();
    let status = await folderStatus(a);
    for (let i = 0; i < 200 && status.mode !== 'sse-s3'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      status = await folderStatus(a);
    }
    expect(status).toMatchObject({ mode: 'sse-s3' });
    expect(status.pendingMode).toBeUndefined();
    const s3 = s3Of(a);
    expect((await bytesOf(s3, 'kept.txt')).toString()).toBe('kept across the change');
    expect((await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'kept.txt' }))).ServerSideEncryption).toBe('AES256');
  });
});
