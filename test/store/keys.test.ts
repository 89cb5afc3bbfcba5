// Wire contract: object keys that are odd or hostile: dot segments, reserved characters, Unicode normalisation, the 1024-byte limit.
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, DeleteObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bodyOf, createBucket, expectS3Error, expectStoreServes, onceClient, TRANSPORTS } from '../support/s3Expect.js';
import { startStoreFixture, type StoreFixture } from '../support/storeFixture.js';

let f: StoreFixture;
beforeAll(async () => {
  f = await startStoreFixture();
});
afterAll(async () => {
  await f?.close();
});

const ODD_KEYS = [
  '..',
  '.',
  '../../etc/passwd',
  'a/../b',
  'a/./b',
  '/leading-slash',
  'trailing-slash/',
  'double//slash',
  'with space',
  'plus+and space',
  'percent%2Fencoded',
  'question?mark#hash',
  'amp&equals=semi;colon',
  'quotes"and\'apostrophe',
  '<xml>&entities;</xml>',
  'tab\there',
  'unicode/ü/日本語/😀',
  '~tilde!star*paren()',
];

describe.each(TRANSPORTS)('keys over $name', ({ secure }) => {
  let s3: S3Client;
  let bucket: string;
  beforeAll(async () => {
    s3 = onceClient(f, secure);
    bucket = await createBucket(s3, 'keys');
  });

  it.each(ODD_KEYS)('stores, lists, reads and deletes the key %j as an opaque name', async (key) => {
    const body = `body:${key}`;
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
    expect((await bodyOf(await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key })))).toString()).toBe(body);
    expect((await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }))).ContentLength).toBe(Buffer.byteLength(body));
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: key }));
    expect(listed.Contents?.map((c) => c.Key)).toContain(key);
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    await expectS3Error(s3.send(new GetObjectCommand({ Bucket: bucket, Key: key })), { code: 'NoSuchKey', status: 404 });
  });

  it('never turns a dot-segment key into a file outside the data directory', async () => {
    const marker = `coffer-escape-${randomBytes(6).toString('hex')}`;
    const key = `../../../${marker}`;
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'escape attempt' }));
    let dir = join(f.dataDir, 'blobs');
    for (let up = 0; up < 4; up++) {
      expect(existsSync(join(dir, marker))).toBe(false);
      dir = dirname(dir);
    }
    const names = readdirSync(f.dataDir, { recursive: true }).map(String);
    expect(names.some((n) => n.includes(marker))).toBe(false);
    expect((await bodyOf(await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key })))).toString()).toBe('escape attempt');
  });

  it('keeps NFC and NFD spellings of the same text as two distinct keys', async () => {
    const nfc = 'norm/caf\u00e9';
    const nfd = 'norm/cafe\u0301';
    expect(nfc.normalize('NFD')).toBe(nfd);
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: nfc, Body: 'composed' }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: nfd, Body: 'decomposed' }));
    expect((await bodyOf(await s3.send(new GetObjectCommand({ Bucket: bucket, Key: nfc })))).toString()).toBe('composed');
    expect((await bodyOf(await s3.send(new GetObjectCommand({ Bucket: bucket, Key: nfd })))).toString()).toBe('decomposed');
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'norm/' }));
    expect(listed.Contents?.map((c) => c.Key)).toEqual([nfd, nfc]);
  });

  it('accepts a key of exactly 1024 UTF-8 bytes, multi-byte characters included', async () => {
    const ascii = 'k'.repeat(1024);
    const multibyte = 'é'.repeat(512);
    expect(Buffer.byteLength(multibyte)).toBe(1024);
    for (const key of [ascii, multibyte]) {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'max' }));
      expect((await bodyOf(await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key })))).toString()).toBe('max');
    }
  });

  it('refuses a key of 1025 UTF-8 bytes with 400 KeyTooLongError on write and read, then still serves', async () => {
    const tooLong = ['k'.repeat(1025), `x${'é'.repeat(512)}`];
    for (const key of tooLong) {
      const expected = { code: 'KeyTooLongError', status: 400, message: 'Your key is too long' };
      await expectS3Error(s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'x' })), expected);
      await expectS3Error(s3.send(new GetObjectCommand({ Bucket: bucket, Key: key })), expected);
    }
    await expectStoreServes(s3, bucket);
  });

  it('refuses a key containing NUL (400 InvalidArgument)', async () => {
    await expectS3Error(s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'nul\u0000char', Body: 'x' })), {
      code: 'InvalidArgument',
      status: 400,
      message: 'Object key must not contain the NUL character.',
    });
    await expectStoreServes(s3, bucket);
  });
});
