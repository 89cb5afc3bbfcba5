// A real `coffer store` under --trace-gc: a large PUT and GET do not set off a string of full collections.
// The store caps old-generation growth for its small requests; a cap left in force while a large body
// streams made V8 mark and compact a heap with nothing to free every few dozen megabytes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { md5Hex } from '../support/s3Expect.js';
import { spawnStore, type StoreProcess } from '../support/storeProcess.js';

const CREDS = { accessKeyId: 'STREAMGCTESTKEY1', secretAccessKey: 'stream-gc-test-secret-4d8e1a' };
const ENV = { COFFER_ACCESS_KEY: CREDS.accessKeyId, COFFER_SECRET_KEY: CREDS.secretAccessKey, COFFER_STORE_ROOT_KEY: '' };
const MIB = 1024 * 1024;
const BODY_BYTES = 512 * MIB;
/** Runs node (the trailing arguments) with --trace-gc, which prints one line per collection on stdout. */
const TRACE_GC = ['/bin/sh', '-c', 'exec "$0" --trace-gc "$@"'];

let dataDir: string;
let store: StoreProcess;
let client: S3Client;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'coffer-stream-gc-'));
  store = await spawnStore(['--data-dir', dataDir, '--port', '0', '--https-port', '0', '--log-level', 'warn'], ENV, { launcher: TRACE_GC });
  client = new S3Client({
    endpoint: store.httpUrl,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: CREDS,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  await client.send(new CreateBucketCommand({ Bucket: 'stream' }));
});

afterAll(async () => {
  client?.destroy();
  await store?.stop('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

/** Full collections the store printed while `work` ran (the trace line lands before the response does, or within 200 ms). */
function fullCollections(): number {
  return store.stdout.filter((line) => line.includes('Mark-Compact')).length;
}

async function fullCollectionsDuring(work: () => Promise<void>): Promise<number> {
  const before = fullCollections();
  await work();
  await new Promise((resolve) => setTimeout(resolve, 200));
  return fullCollections() - before;
}

describe('a large transfer through coffer store', () => {
  // A repeated 1 MiB random block: the store's work per byte is the same as for any data.
  const block = Buffer.from(Array.from({ length: MIB }, (_, i) => (i * 2654435761) >>> 24));
  const body = Buffer.concat(Array.from({ length: BODY_BYTES / MIB }, () => block));
  const bodyMd5 = md5Hex(body);

  it('runs at most a couple of full collections over a 512 MiB SSE-S3 PUT and its GET', async () => {
    // The cap bites from V8's first full collection on; starting (its certificate, its databases) runs one.
    expect(fullCollections(), 'a full collection must have set the capped limit before the PUT').toBeGreaterThan(0);
    // Here: 1 for the PUT and 0 or 1 for the GET with the cap lifted while the bodies stream; 14 and 1 with it in force.
    const duringPut = await fullCollectionsDuring(async () => {
      const put = await client.send(new PutObjectCommand({ Bucket: 'stream', Key: 'large', Body: body, ServerSideEncryption: 'AES256' }));
      expect(put.ETag).toBe(`"${bodyMd5}"`);
    });
    const duringGet = await fullCollectionsDuring(async () => {
      const got = await client.send(new GetObjectCommand({ Bucket: 'stream', Key: 'large' }));
      const bytes = Buffer.from(await got.Body!.transformToByteArray());
      expect(bytes.equals(body)).toBe(true);
    });
    expect(store.output(), 'the store must be printing its collections').toMatch(/Scavenge/);
    expect(duringPut).toBeLessThanOrEqual(3);
    expect(duringGet).toBeLessThanOrEqual(3);
  }, 120_000);
});
