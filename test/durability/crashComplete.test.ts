// kill -9 of a real store process while CompleteMultipartUpload replaces an existing object: the key serves one whole version.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  ListPartsCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
  type CompleteMultipartUploadCommandInput,
} from '@aws-sdk/client-s3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectNoOrphanBlobs, expectNoOrphanBlobsSoon } from '../support/blobFiles.js';
import { expectS3Error } from '../support/s3Expect.js';
import { spawnStore, type StoreProcess } from '../support/storeProcess.js';

const CREDS = { accessKeyId: 'CRASHCOMPLETEKEY', secretAccessKey: 'crash-complete-secret' };
const ENV = { COFFER_ACCESS_KEY: CREDS.accessKeyId, COFFER_SECRET_KEY: CREDS.secretAccessKey };
const KIB = 1024;
const MIB = 1024 * KIB;
const BUCKET = 'crash';
const KEY = 'doc';
const ROUNDS = 5;
/**
 * Complete reads its part list, commits the object and drops the upload in one SQLite transaction,
 * answers, and then unlinks the files nothing names any more: the replaced object's and those of
 * parts the list leaves out. Each upload carries this many such left-out parts, every one large
 * enough to be a file (over the 128 KiB inline limit), so the unlinking after the answer lasts long
 * enough for a kill to land before, during or after it.
 */
const LEFT_OUT_PARTS = 120;
const LEFT_OUT_PART_BYTES = 136 * KIB;
const PARALLEL_PART_UPLOADS = 6;

let dataDir: string;
let store: StoreProcess | undefined;
let client: S3Client | undefined;

async function start(): Promise<S3Client> {
  store = await spawnStore(['--data-dir', dataDir, '--port', '0', '--no-https'], ENV);
  client = new S3Client({ endpoint: store.httpUrl, region: 'us-east-1', forcePathStyle: true, credentials: CREDS, maxAttempts: 1 });
  return client;
}

/** SIGKILL first, so nothing the client does on closing its sockets reaches the store before it dies. */
async function crash(): Promise<void> {
  await store!.stop('SIGKILL');
  store = undefined;
  client?.destroy();
  client = undefined;
}

/** Settles at once so the rejection a crash causes is never unhandled; resolves with the error, if any. */
function outcome(request: Promise<unknown>): Promise<unknown> {
  return request.then(
    () => undefined,
    (err: unknown) => err,
  );
}

async function read(c: S3Client, key: string): Promise<Buffer> {
  const got = await c.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  return Buffer.from(await got.Body!.transformToByteArray());
}

interface PreparedUpload {
  uploadId: string;
  /** What the key holds once the upload completes: part 1 then part 2. */
  body: Buffer;
  /** Parts stored in the upload, the left-out ones included. */
  partCount: number;
  complete: CompleteMultipartUploadCommandInput;
}

/** An upload of `key` whose Complete names a 5 MiB part and a short last one, and leaves LEFT_OUT_PARTS out. */
async function prepareUpload(c: S3Client, key: string): Promise<PreparedUpload> {
  const { UploadId } = await c.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: key }));
  const named = [randomBytes(5 * MIB), randomBytes(300 * KIB)];
  const etags: string[] = [];
  for (const [i, body] of named.entries()) {
    const part = await c.send(new UploadPartCommand({ Bucket: BUCKET, Key: key, UploadId, PartNumber: i + 1, Body: body }));
    etags.push(part.ETag!);
  }
  const leftOut = Buffer.alloc(LEFT_OUT_PART_BYTES, 0x5a);
  for (let first = 3; first < 3 + LEFT_OUT_PARTS; first += PARALLEL_PART_UPLOADS) {
    const numbers = Array.from({ length: Math.min(PARALLEL_PART_UPLOADS, 3 + LEFT_OUT_PARTS - first) }, (_, i) => first + i);
    await Promise.all(numbers.map((n) => c.send(new UploadPartCommand({ Bucket: BUCKET, Key: key, UploadId, PartNumber: n, Body: leftOut }))));
  }
  return {
    uploadId: UploadId!,
    body: Buffer.concat(named),
    partCount: named.length + LEFT_OUT_PARTS,
    complete: { Bucket: BUCKET, Key: key, UploadId, MultipartUpload: { Parts: etags.map((ETag, i) => ({ PartNumber: i + 1, ETag })) } },
  };
}

