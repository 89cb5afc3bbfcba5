// The agent under stress: killed mid-upload, its store killed mid-sync, a wrong SSE-C key, a locked vault.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, ListMultipartUploadsCommand, ListPartsCommand, S3Client } from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import https from 'node:https';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { INDEX_FILE } from '../../main/core/sync/index/localIndex.js';
import { auditEvents, createAgentDevice, PASSPHRASE, type AgentDevice } from '../support/agentDevice.js';
import { spawnStore, type StoreProcess } from '../support/storeProcess.js';

const MIB = 1024 * 1024;
let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A standalone `coffer store` on a fixed HTTPS port, so it can be killed and started again at the same address. */
async function standaloneStore(): Promise<{ dir: string; httpsPort: number; start(): Promise<StoreProcess>; client(): S3Client; proc?: StoreProcess }> {
  const dir = mkdtempSync(join(tmpdir(), 'coffer-e2e-store-'));
  const httpsPort = await freePort();
  const handle = {
    dir,
    httpsPort,
    proc: undefined as StoreProcess | undefined,
    async start() {
      handle.proc = await spawnStore(['--data-dir', dir, '--port', '0', '--https-port', String(httpsPort), '--log-level', 'warn'], { COFFER_ACCESS_KEY: 'E2EACCESSKEY0001', COFFER_SECRET_KEY: 'e2e-secret-key-0123456789' });
      return handle.proc;
    },
    client() {
      const agent = new https.Agent({ ca: readFileSync(join(dir, 'tls', 'cert.pem')) });
      return new S3Client({
        endpoint: `https://127.0.0.1:${httpsPort}`,
        region: 'us-east-1',
        forcePathStyle: true,
        credentials: { accessKeyId: 'E2EACCESSKEY0001', secretAccessKey: 'e2e-secret-key-0123456789' },
        requestHandler: new NodeHttpHandler({ httpsAgent: agent }),
      });
    },
  };
  cleanup.push(async () => {
    await handle.proc?.stop('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });
  return handle;
}

async function deviceOn(store: { dir: string; httpsPort: number }, name: string, config: Record<string, unknown>, mode = 'sse-s3', extra: string[] = []): Promise<AgentDevice> {
  const device = await createAgentDevice(name, config);
  cleanup.push(() => device.close());
  await device.coffer(['vault', 'init', '--json']);
  await device.coffer(
    ['folder', 'add', device.folder, '--bucket', 'resilience', '--mode', mode, '--store', `https://127.0.0.1:${store.httpsPort}`, '--path-style', '--ca-cert', join(store.dir, 'tls', 'cert.pem'), ...extra],
    { AWS_ACCESS_KEY_ID: 'E2EACCESSKEY0001', AWS_SECRET_ACCESS_KEY: 'e2e-secret-key-0123456789' },
  );
  return device;
}

async function objectSha256(client: S3Client, key: string, sseKey?: Buffer): Promise<string> {
  const out = await client.send(
    new GetObjectCommand({ Bucket: 'resilience', Key: key, ...(sseKey ? { SSECustomerAlgorithm: 'AES256', SSECustomerKey: sseKey as unknown as string } : {}) }),
  );
  return createHash('sha256').update(Buffer.from(await out.Body!.transformToByteArray())).digest('hex');
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('the agent under stress', () => {
  it('killed (kill -9) in the middle of a large upload, it resumes the multipart upload and the bytes are identical', async () => {
    const store = await standaloneStore();
    await store.start();
    // Slow uploads (8 MiB/s) so the kill lands between parts.
    const device = await deviceOn(store, 'laptop', { watch: false, remotePollSeconds: 3600, uploadKiBps: 8192 });
    const big = randomBytes(120 * MIB);
    writeFileSync(join(device.folder, 'video.bin'), big);
    await device.start();
    const client = store.client();
    cleanup.push(async () => client.destroy());
    // The device's own record of finished parts (its index) decides what a restart sends again; the
    // store may hold a part or two more, finished while the kill landed, which cannot be told apart
    // from someone else's bytes and are sent again.
    const recordedParts = (): number => {
      if (!existsSync(join(device.dataDir, INDEX_FILE))) return 0;
      const index = new Database(join(device.dataDir, INDEX_FILE), { readonly: true, fileMustExist: true });
      try {
        return index.prepare("SELECT count(*) FROM upload_parts WHERE key = 'video.bin'").pluck().get() as number;
      } finally {
        index.close();
      }
    };
    await waitFor('two parts recorded by the device', async () => (recordedParts() >= 2 ? true : undefined));
    await device.stop('SIGKILL');
    const partsBefore = recordedParts();
    const uploadId = (await client.send(new ListMultipartUploadsCommand({ Bucket: 'resilience' }))).Uploads?.find((u) => u.Key === 'video.bin')?.UploadId;
    expect(uploadId).toBeDefined();
    expect((await client.send(new ListPartsCommand({ Bucket: 'resilience', Key: 'video.bin', UploadId: uploadId }))).Parts!.length).toBeGreaterThanOrEqual(partsBefore);

    writeFileSync(join(device.dataDir, 'config.json'), JSON.stringify({ deviceName: 'laptop', watch: false, remotePollSeconds: 3600 }));
    const restartedAt = new Date().toISOString();
    await device.start();
    await device.coffer(['sync-now']);
    expect(await objectSha256(client, 'video.bin')).toBe(createHash('sha256').update(big).digest('hex'));
    // Resumed, not restarted: the same upload id completed, and no upload is left behind.
    const creates = await auditEvents(store.dir, ['--operation', 'CreateMultipartUpload', '--prefix', 'video.bin']);
    expect(creates).toHaveLength(1);
    // 120 MiB in 16 MiB parts is 8 parts: after the restart only the parts the device had not recorded were sent.
    const resent = await auditEvents(store.dir, ['--operation', 'UploadPart', '--prefix', 'video.bin', '--outcome', 'success', '--since', restartedAt]);
    expect(partsBefore).toBeGreaterThanOrEqual(2);
    expect(resent.length).toBe(8 - partsBefore);
    expect((await client.send(new ListMultipartUploadsCommand({ Bucket: 'resilience' }))).Uploads ?? []).toEqual([]);
  });

  it('its store killed and restarted mid-sync: the folder reports the error, then the running agent finishes when the store is back', async () => {
    const store = await standaloneStore();
    await store.start();
    const device = await deviceOn(store, 'laptop', { watch: false, remotePollSeconds: 3600, uploadKiBps: 8192 });
    const files = Array.from({ length: 4 }, () => randomBytes(20 * MIB));
    files.forEach((content, i) => writeFileSync(join(device.folder, `part-${i}.bin`), content));
    await device.start();
    const sync = device.coffer(['sync-now']).catch((err: unknown) => err);
    await new Promise((r) => setTimeout(r, 1500));
    await store.proc!.stop('SIGKILL');
    await sync;
    const during = JSON.parse((await device.coffer(['status', '--json'])).stdout) as { folders: { state: string; errors: unknown[]; reason?: string }[] };
    expect(during.folders[0]!.state === 'error' || during.folders[0]!.errors.length > 0).toBe(true);
    // The same agent, never restarted: its next cycle reaches the store again at the same address.
    await store.start();
    await device.coffer(['sync-now']);
    const client = store.client();
    cleanup.push(async () => client.destroy());
    for (let i = 0; i < files.length; i++) expect(await objectSha256(client, `part-${i}.bin`)).toBe(createHash('sha256').update(files[i]!).digest('hex'));
    const after = JSON.parse((await device.coffer(['status', '--json'])).stdout) as { folders: { state: string; errors: unknown[] }[] };
    expect(after.folders[0]).toMatchObject({ state: 'idle', errors: [] });
  });

  it('a wrong SSE-C key: downloads fail with a clear per-file error and nothing is written locally', async () => {
    const store = await standaloneStore();
    await store.start();
    const keyA = join(store.dir, 'a.key');
    const keyB = join(store.dir, 'b.key');
    writeFileSync(keyA, randomBytes(32).toString('hex'));
    writeFileSync(keyB, randomBytes(32).toString('hex'));
    const a = await deviceOn(store, 'laptop', { watch: false, remotePollSeconds: 3600 }, 'sse-c-key', ['--sse-c-key-file', keyA]);
    writeFileSync(join(a.folder, 'secret.txt'), 'only for key A');
    await a.start();
    await a.coffer(['sync-now']);
    const b = await deviceOn(store, 'desktop', { watch: false, remotePollSeconds: 3600 }, 'sse-c-key', ['--sse-c-key-file', keyB]);
    await b.start();
    await b.coffer(['sync-now']);
    expect(existsSync(join(b.folder, 'secret.txt'))).toBe(false);
    const status = JSON.parse((await b.coffer(['status', '--json'])).stdout) as { folders: { errors: { path: string; message: string }[] }[] };
    expect(status.folders[0]!.errors).toEqual([{ path: 'secret.txt', message: expect.stringMatching(/AccessDenied/) }]);
    expect(JSON.stringify(status)).not.toContain(readFileSync(keyB, 'utf8'));
  });

  it('a locked vault: vault folders wait with a reason, and start syncing once the vault is unlocked', async () => {
    const store = await standaloneStore();
    await store.start();
    const device = await deviceOn(store, 'laptop', { watch: false, remotePollSeconds: 3600 }, 'sse-c-vault');
    writeFileSync(join(device.folder, 'diary.txt'), 'dear diary');
    const locked = { ...device.env, COFFER_PASSPHRASE: undefined };
    Object.assign(device.env, locked);
    await device.start();
    const before = JSON.parse((await device.coffer(['status', '--json'])).stdout) as { vault: { unlocked: boolean }; folders: { state: string; reason: string }[] };
    expect(before.vault.unlocked).toBe(false);
    expect(before.folders[0]!.reason).toMatch(/vault is locked/);
    await device.coffer(['vault', 'unlock'], { COFFER_PASSPHRASE: PASSPHRASE });
    await device.coffer(['sync-now']);
    const client = store.client();
    cleanup.push(async () => client.destroy());
    const after = JSON.parse((await device.coffer(['status', '--json'])).stdout) as { vault: { unlocked: boolean }; folders: { state: string }[] };
    expect(after).toMatchObject({ vault: { unlocked: true }, folders: [{ state: 'idle' }] });
    await device.coffer(['vault', 'lock']);
    const relocked = JSON.parse((await device.coffer(['status', '--json'])).stdout) as { vault: { unlocked: boolean }; folders: { reason: string }[] };
    expect(relocked.vault.unlocked).toBe(false);
    expect(relocked.folders[0]!.reason).toMatch(/vault is locked/);
  });
});
