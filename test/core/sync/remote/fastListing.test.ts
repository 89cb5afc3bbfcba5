// The fast listing decoder inside real SDK requests: it agrees with the SDK on the embedded store's pages, and every answer it is unsure of still lists through the SDK.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateBucketCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeListingFast } from '../../../../main/core/sync/remote/fastListingStep.js';
import { MemoryUploadLedger } from '../../../../main/core/sync/remote/memoryUploadLedger.js';
import { createS3ObjectStore, type S3ObjectStore } from '../../../../main/core/sync/remote/s3ObjectStore.js';
import { startStoreFixture, TEST_CREDENTIALS, type StoreFixture } from '../../../support/storeFixture.js';
import { expectRemoteError } from './remoteSupport.js';

const BUCKET = 'fast-listing';
/** Names an XML writer must escape, and names only exact Unicode handling keeps. */
const ODD_KEYS = ['a&b.txt', '<tag>.md', 'quote "double" \'single\'.txt', 'emoji 😀/face.png', 'e\u0301 nfd.txt', 'é nfc.txt', ' padded .txt', 'tab\there', 'x>y;&amp;.txt', '中文/文件.txt'];
/** Enough keys for three pages of 1,000. */
const KEYS = [...ODD_KEYS, ...Array.from({ length: 2_290 }, (_, i) => `bulk/${String(i).padStart(5, '0')}-${'ü'.repeat(i % 7)}.bin`)].map((k) => `folder/${k}`);

let f: StoreFixture;
const stores: S3ObjectStore[] = [];

function objectStore(endpoint: string, bucket: string, tls = true): S3ObjectStore {
  const store = createS3ObjectStore({
    endpoint, region: 'us-east-1', bucket, prefix: 'folder', credentials: TEST_CREDENTIALS, forcePathStyle: true,
    ...(tls ? { tls: { caPem: f.caCert } } : {}), ledger: new MemoryUploadLedger(), allowSseCOverHttp: false,
  });
  stores.push(store);
  return store;
}

async function listAll(store: S3ObjectStore): Promise<{ key: string; size: number; etag: string; lastModifiedMs: number }[]> {
  const out = [];
  for await (const o of store.list()) out.push(o);
  return out;
}

beforeAll(async () => {
  f = await startStoreFixture();
  await f.http.send(new CreateBucketCommand({ Bucket: BUCKET }));
  for (let i = 0; i < KEYS.length; i += 50) {
    await Promise.all(KEYS.slice(i, i + 50).map((Key, j) => f.http.send(new PutObjectCommand({ Bucket: BUCKET, Key, Body: Buffer.alloc((i + j) % 97, 1) }))));
  }
}, 180_000);

afterAll(async () => {
  for (const s of stores) await s.close();
  await f?.close();
});

describe('on the embedded store', () => {
  it('decodes every page itself, exactly as the SDK decodes the same page', async () => {
    let token: string | undefined;
    let pages = 0;
    do {
      const input = { Bucket: BUCKET, ContinuationToken: token };
      const command = new ListObjectsV2Command(input);
      const fast = decodeListingFast(command);
      const fastOut = await f.https.send(command);
      const sdk = await f.https.send(new ListObjectsV2Command(input));
      expect(fast.page, 'the fast decoder read the page').toBeDefined();
      // The SDK was handed an empty result: nothing is decoded twice.
      expect(fastOut.Contents ?? []).toEqual([]);
      const sdkObjects = (sdk.Contents ?? []).map((o) => ({ key: o.Key, size: o.Size, etag: o.ETag, lastModifiedMs: o.LastModified?.getTime() }));
      expect(fast.page!.objects).toEqual(sdkObjects);
      expect(fast.page!.isTruncated).toBe(sdk.IsTruncated);
      expect(fast.page!.nextContinuationToken).toBe(sdk.NextContinuationToken);
      token = fast.page!.isTruncated ? fast.page!.nextContinuationToken : undefined;
      pages++;
    } while (token);
    expect(pages).toBe(3);
  });

  it('lists every key of the folder once, with its size, through the sync engine', async () => {
    const listed = await listAll(objectStore(f.httpsUrl, BUCKET));
    expect(listed.map((o) => o.key).sort()).toEqual(KEYS.map((k) => k.slice('folder/'.length)).sort());
    expect(listed.find((o) => o.key === 'a&b.txt')?.size).toBe(KEYS.indexOf('folder/a&b.txt') % 97);
    expect(listed.every((o) => /^"[0-9a-f]{32}"$/.test(o.etag) && o.lastModifiedMs > 0)).toBe(true);
  });
});

describe('answers the fast decoder leaves to the SDK', () => {
  let server: http.Server;
  let answer: { status: number; body: Buffer };
  let url: string;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      req.resume();
      res.writeHead(answer.status, { 'content-type': 'application/xml', 'x-amz-request-id': 'TEST' });
      res.end(answer.body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const contents = (key: string): string => `<Contents><Key>${key}</Key><LastModified>2026-11-30T09:00:00.000Z</LastModified><ETag>"0123456789abcdef0123456789abcdef"</ETag><Size>3</Size></Contents>`;
  const page = (inner: string): Buffer => Buffer.from(`<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>b</Name>${inner}</ListBucketResult>`);

  async function sendFast(): Promise<{ fastPage: unknown; sdkKeys: (string | undefined)[] }> {
    const client = new S3Client({ endpoint: url, region: 'us-east-1', credentials: TEST_CREDENTIALS, forcePathStyle: true, maxAttempts: 1 });
    try {
      const command = new ListObjectsV2Command({ Bucket: 'b' });
      const fast = decodeListingFast(command);
      const out = await client.send(command);
      return { fastPage: fast.page, sdkKeys: (out.Contents ?? []).map((o) => o.Key) };
    } finally {
      client.destroy();
    }
  }

  it('a KeyCount that does not match: the SDK decodes the original bytes, and the engine lists both keys', async () => {
    answer = { status: 200, body: page(`<KeyCount>3</KeyCount><IsTruncated>false</IsTruncated>${contents('folder/one')}${contents('folder/two')}`) };
    expect(await sendFast()).toEqual({ fastPage: undefined, sdkKeys: ['folder/one', 'folder/two'] });
    expect((await listAll(objectStore(url, 'b', false))).map((o) => o.key)).toEqual(['one', 'two']);
  });

  it('bytes that are not UTF-8 are never decoded by the fast path', async () => {
    // A marker byte in the key, then overwritten with 0xFF, which UTF-8 never uses.
    const body = page(`<IsTruncated>false</IsTruncated>${contents('folder/bad-\u0001')}`);
    body[body.indexOf(0x01)] = 0xff;
    answer = { status: 200, body };
    const { fastPage, sdkKeys } = await sendFast();
    expect(fastPage).toBeUndefined();
    expect(sdkKeys).toHaveLength(1);
  });

  it('an error answer stays the SDK error the engine classifies', async () => {
    answer = { status: 403, body: Buffer.from('<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>Access Denied</Message><RequestId>TEST</RequestId></Error>') };
    await expectRemoteError(listAll(objectStore(url, 'b', false)), 'fatal', 'AccessDenied');
  });
});
