// `coffer store` as users run it: first start, restart, credentials, TLS, rotation and a clean Ctrl-C.
import { X509Certificate } from 'node:crypto';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Readable } from 'node:stream';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { COFFER_BIN, spawnStore, type StoreProcess } from '../support/storeProcess.js';

const run = promisify(execFile);
let dataDir: string;
let running: StoreProcess | undefined;

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'coffer-cli-'));
});

afterEach(async () => {
  await running?.stop('SIGKILL');
  running = undefined;
  rmSync(dataDir, { recursive: true, force: true });
});

const PORTS = ['--port', '0', '--https-port', '0'];

function mode(file: string): number {
  return statSync(file).mode & 0o777;
}

function clientFor(url: string, credentials: { accessKeyId: string; secretAccessKey: string }, ca?: string): S3Client {
  return new S3Client({
    endpoint: url,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials,
    requestHandler: new NodeHttpHandler({ httpsAgent: new https.Agent({ ca }) }),
  });
}

describe('coffer store', () => {
  it('creates credentials, root key and certificate on first start, prints the secret once, and serves HTTPS with that certificate', async () => {
    running = await spawnStore(['--data-dir', dataDir, ...PORTS], { COFFER_ACCESS_KEY: '', COFFER_SECRET_KEY: '', COFFER_STORE_ROOT_KEY: '' });
    const first = running.stdout.join('\n');
    expect(running.httpUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(running.httpsUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const saved = JSON.parse(readFileSync(join(dataDir, 'credentials.json'), 'utf8')) as { accessKeyId: string; secretAccessKey: string };
    expect(first).toContain(saved.accessKeyId);
    expect(first).toContain(saved.secretAccessKey);
    expect(mode(join(dataDir, 'credentials.json'))).toBe(0o600);
    expect(mode(join(dataDir, 'root.key'))).toBe(0o600);
    expect(mode(join(dataDir, 'tls', 'key.pem'))).toBe(0o600);
    const certPem = readFileSync(join(dataDir, 'tls', 'cert.pem'), 'utf8');
    expect(first).toContain(new X509Certificate(certPem).fingerprint256);

    const client = clientFor(running.httpsUrl!, saved, certPem);
    await client.send(new CreateBucketCommand({ Bucket: 'first' }));
    await client.send(new PutObjectCommand({ Bucket: 'first', Key: 'k', Body: 'over tls' }));
    const got = await client.send(new GetObjectCommand({ Bucket: 'first', Key: 'k' }));
    expect(await got.Body!.transformToString()).toBe('over tls');
    client.destroy();
    expect(await running.stop()).toBe(0);

    // Second start: same certificate and credentials, and the secret is not printed again.
    running = await spawnStore(['--data-dir', dataDir, ...PORTS], { COFFER_ACCESS_KEY: '', COFFER_SECRET_KEY: '' });
    const second = running.stdout.join('\n');
    expect(second).toContain(saved.accessKeyId);
    expect(second).not.toContain(saved.secretAccessKey);
    expect(second).toContain(new X509Certificate(certPem).fingerprint256);
    const again = clientFor(running.httpUrl, saved);
    const reread = await again.send(new GetObjectCommand({ Bucket: 'first', Key: 'k' }));
    expect(await reread.Body!.transformToString()).toBe('over tls');
    again.destroy();
  });

  it('takes credentials from the environment and refuses half of a pair', async () => {
    const creds = { accessKeyId: 'ENVKEY123', secretAccessKey: 'env-secret-value-1' };
    running = await spawnStore(['--data-dir', dataDir, ...PORTS, '--no-https'], { COFFER_ACCESS_KEY: creds.accessKeyId, COFFER_SECRET_KEY: creds.secretAccessKey });
    expect(running.httpsUrl).toBeUndefined();
    expect(running.stdout.join('\n')).not.toContain(creds.secretAccessKey);
    const client = clientFor(running.httpUrl, creds);
    await client.send(new CreateBucketCommand({ Bucket: 'envcreds' }));
    client.destroy();
    await running.stop();
    running = undefined;
    const half = await run(process.execPath, [COFFER_BIN, 'store', '--data-dir', dataDir, ...PORTS], {
      env: { ...process.env, COFFER_ACCESS_KEY: 'ONLYKEY', COFFER_SECRET_KEY: '' },
    }).catch((err: { code: number; stderr: string }) => err);
    expect((half as { code: number }).code).toBe(1);
    expect((half as { stderr: string }).stderr).toContain('COFFER_SECRET_KEY');
  });

  it('rejects bad options with a clear message', async () => {
    const bad = await run(process.execPath, [COFFER_BIN, 'store', '--data-dir', dataDir, '--port', '70000']).catch((err: { code: number; stderr: string }) => err);
    expect((bad as { code: number }).code).toBe(1);
    expect((bad as { stderr: string }).stderr).toMatch(/--port/);
    const missing = await run(process.execPath, [COFFER_BIN, 'store']).catch((err: { code: number; stderr: string }) => err);
    expect((missing as { code: number }).code).not.toBe(0);
    expect((missing as { stderr: string }).stderr).toContain('--data-dir');
  });

  it('uses the user certificate given with --tls-cert and --tls-key', async () => {
    const { createSelfSigned } = await import('../../main/agent/store/selfSignedCertificate.js');
    const own = await createSelfSigned(['own.example']);
    const certFile = join(dataDir, 'own-cert.pem');
    const keyFile = join(dataDir, 'own-key.pem');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(certFile, own.cert);
    writeFileSync(keyFile, own.key, { mode: 0o600 });
    running = await spawnStore(['--data-dir', join(dataDir, 'store'), ...PORTS, '--tls-cert', certFile, '--tls-key', keyFile]);
    expect(running.stdout.join('\n')).toContain(new X509Certificate(own.cert).fingerprint256);
    const served = await new Promise<string>((resolve, reject) => {
      const req = https.get(`${running!.httpsUrl}/`, { ca: own.cert }, (res) => {
        resolve((res.socket as import('node:tls').TLSSocket).getPeerX509Certificate()!.fingerprint256);
        res.resume();
      });
      req.on('error', reject);
    });
    expect(served).toBe(new X509Certificate(own.cert).fingerprint256);
  });

  it('rotates the SSE-S3 master key on demand, running or not, and old objects stay readable', async () => {
    const creds = { accessKeyId: 'ROTATEKEY1', secretAccessKey: 'rotate-secret-1' };
    const env = { COFFER_ACCESS_KEY: creds.accessKeyId, COFFER_SECRET_KEY: creds.secretAccessKey };
    running = await spawnStore(['--data-dir', dataDir, ...PORTS, '--no-https'], env);
    const client = clientFor(running.httpUrl, creds);
    await client.send(new CreateBucketCommand({ Bucket: 'rot' }));
    await client.send(new PutObjectCommand({ Bucket: 'rot', Key: 'before', Body: 'sealed by v1' }));
    // While the store runs: the next PUT uses the new version at once.
    const rotated = await run(process.execPath, [COFFER_BIN, 'store', 'rotate-master-key', '--data-dir', dataDir]);
    expect(rotated.stdout).toContain('version 1 -> 2');
    await client.send(new PutObjectCommand({ Bucket: 'rot', Key: 'after', Body: 'sealed by v2' }));
    const listed = await run(process.execPath, [COFFER_BIN, 'store', 'list-master-keys', '--data-dir', dataDir, '--json']);
    expect((JSON.parse(listed.stdout) as { version: number }[]).map((v) => v.version)).toEqual([1, 2]);
    const { default: Database } = await import('better-sqlite3');
    const db = new Database(join(dataDir, 'store.db'), { readonly: true });
    const versions = db.prepare("SELECT key, json_extract(encryption, '$.masterKeyVersion') AS v FROM objects ORDER BY key").all();
    db.close();
    expect(versions).toEqual([
      { key: 'after', v: 2 },
      { key: 'before', v: 1 },
    ]);
    for (const [key, body] of [['before', 'sealed by v1'], ['after', 'sealed by v2']] as const) {
      const got = await client.send(new GetObjectCommand({ Bucket: 'rot', Key: key }));
      expect(await got.Body!.transformToString()).toBe(body);
    }
    client.destroy();
    await running.stop();
    running = undefined;
    // While stopped, too.
    const offline = await run(process.execPath, [COFFER_BIN, 'store', 'rotate-master-key', '--data-dir', dataDir]);
    expect(offline.stdout).toContain('version 2 -> 3');
  });

  it('finishes an in-flight upload on Ctrl-C, then exits 0', async () => {
    const creds = { accessKeyId: 'SIGINTKEY1', secretAccessKey: 'sigint-secret-1' };
    running = await spawnStore(['--data-dir', dataDir, ...PORTS, '--no-https'], { COFFER_ACCESS_KEY: creds.accessKeyId, COFFER_SECRET_KEY: creds.secretAccessKey });
    const client = clientFor(running.httpUrl, creds);
    await client.send(new CreateBucketCommand({ Bucket: 'inflight' }));
    const size = 4 * 1024 * 1024;
    let sent = 0;
    const store = running;
    // A slow body: the signal arrives while the upload is half sent.
    const body = new Readable({
      read() {
        if (sent >= size) return this.push(null);
        const piece = Buffer.alloc(256 * 1024, sent % 251);
        sent += piece.length;
        if (sent === size / 2) {
          store.child.kill('SIGINT');
          setTimeout(() => this.push(piece), 300);
        } else {
          this.push(piece);
        }
      },
    });
    const put = await client.send(new PutObjectCommand({ Bucket: 'inflight', Key: 'big', Body: body, ContentLength: size }));
    expect(put.ETag).toMatch(/^"[0-9a-f]{32}"$/);
    expect(await store.exited).toBe(0);
    expect(store.stdout.join('\n')).toContain('Stopped.');
    client.destroy();
    running = await spawnStore(['--data-dir', dataDir, ...PORTS, '--no-https'], { COFFER_ACCESS_KEY: creds.accessKeyId, COFFER_SECRET_KEY: creds.secretAccessKey });
    const again = clientFor(running.httpUrl, creds);
    const got = await again.send(new GetObjectCommand({ Bucket: 'inflight', Key: 'big' }));
    expect((await got.Body!.transformToByteArray()).length).toBe(size);
    again.destroy();
  });
});