async function uploadIdsOf(c: S3Client, key: string): Promise<string[]> {
  const listed = await c.send(new ListMultipartUploadsCommand({ Bucket: BUCKET, Prefix: key }));
  return (listed.Uploads ?? []).filter((u) => u.Key === key).map((u) => u.UploadId!);
}

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'coffer-crash-complete-'));
});

afterEach(async () => {
  client?.destroy();
  await store?.stop('SIGKILL');
  store = undefined;
  rmSync(dataDir, { recursive: true, force: true });
});

describe('a store killed with SIGKILL during CompleteMultipartUpload over an existing object', () => {
  it('serves the whole old or the whole new object after each restart, keeps the upload only with the old one, and leaves no orphan', async () => {
    let c = await start();
    await c.send(new CreateBucketCommand({ Bucket: BUCKET }));
    let current: Buffer = randomBytes(3 * MIB);
    await c.send(new PutObjectCommand({ Bucket: BUCKET, Key: KEY, Body: current }));

    // How long one Complete of this shape takes here, replacing an object as the rounds do; only to spread the kills.
    await c.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'probe', Body: randomBytes(3 * MIB) }));
    const probe = await prepareUpload(c, 'probe');
    const began = performance.now();
    await c.send(new CompleteMultipartUploadCommand(probe.complete));
    const completeMs = performance.now() - began;
    expect((await read(c, 'probe')).equals(probe.body)).toBe(true);

    let survivors = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const upload = await prepareUpload(c, KEY);
      // From before the store sees the request to a little past its measured end.
      const delayMs = (round / (ROUNDS - 1)) * completeMs * 1.1;
      const completion = outcome(c.send(new CompleteMultipartUploadCommand(upload.complete)));
      await sleep(delayMs);
      await crash();
      const answeredOk = (await completion) === undefined;

      c = await start();
      const now = await read(c, KEY);
      const isNew = now.equals(upload.body);
      expect(isNew || now.equals(current), `round ${round}: the key serves neither version whole`).toBe(true);
      // A Complete the client saw succeed must have been durable.
      if (answeredOk) expect(isNew, `round ${round}: an acknowledged Complete was lost`).toBe(true);
      const listed = await c.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: KEY }));
      expect(listed.Contents?.map((o) => [o.Key, o.Size])).toEqual([[KEY, now.length]]);

      if (isNew) {
        expect(await uploadIdsOf(c, KEY)).toEqual([]);
        await expectS3Error(c.send(new ListPartsCommand({ Bucket: BUCKET, Key: KEY, UploadId: upload.uploadId })), { code: 'NoSuchUpload', status: 404 });
        expectNoOrphanBlobs(dataDir);
        current = upload.body;
        continue;
      }
      expect(await uploadIdsOf(c, KEY)).toEqual([upload.uploadId]);
      const parts = await c.send(new ListPartsCommand({ Bucket: BUCKET, Key: KEY, UploadId: upload.uploadId }));
      expect(parts.Parts?.length).toBe(upload.partCount);
      expectNoOrphanBlobs(dataDir);
      // Half the surviving uploads are finished, half given up, so both ways out are checked after a crash.
      if (survivors++ % 2 === 0) {
        await c.send(new CompleteMultipartUploadCommand(upload.complete));
        current = upload.body;
      } else {
        await c.send(new AbortMultipartUploadCommand({ Bucket: BUCKET, Key: KEY, UploadId: upload.uploadId }));
      }
      expect((await read(c, KEY)).equals(current)).toBe(true);
      expect(await uploadIdsOf(c, KEY)).toEqual([]);
      await expectNoOrphanBlobsSoon(dataDir);
    }
    expect((await read(c, 'probe')).equals(probe.body)).toBe(true);
  }, 600_000);
});
