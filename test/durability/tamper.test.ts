// Stored ciphertext altered on disk (a flipped byte, a truncation, another object's blob) never yields wrong bytes.
import { randomBytes } from 'node:crypto';
import { copyFileSync, readFileSync, truncateSync, writeFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStoreFixture, type StoreFixture } from '../support/storeFixture.js';

const MIB = 1024 * 1024;
let f: StoreFixture;
let c: S3Client;

beforeAll(async () => {
  f = await startStoreFixture();
  c = f.client({ maxAttempts: 1 });
  await c.send(new CreateBucketCommand({ Bucket: 'tamper' }));
});

afterAll(async () => {
  await f?.close();
});

function blobIdOf(key: string): string {
  const db = new Database(join(f.dataDir, 'store.db'), { readonly: true });
  const id = db.prepare("SELECT blob_id FROM object_streams WHERE bucket = 'tamper' AND key = ?").pluck().get(key) as string;
  db.close();
  return id;
}

function blobPath(key: string): string {
  const id = blobIdOf(key);
  return join(f.dataDir, 'blobs', id.slice(0, 2), id);
}

async function put(key: string, body: Buffer): Promise<void> {
  await c.send(new PutObjectCommand({ Bucket: 'tamper', Key: key, Body: body }));
}

/** The whole body, or the error the client saw (an S3 error before the body, or a cut body). */
async function get(key: string, range?: string): Promise<Buffer | Error> {
  try {
    const got = await c.send(new GetObjectCommand({ Bucket: 'tamper', Key: key, Range: range }));
    return Buffer.from(await got.Body!.transformToByteArray());
  } catch (err) {
    return err as Error;
  }
}

function flipByte(file: string, offset: number): void {
  const bytes = readFileSync(file);
  bytes[offset]! ^= 0x01;
  writeFileSync(file, bytes);
}

describe('a tampered blob', () => {
  it('with one flipped byte in the first segment fails with a 500 InternalError before any body', async () => {
    const body = randomBytes(2 * MIB);
    await put('flip-first', body);
    flipByte(blobPath('flip-first'), 40);
    const result = await get('flip-first');
    expect(result).toBeInstanceOf(Error);
    expect((result as Error & { $metadata: { httpStatusCode: number } }).$metadata.httpStatusCode).toBe(500);
    expect((result as Error).name).toBe('InternalError');
    expect((result as Error).message).toBe('The requested object was modified and may be compromised');
  });

  it('with a flipped byte late in the object cuts the body; ranges before it still read correctly', async () => {
    const body = randomBytes(2 * MIB);
    await put('flip-late', body);
    const file = blobPath('flip-late');
    flipByte(file, statSync(file).size - 100);
    const whole = await get('flip-late');
    expect(whole).toBeInstanceOf(Error);
    const early = await get('flip-late', 'bytes=0-99999');
    expect(early).toEqual(body.subarray(0, 100000));
  });

  it('truncated at a segment boundary or inside a segment fails', async () => {
    for (const cut of [32 + 65552, 32 + 65552 + 1000]) {
      const key = `truncated-${cut}`;
      await put(key, randomBytes(MIB));
      truncateSync(blobPath(key), cut);
      expect(await get(key)).toBeInstanceOf(Error);
      expect(await get(key, 'bytes=0-10')).toBeInstanceOf(Error);
    }
  });

  it("copied over another object's blob fails instead of serving the other object's bytes", async () => {
    const a = randomBytes(MIB);
    const b = randomBytes(MIB);
    await put('victim', a);
    await put('intruder', b);
    copyFileSync(blobPath('intruder'), blobPath('victim'));
    const result = await get('victim');
    expect(result).toBeInstanceOf(Error);
    expect((await get('intruder')) as Buffer).toEqual(b);
  });

  it('stored inline in SQLite with a flipped byte fails too', async () => {
    await put('small', Buffer.from('a small object kept inline'));
    const id = blobIdOf('small');
    const db = new Database(join(f.dataDir, 'store.db'));
    const data = db.prepare('SELECT data FROM inline_blobs WHERE blob_id = ?').pluck().get(id) as Buffer;
    data[data.length - 1]! ^= 0x80;
    db.prepare('UPDATE inline_blobs SET data = ? WHERE blob_id = ?').run(data, id);
    db.close();
    const result = await get('small');
    expect(result).toBeInstanceOf(Error);
    expect((result as Error & { $metadata: { httpStatusCode: number } }).$metadata.httpStatusCode).toBe(500);
  });

  it('with a sealed key altered in the metadata fails', async () => {
    await put('sealed', randomBytes(1000));
    const db = new Database(join(f.dataDir, 'store.db'));
    const enc = JSON.parse(db.prepare("SELECT encryption FROM objects WHERE bucket = 'tamper' AND key = 'sealed'").pluck().get() as string) as { sealedKey: string };
    const sealed = Buffer.from(enc.sealedKey, 'base64');
    sealed[20]! ^= 1;
    enc.sealedKey = sealed.toString('base64');
    db.prepare("UPDATE objects SET encryption = ? WHERE bucket = 'tamper' AND key = 'sealed'").run(JSON.stringify(enc));
    db.close();
    const result = await get('sealed');
    expect((result as Error & { $metadata: { httpStatusCode: number } }).$metadata.httpStatusCode).toBe(500);
  });

  it('leaves the store serving other objects', async () => {
    const body = randomBytes(300 * 1024);
    await put('healthy', body);
    expect(await get('healthy')).toEqual(body);
  });
});
