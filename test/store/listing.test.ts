// Wire contract: ListObjectsV2, ListObjects (V1) and ListObjectVersions: prefix, delimiter, pagination, EncodingType url, odd keys.
import {
  ListObjectsCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  PutObjectCommand,
  type ListObjectsCommandOutput,
  type ListObjectsV2CommandInput,
  type S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBucket, expectS3Error, md5Hex, onceClient, TRANSPORTS } from '../support/s3Expect.js';
import { startStoreFixture, type StoreFixture } from '../support/storeFixture.js';

let f: StoreFixture;
beforeAll(async () => {
  f = await startStoreFixture();
});
afterAll(async () => {
  await f?.close();
});

const KEYS = [
  'a.txt',
  'dir/one',
  'dir/sub/three',
  'dir/two',
  'dir2/x',
  'plus+sign',
  'space key.txt',
  'percent%20literal',
  'unicode/café-日本',
  'unicode/ü',
  'z',
];
/** S3 lists in UTF-8 byte order. */
const SORTED = [...KEYS].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));

/** Undoes encoding-type=url, whichever way the server wrote spaces. */
function urlDecode(text: string): string {
  return decodeURIComponent(text.replace(/\+/g, '%20'));
}

describe.each(TRANSPORTS)('listing over $name', ({ secure }) => {
  let s3: S3Client;
  let bucket: string;
  beforeAll(async () => {
    s3 = onceClient(f, secure);
    bucket = await createBucket(s3, 'listing');
    for (const key of KEYS) await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: `body of ${key}` }));
  });

  async function allPagesV2(input: Omit<ListObjectsV2CommandInput, 'Bucket'>): Promise<{ keys: string[]; prefixes: string[]; pages: number }> {
    const keys: string[] = [];
    const prefixes: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, ...input, ContinuationToken: token }));
      pages += 1;
      const count = (page.Contents?.length ?? 0) + (page.CommonPrefixes?.length ?? 0);
      expect(page.KeyCount).toBe(count);
      if (input.MaxKeys !== undefined) expect(count).toBeLessThanOrEqual(input.MaxKeys);
      keys.push(...(page.Contents ?? []).map((c) => c.Key!));
      prefixes.push(...(page.CommonPrefixes ?? []).map((p) => p.Prefix!));
      expect(page.IsTruncated).toBe(page.NextContinuationToken !== undefined);
      token = page.NextContinuationToken;
      expect(pages).toBeLessThan(50);
    } while (token !== undefined);
    return { keys, prefixes, pages };
  }

  it('lists every key in UTF-8 order with plaintext size, MD5 ETag and storage class', async () => {
    const out = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
    expect(out.Contents?.map((c) => c.Key)).toEqual(SORTED);
    expect(out.KeyCount).toBe(KEYS.length);
    expect(out.IsTruncated).toBe(false);
    const first = out.Contents![0]!;
    expect(first.Size).toBe(Buffer.byteLength(`body of ${first.Key}`));
    expect(first.ETag).toBe(`"${md5Hex(`body of ${first.Key}`)}"`);
    expect(first.StorageClass).toBe('STANDARD');
    expect(first.Owner).toBeUndefined();
    expect(JSON.stringify(out)).not.toMatch(/ServerSideEncryption|AES256/);
  });

  it('reports the owner only with FetchOwner', async () => {
    const out = await s3.send(new ListObjectsV2Command({ Bucket: bucket, FetchOwner: true, MaxKeys: 1 }));
    expect(out.Contents?.[0]?.Owner?.ID).toMatch(/^[0-9a-f]{64}$/);
  });

  it('filters by prefix', async () => {
    const out = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'dir/' }));
    expect(out.Contents?.map((c) => c.Key)).toEqual(['dir/one', 'dir/sub/three', 'dir/two']);
    expect(out.Prefix).toBe('dir/');
    expect((await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'nothing-here' }))).KeyCount).toBe(0);
  });

  it('groups by delimiter into common prefixes', async () => {
    const out = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Delimiter: '/' }));
    expect(out.Contents?.map((c) => c.Key)).toEqual(['a.txt', 'percent%20literal', 'plus+sign', 'space key.txt', 'z']);
    expect(out.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['dir/', 'dir2/', 'unicode/']);
    expect(out.Delimiter).toBe('/');
    const nested = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Delimiter: '/', Prefix: 'dir/' }));
    expect(nested.Contents?.map((c) => c.Key)).toEqual(['dir/one', 'dir/two']);
    expect(nested.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['dir/sub/']);
  });

  it('groups by a delimiter other than /', async () => {
    const out = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Delimiter: 'i' }));
    expect(out.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['di', 'percent%20li', 'plus+si', 'uni']);
    expect(out.Contents?.map((c) => c.Key)).toEqual(['a.txt', 'space key.txt', 'z']);
  });

  it.each([1, 2, 3, 5])('paginates with MaxKeys %i and continuation tokens, seeing every key once', async (maxKeys) => {
    const { keys, prefixes, pages } = await allPagesV2({ MaxKeys: maxKeys });
    expect(keys).toEqual(SORTED);
    expect(prefixes).toEqual([]);
    expect(pages).toBe(Math.ceil(KEYS.length / maxKeys));
  });

  it('answers MaxKeys 0 with an empty page that is not truncated (V2, V1, versions)', async () => {
    const v2 = await s3.send(new ListObjectsV2Command({ Bucket: bucket, MaxKeys: 0 }));
    expect([v2.KeyCount, v2.IsTruncated, v2.NextContinuationToken, v2.Contents]).toEqual([0, false, undefined, undefined]);
    const v1 = await s3.send(new ListObjectsCommand({ Bucket: bucket, MaxKeys: 0 }));
    expect([v1.IsTruncated, v1.Contents]).toEqual([false, undefined]);
    const versions = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, MaxKeys: 0 }));
    expect([versions.IsTruncated, versions.Versions]).toEqual([false, undefined]);
  });

  it('paginates with a delimiter, counting common prefixes against MaxKeys', async () => {
    const { keys, prefixes } = await allPagesV2({ MaxKeys: 2, Delimiter: '/' });
    expect(keys).toEqual(['a.txt', 'percent%20literal', 'plus+sign', 'space key.txt', 'z']);
    expect(prefixes).toEqual(['dir/', 'dir2/', 'unicode/']);
  });

  it('starts after StartAfter, and echoes it', async () => {
    const out = await s3.send(new ListObjectsV2Command({ Bucket: bucket, StartAfter: 'dir/two' }));
    expect(out.Contents?.map((c) => c.Key)).toEqual(SORTED.slice(SORTED.indexOf('dir/two') + 1));
    expect(out.StartAfter).toBe('dir/two');
    const between = await s3.send(new ListObjectsV2Command({ Bucket: bucket, StartAfter: 'dir/p' }));
    expect(between.Contents?.[0]?.Key).toBe('dir/sub/three');
  });

  it('percent-encodes keys, prefixes and delimiters with EncodingType url', async () => {
    const out = await s3.send(new ListObjectsV2Command({ Bucket: bucket, EncodingType: 'url' }));
    expect(out.EncodingType).toBe('url');
    const raw = out.Contents!.map((c) => c.Key!);
    for (const key of raw) expect(key).toMatch(/^[\x21-\x7e]+$/);
    expect(raw.map(urlDecode)).toEqual(SORTED);
    expect(raw).toContain('percent%2520literal');
    const grouped = await s3.send(new ListObjectsV2Command({ Bucket: bucket, EncodingType: 'url', Prefix: 'unicode/', Delimiter: '-' }));
    expect(grouped.CommonPrefixes?.map((p) => urlDecode(p.Prefix!))).toEqual(['unicode/café-']);
    expect(urlDecode(grouped.Prefix!)).toBe('unicode/');
  });

  it('refuses an unknown encoding type and a forged continuation token (400 InvalidArgument)', async () => {
    await expectS3Error(s3.send(new ListObjectsV2Command({ Bucket: bucket, EncodingType: 'base64' as 'url' })), {
      code: 'InvalidArgument',
      status: 400,
      message: 'Invalid Encoding Method specified in Request',
    });
    await expectS3Error(s3.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: 'not-a-token' })), {
      code: 'InvalidArgument',
      status: 400,
      message: 'The continuation token provided is incorrect',
    });
  });

  it('lists with V1: prefix, delimiter and Marker', async () => {
    const all = await s3.send(new ListObjectsCommand({ Bucket: bucket }));
    expect(all.Contents?.map((c) => c.Key)).toEqual(SORTED);
    expect(all.Contents?.[0]?.Owner?.ID).toMatch(/^[0-9a-f]{64}$/);
    expect(all.IsTruncated).toBe(false);
    const grouped = await s3.send(new ListObjectsCommand({ Bucket: bucket, Delimiter: '/', Prefix: 'dir/' }));
    expect(grouped.Contents?.map((c) => c.Key)).toEqual(['dir/one', 'dir/two']);
    expect(grouped.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['dir/sub/']);
    const after = await s3.send(new ListObjectsCommand({ Bucket: bucket, Marker: 'plus+sign' }));
    expect(after.Contents?.map((c) => c.Key)).toEqual(SORTED.slice(SORTED.indexOf('plus+sign') + 1));
    expect(after.Marker).toBe('plus+sign');
  });

  it('paginates V1 by the last key without a delimiter, and by NextMarker with one', async () => {
    const keys: string[] = [];
    let marker: string | undefined;
    for (let i = 0; i < 20; i++) {
      const page = await s3.send(new ListObjectsCommand({ Bucket: bucket, MaxKeys: 3, Marker: marker }));
      expect(page.NextMarker).toBeUndefined();
      keys.push(...page.Contents!.map((c) => c.Key!));
      if (!page.IsTruncated) break;
      marker = page.Contents!.at(-1)!.Key;
    }
    expect(keys).toEqual(SORTED);
    const seen: string[] = [];
    marker = undefined;
    for (let i = 0; i < 20; i++) {
      const page: ListObjectsCommandOutput = await s3.send(new ListObjectsCommand({ Bucket: bucket, MaxKeys: 2, Delimiter: '/', Marker: marker }));
      seen.push(...(page.Contents ?? []).map((c) => c.Key!), ...(page.CommonPrefixes ?? []).map((p) => p.Prefix!));
      if (!page.IsTruncated) break;
      expect(page.NextMarker).toBeDefined();
      marker = page.NextMarker;
    }
    expect(seen.sort()).toEqual(['a.txt', 'dir/', 'dir2/', 'percent%20literal', 'plus+sign', 'space key.txt', 'unicode/', 'z'].sort());
  });

  it('percent-encodes V1 keys with EncodingType url', async () => {
    const out = await s3.send(new ListObjectsCommand({ Bucket: bucket, EncodingType: 'url', Prefix: 'space' }));
    expect(out.Contents?.map((c) => c.Key)).not.toContain('space key.txt');
    expect(out.Contents?.map((c) => urlDecode(c.Key!))).toEqual(['space key.txt']);
  });

  it('lists versions of an unversioned bucket with VersionId "null", all latest', async () => {
    const out = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket }));
    expect(out.Versions?.map((v) => v.Key)).toEqual(SORTED);
    for (const v of out.Versions!) {
      expect(v.VersionId).toBe('null');
      expect(v.IsLatest).toBe(true);
      expect(v.Size).toBe(Buffer.byteLength(`body of ${v.Key}`));
    }
    expect(out.DeleteMarkers ?? []).toEqual([]);
    const grouped = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, Delimiter: '/', Prefix: 'dir/' }));
    expect(grouped.Versions?.map((v) => v.Key)).toEqual(['dir/one', 'dir/two']);
    expect(grouped.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['dir/sub/']);
  });

  it('paginates ListObjectVersions with KeyMarker / NextKeyMarker', async () => {
    const keys: string[] = [];
    let keyMarker: string | undefined;
    for (let i = 0; i < 20; i++) {
      const page = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, MaxKeys: 4, KeyMarker: keyMarker }));
      keys.push(...page.Versions!.map((v) => v.Key!));
      if (!page.IsTruncated) break;
      expect(page.NextVersionIdMarker).toBe('null');
      keyMarker = page.NextKeyMarker;
    }
    expect(keys).toEqual(SORTED);
  });
});
