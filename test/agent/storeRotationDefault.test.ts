// `coffer store` without --master-key-rotation-days rotates the SSE-S3 master key after 90 days: not at 89, yes at 91, older objects still readable.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ageNewestMasterKey, listedMasterKeys, sealedMasterKeyVersion } from '../support/keyringAging.js';
import { bodyOf, patternBytes } from '../support/s3Expect.js';
import { spawnStore, type StoreProcess } from '../support/storeProcess.js';

const CREDS = { accessKeyId: 'ROTDEFAULTKEY01', secretAccessKey: 'rotation-default-secret-3e8b1f' };
/** Credentials from the environment, the root key from the data dir's root.key. */
const ENV = { COFFER_ACCESS_KEY: CREDS.accessKeyId, COFFER_SECRET_KEY: CREDS.secretAccessKey, COFFER_STORE_ROOT_KEY: '' };
const DAY_MS = 86_400_000;
const ROTATED_LOG = 'store master key rotated on schedule';

let dataDir: string;
let stores: StoreProcess[] = [];
let clients: S3Client[] = [];

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'coffer-rotation-default-'));
});

afterEach(async () => {
  for (const c of clients) c.destroy();
  await Promise.all(stores.map((s) => s.stop('SIGKILL')));
  stores = [];
  clients = [];
  rmSync(dataDir, { recursive: true, force: true });
});

/** The store with no rotation flag at all: the default period applies. */
async function startWithDefaults(): Promise<{ store: StoreProcess; s3: S3Client }> {
  const store = await spawnStore(['--data-dir', dataDir, '--port', '0', '--no-https'], ENV);
  stores.push(store);
  const s3 = new S3Client({ endpoint: store.httpUrl, region: 'us-east-1', forcePathStyle: true, credentials: CREDS, maxAttempts: 1 });
  clients.push(s3);
  return { store, s3 };
}

/** A clean Ctrl-C: the keyring may be touched only once the store has exited. */
async function stop(store: StoreProcess): Promise<void> {
  expect(await store.stop(), store.stderr()).toBe(0);
}

async function read(s3: S3Client, key: string): Promise<Buffer> {
  return bodyOf(await s3.send(new GetObjectCommand({ Bucket: 'rot', Key: key })));
}

describe('coffer store default master key rotation period', () => {
  it('keeps an 89-day-old master key, rotates a 91-day-old one, and still reads every object byte for byte', async () => {
    const first = patternBytes(120_000, 31);
    let { store, s3 } = await startWithDefaults();
    await s3.send(new CreateBucketCommand({ Bucket: 'rot' }));
    await s3.send(new PutObjectCommand({ Bucket: 'rot', Key: 'first', Body: first, ServerSideEncryption: 'AES256' }));
    await stop(store);
    expect((await listedMasterKeys(dataDir)).map((v) => v.version)).toEqual([1]);

    // One day short of the default period: nothing happens at start.
    ageNewestMasterKey(dataDir, 89 * DAY_MS);
    ({ store, s3 } = await startWithDefaults());
    expect((await listedMasterKeys(dataDir)).map((v) => v.version)).toEqual([1]);
    expect((await read(s3, 'first')).equals(first)).toBe(true);
    const second = patternBytes(80_000, 32);
    await s3.send(new PutObjectCommand({ Bucket: 'rot', Key: 'second', Body: second, ServerSideEncryption: 'AES256' }));
    await stop(store);
    expect(store.output()).not.toContain(ROTATED_LOG);

    // One day past it: the start adds version 2, and new objects are sealed with it.
    ageNewestMasterKey(dataDir, 91 * DAY_MS);
    const restartedAt = Date.now();
    ({ store, s3 } = await startWithDefaults());
    const rotated = await listedMasterKeys(dataDir);
    expect(rotated.map((v) => v.version)).toEqual([1, 2]);
    expect(rotated[1]!.createdAt).toBeGreaterThanOrEqual(restartedAt);
    expect(store.output()).toContain(ROTATED_LOG);
    expect((await read(s3, 'first')).equals(first)).toBe(true);
    expect((await read(s3, 'second')).equals(second)).toBe(true);
    await s3.send(new PutObjectCommand({ Bucket: 'rot', Key: 'third', Body: 'sealed by version 2', ServerSideEncryption: 'AES256' }));
    await stop(store);
    expect(['first', 'second', 'third'].map((k) => sealedMasterKeyVersion(dataDir, k))).toEqual([1, 1, 2]);

    // The fresh version is young: a further default restart adds nothing, and every object still reads.
    ({ store, s3 } = await startWithDefaults());
    expect((await listedMasterKeys(dataDir)).map((v) => v.version)).toEqual([1, 2]);
    expect((await read(s3, 'first')).equals(first)).toBe(true);
    expect((await read(s3, 'second')).equals(second)).toBe(true);
    expect((await read(s3, 'third')).toString()).toBe('sealed by version 2');
    await stop(store);
  }, 180_000);
});
