// The agent's embedded store on its own thread: it serves real SDK requests, the agent's own services see and change the same files, a dead thread comes back at the same address, and close stops it.
import { createServer } from 'node:net';
import https from 'node:https';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../main/agent/logger.js';
import { parseStoreCommandOptions } from '../../main/agent/store/storeCommandOptions.js';
import { StoreThreadStartError } from '../../main/agent/store/storeThreadHost.js';
import { runStoreInThread, type AgentStore } from '../../main/agent/store/agentStore.js';

const ENV = { COFFER_ACCESS_KEY: 'COFFERTHREADTEST0001', COFFER_SECRET_KEY: 'store-thread-test-secret-0123456789abcdef' };

let dataDir: string;
let store: Awaited<ReturnType<typeof runStoreInThread>>;
let client: S3Client;

function clientFor(s: AgentStore): S3Client {
  return new S3Client({
    endpoint: s.running.httpsUrl,
    region: 'us-east-1',
    forcePathStyle: true,
    maxAttempts: 1,
    credentials: { accessKeyId: ENV.COFFER_ACCESS_KEY, secretAccessKey: ENV.COFFER_SECRET_KEY },
    requestHandler: new NodeHttpHandler({ httpsAgent: new https.Agent({ ca: s.tls!.cert, keepAlive: false }) }),
  });
}

async function getText(key: string): Promise<string> {
  const out = await client.send(new GetObjectCommand({ Bucket: 'threaded', Key: key }));
  return out.Body!.transformToString();
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'coffer-store-thread-'));
  const options = parseStoreCommandOptions({ dataDir, port: 0, httpsPort: 0, logLevel: 'silent' });
  store = await runStoreInThread(options, createLogger('silent'), ENV);
  client = clientFor(store);
  await client.send(new CreateBucketCommand({ Bucket: 'threaded' }));
});

afterAll(async () => {
  client?.destroy();
  await store?.running.close().catch(() => undefined);
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the store thread', () => {
  it('serves SSE-S3 objects that the agent-side services see, sealed under the master key the agent rotates', async () => {
    await client.send(new PutObjectCommand({ Bucket: 'threaded', Key: 'before.txt', Body: 'first', ServerSideEncryption: 'AES256' }));
    const services = store.running.services;
    const before = services.meta.getObject('threaded', 'before.txt');
    expect(before?.encryption).toMatchObject({ mode: 'SSE-S3' });
    const oldVersion = (before!.encryption as { masterKeyVersion: number }).masterKeyVersion;
    const rotated = services.keyring.rotate();
    expect(rotated).toBe(oldVersion + 1);
    await client.send(new PutObjectCommand({ Bucket: 'threaded', Key: 'after.txt', Body: 'second', ServerSideEncryption: 'AES256' }));
    expect(services.meta.getObject('threaded', 'after.txt')?.encryption).toMatchObject({ masterKeyVersion: rotated });
    expect(await getText('before.txt')).toBe('first');
    expect(await getText('after.txt')).toBe('second');
  });

  it("puts the thread's requests in the agent's access history once flushed", async () => {
    await client.send(new PutObjectCommand({ Bucket: 'threaded', Key: 'audited.txt', Body: 'x' }));
    await store.flushAudit();
    await store.running.services.auditLog!.flush();
    const page = store.running.services.auditLog!.query({ bucket: 'threaded', keyPrefix: 'audited.txt', operations: ['PutObject'] });
    expect(page.events).toHaveLength(1);
  });

  it('starts a thread that died again on the same ports, with every object still there', async () => {
    const url = store.running.httpsUrl;
    await store.thread.thread.terminate();
    const deadline = Date.now() + 20_000;
    while (store.thread.restarts === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(store.thread.restarts).toBe(1);
    expect(store.running.httpsUrl).toBe(url);
    client.destroy();
    client = clientFor(store);
    expect(await getText('before.txt')).toBe('first');
  });
});

describe('starting and stopping', () => {
  it("says why the store cannot start, in the store's own words", async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    const dir = mkdtempSync(join(tmpdir(), 'coffer-store-thread-busy-'));
    try {
      const options = parseStoreCommandOptions({ dataDir: dir, port, httpsPort: 0, logLevel: 'silent' });
      const failure = runStoreInThread(options, createLogger('silent'), ENV);
      await expect(failure).rejects.toBeInstanceOf(StoreThreadStartError);
      await expect(failure).rejects.toThrow(/EADDRINUSE/);
    } finally {
      blocker.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('close ends the thread and frees the ports', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'coffer-store-thread-close-'));
    try {
      const own = await runStoreInThread(parseStoreCommandOptions({ dataDir: dir, port: 0, httpsPort: 0, logLevel: 'silent' }), createLogger('silent'), ENV);
      const exited = new Promise<number>((resolve) => own.thread.thread.once('exit', resolve));
      await own.running.close();
      await exited;
      const port = Number(new URL(own.running.httpUrl).port);
      const probe = createServer();
      await new Promise<void>((resolve, reject) => {
        probe.once('error', reject);
        probe.listen(port, '127.0.0.1', resolve);
      });
      probe.close();
      expect(own.thread.restarts).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
