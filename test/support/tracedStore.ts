// Test support: one PUT and GET through a real `coffer store` running under strace, and the trace it left.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { expect } from 'vitest';
import { objectBlobFiles } from './blobFiles.js';
import { spawnStore, type StoreProcess } from './storeProcess.js';

const CREDS = { accessKeyId: 'TRACEDTESTKEY', secretAccessKey: 'traced-test-secret' };
const ENV = { COFFER_ACCESS_KEY: CREDS.accessKeyId, COFFER_SECRET_KEY: CREDS.secretAccessKey };

export interface TracedRoundTrip {
  /** The strace output, one line per system call (or part of one). */
  lines: string[];
  /** The object's blob file. */
  blob: string;
  dataDir: string;
}

/** The pid of the node process strace started (its only child). */
function tracedPid(stracePid: number): number {
  return Number(readFileSync(`/proc/${stracePid}/task/${stracePid}/children`, 'utf8').trim().split(/\s+/)[0]);
}

/**
 * Starts the store under `strace -f -y -qq <straceArgs> -o trace` (every thread, descriptors shown with
 * their paths), PUTs `bodyBytes` random bytes, checks the GET returns them, and stops the store itself
 * with Ctrl-C so strace writes out the whole trace. `inspect` runs on the trace while the data
 * directory still exists; everything is removed afterwards, the store killed if it is still running.
 */
export async function withTracedRoundTrip(
  options: { straceArgs: readonly string[]; storeArgs?: readonly string[]; bodyBytes: number },
  inspect: (trip: TracedRoundTrip) => void,
): Promise<void> {
  const base = mkdtempSync(join(tmpdir(), 'coffer-traced-'));
  const dataDir = join(base, 'data');
  const trace = join(base, 'trace.txt');
  let store: StoreProcess | undefined;
  let client: S3Client | undefined;
  try {
    store = await spawnStore(['--data-dir', dataDir, '--port', '0', '--no-https', ...(options.storeArgs ?? [])], ENV, {
      launcher: ['strace', '-f', '-y', '-qq', ...options.straceArgs, '-o', trace],
    });
    client = new S3Client({ endpoint: store.httpUrl, region: 'us-east-1', forcePathStyle: true, credentials: CREDS, maxAttempts: 1 });
    await client.send(new CreateBucketCommand({ Bucket: 'traced' }));
    const body = randomBytes(options.bodyBytes);
    await client.send(new PutObjectCommand({ Bucket: 'traced', Key: 'large.bin', Body: body }));
    const got = await client.send(new GetObjectCommand({ Bucket: 'traced', Key: 'large.bin' }));
    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(body)).toBe(true);
    const [blob] = objectBlobFiles(dataDir, 'traced', 'large.bin');
    expect(blob, 'the object is stored in a blob file').toBeDefined();
    process.kill(tracedPid(store.pid), 'SIGINT');
    expect(await store.exited).toBe(0);
    store = undefined;
    inspect({ lines: readFileSync(trace, 'utf8').split('\n'), blob: blob!, dataDir });
  } finally {
    client?.destroy();
    await store?.stop('SIGKILL');
    rmSync(base, { recursive: true, force: true });
  }
}
