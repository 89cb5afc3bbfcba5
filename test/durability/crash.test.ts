// kill -9 of a real store process mid-PUT, mid-multipart and mid-copy: the previous version stays, nothing partial appears.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import Database from 'better-sqlite3';
import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  ListPartsCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawnStore, type StoreProcess } from '../support/storeProcess.js';

const CREDS = { accessKeyId: 'CRASHTESTKEY', secretAccessKey: 'crash-test-secret' };
const ENV = { COFFER_ACCESS_KEY: CREDS.accessKeyId, COFFER_SECRET_KEY: CREDS.secretAccessKey };
const MIB = 1024 * 1024;

let dataDir: string;
let store: StoreProcess | undefined;
let client: S3Client | undefined;

async function start(): Promise<S3Client> {
  store = await spawnStore(['--data-dir', dataDir, '--port', '0', '--no-https'], ENV);
  client = new S3Client({ endpoint: store.httpUrl, region: 'us-east-1', forcePathStyle: true, credentials: CREDS, maxAttempts: 1 });
  return client;
}

async function crash(): Promise<void> {
  client?.destroy();
  await store!.stop('SIGKILL');
  store = undefined;
}

function blobFiles(): Map<string, number> {
  const root = join(dataDir, 'blobs');
  const files = new Map<string, number>();
  for (const shard of readdirSync(root)) for (const name of readdirSync(join(root, shard))) files.set(name, statSync(join(root, shard, name)).size);
  return files;
}

/** Resolves once a blob file that was not there before exists and has grown past `bytes`. */
async function newBlobGrowing(before: ReadonlySet<string>, bytes: number): Promise<void> {
  for (let i = 0; i < 2000; i++) {
    for (const [name, size] of blobFiles()) if (!before.has(name) && size > bytes) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error('no new blob file appeared');
}

/** Every blob file is named by a committed row, and every named file blob exists. */
function assertNoOrphans(): void {
  const db = new Database(join(dataDir, 'store.db'), { readonly: true });
  const referenced = new Set(
    (db.prepare('SELECT blob_id FROM object_streams UNION SELECT blob_id FROM upload_parts').pluck().all() as string[]).filter(
      (id) => db.prepare('SELECT 1 FROM inline_blobs WHERE blob_id = ?').get(id) === undefined,
    ),
  );
  db.close();
  expect(new Set(blobFiles().keys())).toEqual(referenced);
}

/** A body that sends `size` bytes of `fill` slowly enough to be killed halfway. */
function slowBody(size: number, fill: number): Readable {
  let sent = 0;
  return new Readable({
    read() {
      if (sent >= size) return void this.push(null);
      const piece = Buffer.alloc(Math.min(MIB, size - sent), fill);
      sent += piece.length;
      setTimeout(() => this.push(piece), 20);
    },
  });
}

/** Settles at once so the rejection a crash causes is never unhandled; resolves with the error, if any. */
function outcome(request: Promise<unknown>): Promise<unknown> {
  return request.then(
    () => undefined,
    (err: unknown) => err,
  );
}

async function read(c: S3Client, bucket: string, key: string): Promise<Buffer> {
  const got = await c.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return Buffer.from(await got.Body!.transformToByteArray());
}

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'coffer-crash-'));
});

afterEach(async () => {
  client?.destroy();
  await store?.stop('SIGKILL');
  store = undefined;
  rmSync(dataDir, { recursive: true, force: true });
});

describe('a store killed with SIGKILL', () => {
  it('mid-PUT keeps the previous version and leaves no partial object or blob', async () => {
    let c = await start();
    await c.send(new CreateBucketCommand({ Bucket: 'crash' }));
    const previous = randomBytes(3 * MIB);
    await c.send(new PutObjectCommand({ Bucket: 'crash', Key: 'doc', Body: previous }));
    const before = new Set(blobFiles().keys());
    const upload = outcome(c.send(new PutObjectCommand({ Bucket: 'crash', Key: 'doc', Body: slowBody(40 * MIB, 0xab), ContentLength: 40 * MIB })));
    await newBlobGrowing(before, 2 * MIB);
    await crash();
    expect(await upload).toBeInstanceOf(Error);
    c = await start();
    expect((await read(c, 'crash', 'doc')).equals(previous)).toBe(true);
    const listed = await c.send(new ListObjectsV2Command({ Bucket: 'crash' }));
    expect(listed.Contents?.map((o) => [o.Key, o.Size])).toEqual([['doc', previous.length]]);
    assertNoOrphans();
  });

  it('mid-part keeps the finished parts, shows no object, and the upload can still complete', async () => {
    let c = await start();
    await c.send(new CreateBucketCommand({ Bucket: 'crash' }));
    const { UploadId } = await c.send(new CreateMultipartUploadCommand({ Bucket: 'crash', Key: 'mp' }));
    const part1 = randomBytes(5 * MIB);
    const p1 = await c.send(new UploadPartCommand({ Bucket: 'crash', Key: 'mp', UploadId, PartNumber: 1, Body: part1 }));
    const before = new Set(blobFiles().keys());
    const part2 = outcome(c.send(new UploadPartCommand({ Bucket: 'crash', Key: 'mp', UploadId, PartNumber: 2, Body: slowBody(30 * MIB, 1), ContentLength: 30 * MIB })));
    await newBlobGrowing(before, 2 * MIB);
    await crash();
    expect(await part2).toBeInstanceOf(Error);
    c = await start();
    const parts = await c.send(new ListPartsCommand({ Bucket: 'crash', Key: 'mp', UploadId }));
    expect(parts.Parts?.map((p) => [p.PartNumber, p.Size])).toEqual([[1, part1.length]]);
    const listed = await c.send(new ListObjectsV2Command({ Bucket: 'crash' }));
    expect(listed.KeyCount).toBe(0);
    assertNoOrphans();
    await c.send(new CompleteMultipartUploadCommand({ Bucket: 'crash', Key: 'mp', UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: p1.ETag }] } }));
    expect((await read(c, 'crash', 'mp')).equals(part1)).toBe(true);
  });

  it('mid-copy keeps the previous destination whole', async () => {
    let c = await start();
    await c.send(new CreateBucketCommand({ Bucket: 'crash' }));
    const previous = Buffer.from('the previous destination');
    await c.send(new PutObjectCommand({ Bucket: 'crash', Key: 'dest', Body: previous }));
    const source = randomBytes(300 * MIB);
    await c.send(new PutObjectCommand({ Bucket: 'crash', Key: 'src', Body: source }));
    const before = new Set(blobFiles().keys());
    const copy = outcome(c.send(new CopyObjectCommand({ Bucket: 'crash', Key: 'dest', CopySource: 'crash/src' })));
    await newBlobGrowing(before, 8 * MIB);
    await crash();
    expect(await copy).toBeInstanceOf(Error);
    c = await start();
    expect((await read(c, 'crash', 'dest')).equals(previous)).toBe(true);
    assertNoOrphans();
  });
});
