// An object becomes visible only once its bytes are durable: the system calls of a real store, traced with strace, show the
// blob file and its directory fsynced before the SQLite commit that names the object.
import { readFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { objectBlobFiles } from '../support/blobFiles.js';
import { spawnStore, type StoreProcess } from '../support/storeProcess.js';

const CREDS = { accessKeyId: 'FSYNCTESTKEY', secretAccessKey: 'fsync-test-secret' };
const ENV = { COFFER_ACCESS_KEY: CREDS.accessKeyId, COFFER_SECRET_KEY: CREDS.secretAccessKey };

let base: string;
let store: StoreProcess | undefined;
let client: S3Client | undefined;

beforeEach(() => {
  base = mkdtempSync(join(tmpdir(), 'coffer-fsync-'));
});
afterEach(async () => {
  client?.destroy();
  await store?.stop('SIGKILL');
  store = undefined;
  rmSync(base, { recursive: true, force: true });
});

/** The pid of the node process strace started (its only child). */
function tracedPid(stracePid: number): number {
  const children = readFileSync(`/proc/${stracePid}/task/${stracePid}/children`, 'utf8').trim().split(/\s+/);
  return Number(children[0]);
}

/** Index of the first line at or after `from` that matches, or -1. */
function firstFrom(lines: readonly string[], from: number, match: (line: string) => boolean): number {
  for (let i = Math.max(0, from); i < lines.length; i++) if (match(lines[i]!)) return i;
  return -1;
}

const isSyncOf = (path: string) => (line: string): boolean => /\b(fsync|fdatasync)\(\d+</.test(line) && line.includes(`<${path}>`);

describe('a PUT of a large object', () => {
  it('fsyncs the blob file and its directory before the commit that makes the object visible', async () => {
    const dataDir = join(base, 'data');
    const trace = join(base, 'trace.txt');
    store = await spawnStore(['--data-dir', dataDir, '--port', '0', '--no-https'], ENV, {
      // -f: every thread (the commit and the fsyncs run on libuv's pool); -y: file descriptors shown with their paths.
      launcher: ['strace', '-f', '-y', '-qq', '-e', 'trace=openat,fsync,fdatasync', '-o', trace],
    });
    client = new S3Client({ endpoint: store.httpUrl, region: 'us-east-1', forcePathStyle: true, credentials: CREDS, maxAttempts: 1 });
    await client.send(new CreateBucketCommand({ Bucket: 'durable' }));
    const body = randomBytes(3 * 1024 * 1024);
    await client.send(new PutObjectCommand({ Bucket: 'durable', Key: 'photo.raw', Body: body }));
    const got = await client.send(new GetObjectCommand({ Bucket: 'durable', Key: 'photo.raw' }));
    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(body)).toBe(true);

    const [blob] = objectBlobFiles(dataDir, 'durable', 'photo.raw');
    expect(blob).toBeDefined();
    const blobDir = join(blob!, '..');
    const wal = join(dataDir, 'store.db-wal');
    // A clean stop of the store itself, so strace sees it exit and writes out the whole trace.
    process.kill(tracedPid(store.pid), 'SIGINT');
    expect(await store.exited).toBe(0);
    store = undefined;

    const lines = readFileSync(trace, 'utf8').split('\n');
    const opened = firstFrom(lines, 0, (l) => l.includes('openat(') && l.includes(blob!) && l.includes('O_CREAT'));
    expect(opened, 'the blob file is created').toBeGreaterThanOrEqual(0);
    const blobSynced = lines.findLastIndex(isSyncOf(blob!));
    const dirSynced = firstFrom(lines, opened, isSyncOf(blobDir));
    const committed = firstFrom(lines, opened, isSyncOf(wal));
    expect(blobSynced, 'the blob file is fsynced').toBeGreaterThan(opened);
    expect(dirSynced, 'the directory naming the blob is fsynced').toBeGreaterThan(opened);
    expect(committed, 'the object row is committed (WAL fsync)').toBeGreaterThan(opened);
    expect(blobSynced).toBeLessThan(committed);
    expect(dirSynced).toBeLessThan(committed);
    expect(readdirSync(blobDir)).toContain(blob!.split('/').at(-1));
  });
});
