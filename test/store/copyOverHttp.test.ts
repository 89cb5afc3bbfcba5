// Wire contract: CopyObject and UploadPartCopy through the SDK over plain HTTP: SSE-S3 copies, metadata directives, self-copies, copy-source conditions, SSE-C refused (E10), ranged part copies.
import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListPartsCommand,
  PutObjectCommand,
  UploadPartCopyCommand,
  type CopyObjectCommandInput,
  type CopyObjectCommandOutput,
  type S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIB5, multipartEtag, uploadMultipart } from '../support/multipart.js';
import { bodyOf, copySourceSseC, createBucket, customerKey, expectS3Error, md5Hex, onceClient, patternBytes, sseC } from '../support/s3Expect.js';
import { startStoreFixture, type StoreFixture } from '../support/storeFixture.js';

let f: StoreFixture;
/** The client under test: plain HTTP. */
let http: S3Client;
/** Only for what HTTP may not do: writing and reading SSE-C objects. */
let https: S3Client;
let bucket: string;
beforeAll(async () => {
  f = await startStoreFixture();
  http = onceClient(f, false);
  https = onceClient(f, true);
  bucket = await createBucket(http, 'copy-http');
});
afterAll(async () => {
  await f?.close();
});

const SELF_COPY = {
  code: 'InvalidRequest',
  status: 400,
  message:
    "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
};
const FAILED = { code: 'PreconditionFailed', status: 412, message: 'At least one of the pre-conditions you specified did not hold' };
const E10 = { code: 'InvalidRequest', status: 400, message: 'Requests specifying Server Side Encryption with Customer provided keys must be made over a secure connection.' };
const KEY_REQUIRED = 'The object was stored using a form of Server Side Encryption. The correct parameters must be provided to retrieve the object.';

function copy(input: Omit<CopyObjectCommandInput, 'Bucket'>): Promise<CopyObjectCommandOutput> {
  return http.send(new CopyObjectCommand({ Bucket: bucket, ...input }));
}

async function expectAbsent(key: string): Promise<void> {
  await expectS3Error(http.send(new HeadObjectCommand({ Bucket: bucket, Key: key })), { code: 'NotFound', status: 404 });
}

describe('SSE-S3 copies over HTTP', () => {
  beforeAll(async () => {
    await http.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: 'src',
        Body: 'sse-s3 source',
        ServerSideEncryption: 'AES256',
        ContentType: 'text/x-src',
        Metadata: { a: '1', b: 'two' },
        CacheControl: 'max-age=60',
        ContentDisposition: 'inline',
        ContentLanguage: 'fr',
      }),
    );
  });

  it('keeps body, content type, user and system metadata with COPY; the copy is SSE-S3 with an MD5 ETag', async () => {
    const out = await http.send(new CopyObjectCommand({ Bucket: bucket, Key: 'dst-copy', CopySource: `${bucket}/src`, MetadataDirective: 'COPY', ServerSideEncryption: 'AES256' }));
    expect(out.ServerSideEncryption).toBe('AES256');
    expect(out.CopyObjectResult?.ETag).toBe(`"${md5Hex('sse-s3 source')}"`);
    const head = await http.send(new HeadObjectCommand({ Bucket: bucket, Key: 'dst-copy' }));
    expect([head.ContentType, head.Metadata, head.CacheControl, head.ContentDisposition, head.ContentLanguage, head.ServerSideEncryption, head.ContentLength]).toEqual([
      'text/x-src',
      { a: '1', b: 'two' },
      'max-age=60',
      'inline',
      'fr',
      'AES256',
      'sse-s3 source'.length,
    ]);
    expect((await bodyOf(await http.send(new GetObjectCommand({ Bucket: bucket, Key: 'dst-copy' })))).toString()).toBe('sse-s3 source');
  });

  it('takes content type and every metadata field from the request alone with REPLACE, leaving the source as it was', async () => {
    await copy({ Key: 'dst-replace', CopySource: `${bucket}/src`, MetadataDirective: 'REPLACE', ServerSideEncryption: 'AES256', ContentType: 'application/x-new', Metadata: { fresh: 'yes' }, CacheControl: 'no-store' });
    const head = await http.send(new HeadObjectCommand({ Bucket: bucket, Key: 'dst-replace' }));
    expect([head.ContentType, head.Metadata, head.CacheControl, head.ContentDisposition, head.ContentLanguage]).toEqual(['application/x-new', { fresh: 'yes' }, 'no-store', undefined, undefined]);
    const source = await http.send(new HeadObjectCommand({ Bucket: bucket, Key: 'src' }));
    expect([source.ContentType, source.Metadata, source.CacheControl]).toEqual(['text/x-src', { a: '1', b: 'two' }, 'max-age=60']);
  });

  it('gives a REPLACE copy that names no content type the default binary/octet-stream and no metadata', async () => {
    await copy({ Key: 'dst-bare', CopySource: `${bucket}/src`, MetadataDirective: 'REPLACE' });
    const head = await http.send(new HeadObjectCommand({ Bucket: bucket, Key: 'dst-bare' }));
    expect([head.ContentType, head.Metadata, head.CacheControl, head.ServerSideEncryption]).toEqual(['binary/octet-stream', {}, undefined, 'AES256']);
  });

  it('refuses a self-copy that changes nothing (400 InvalidRequest), even with request metadata under COPY, and leaves the object alone', async () => {
    const put = await http.send(new PutObjectCommand({ Bucket: bucket, Key: 'self', Body: 'self body', ContentType: 'text/plain', Metadata: { v: '1' } }));
    const before = await http.send(new HeadObjectCommand({ Bucket: bucket, Key: 'self' }));
    await expectS3Error(copy({ Key: 'self', CopySource: `${bucket}/self` }), SELF_COPY);
    await expectS3Error(copy({ Key: 'self', CopySource: `${bucket}/self`, MetadataDirective: 'COPY', Metadata: { v: '2' } }), SELF_COPY);
    const after = await http.send(new HeadObjectCommand({ Bucket: bucket, Key: 'self' }));
    expect([after.ETag, after.LastModified, after.Metadata]).toEqual([put.ETag, before.LastModified, { v: '1' }]);
  });

  it('allows a self-copy with REPLACE, even one that restates the same metadata', async () => {
    await http.send(new PutObjectCommand({ Bucket: bucket, Key: 'self-r', Body: 'replace me', ContentType: 'text/plain', Metadata: { v: '1' } }));
    const same = await copy({ Key: 'self-r', CopySource: `${bucket}/self-r`, MetadataDirective: 'REPLACE', ContentType: 'text/plain', Metadata: { v: '1' } });
    expect(same.CopyObjectResult?.ETag).toBe(`"${md5Hex('replace me')}"`);
    await copy({ Key: 'self-r', CopySource: `${bucket}/self-r`, MetadataDirective: 'REPLACE', ContentType: 'text/x-changed', Metadata: { v: '2' } });
    const get = await http.send(new GetObjectCommand({ Bucket: bucket, Key: 'self-r' }));
    expect([get.ContentType, get.Metadata, (await bodyOf(get)).toString()]).toEqual(['text/x-changed', { v: '2' }, 'replace me']);
  });

  it('copies a multipart object into a single-part one whose ETag is the MD5 of the whole body', async () => {
    const parts = [patternBytes(MIB5, 61), patternBytes(4321, 62)];
    const { complete } = await uploadMultipart(http, bucket, 'mpu-src', parts);
    expect(complete.ETag).toMatch(/-2"$/);
    const out = await copy({ Key: 'mpu-dst', CopySource: `${bucket}/mpu-src` });
    const whole = Buffer.concat(parts);
    expect(out.CopyObjectResult?.ETag).toBe(`"${md5Hex(whole)}"`);
    expect((await bodyOf(await http.send(new GetObjectCommand({ Bucket: bucket, Key: 'mpu-dst' })))).equals(whole)).toBe(true);
  });
});

describe('copy-source conditions over HTTP', () => {
  let etag: string;
  let modified: Date;
  const seconds = (delta: number): Date => new Date(modified.getTime() + delta * 1000);
  beforeAll(async () => {
    etag = (await http.send(new PutObjectCommand({ Bucket: bucket, Key: 'cond', Body: 'conditional source' }))).ETag!;
    modified = (await http.send(new HeadObjectCommand({ Bucket: bucket, Key: 'cond' }))).LastModified!;
  });

  type Conditions = Pick<CopyObjectCommandInput, 'CopySourceIfMatch' | 'CopySourceIfNoneMatch' | 'CopySourceIfModifiedSince' | 'CopySourceIfUnmodifiedSince'>;
  const cases: [string, () => Conditions, boolean][] = [
    ['if-match with the quoted ETag', () => ({ CopySourceIfMatch: etag }), true],
    ['if-match with the bare ETag', () => ({ CopySourceIfMatch: etag.replace(/"/g, '') }), true],
    ['if-match with another ETag', () => ({ CopySourceIfMatch: `"${md5Hex('other')}"` }), false],
    ['if-none-match with the ETag', () => ({ CopySourceIfNoneMatch: etag }), false],
    ['if-none-match with another ETag', () => ({ CopySourceIfNoneMatch: `"${md5Hex('other')}"` }), true],
    ['if-modified-since an hour before', () => ({ CopySourceIfModifiedSince: seconds(-3600) }), true],
    ['if-modified-since the very second of the last write', () => ({ CopySourceIfModifiedSince: modified }), false],
    ['if-unmodified-since the very second of the last write', () => ({ CopySourceIfUnmodifiedSince: modified }), true],
    ['if-unmodified-since an hour before', () => ({ CopySourceIfUnmodifiedSince: seconds(-3600) }), false],
    // The two pairs the CopyObject reference spells out.
    ['if-match true with if-unmodified-since false', () => ({ CopySourceIfMatch: etag, CopySourceIfUnmodifiedSince: seconds(-3600) }), true],
    ['if-none-match false with if-modified-since true', () => ({ CopySourceIfNoneMatch: etag, CopySourceIfModifiedSince: seconds(-3600) }), false],
  ];

  it.each(cases)('%s', async (name, conditions, copies) => {
    const target = `cond-${name.replace(/\W+/g, '-')}`;
    const call = copy({ Key: target, CopySource: `${bucket}/cond`, ...conditions() });
    if (copies) {
      await call;
      expect((await bodyOf(await http.send(new GetObjectCommand({ Bucket: bucket, Key: target })))).toString()).toBe('conditional source');
    } else {
      await expectS3Error(call, FAILED);
      await expectAbsent(target);
    }
  });
});

describe('SSE-C copies over HTTP are refused (E10)', () => {
  const key = customerKey();
  beforeAll(async () => {
    await https.send(new PutObjectCommand({ Bucket: bucket, Key: 'c-src', Body: 'customer keyed', ...sseC(key) }));
    await http.send(new PutObjectCommand({ Bucket: bucket, Key: 'p-src', Body: 'plain source' }));
  });

  it('refuses CopyObject to an SSE-C destination, from an SSE-C source with both keys, and before looking up the source; writes nothing', async () => {
    const err = await expectS3Error(copy({ Key: 'to-c', CopySource: `${bucket}/p-src`, ...sseC(key) }), E10);
    expect(`${err.message}${JSON.stringify(err)}`).not.toContain(key.base64);
    await expectS3Error(copy({ Key: 'c-to-c', CopySource: `${bucket}/c-src`, ...copySourceSseC(key), ...sseC(customerKey()) }), E10);
    await expectS3Error(copy({ Key: 'missing-to-c', CopySource: `${bucket}/no-such-source`, ...sseC(key) }), E10);
    for (const target of ['to-c', 'c-to-c', 'missing-to-c']) await expectAbsent(target);
    await expectS3Error(https.send(new HeadObjectCommand({ Bucket: bucket, Key: 'to-c', ...sseC(key) })), { code: 'NotFound', status: 404 });
  });

  it('answers a copy of an SSE-C source that carries no key at all with E18, not E10: no key travelled', async () => {
    await expectS3Error(copy({ Key: 'c-no-key', CopySource: `${bucket}/c-src` }), { code: 'InvalidRequest', status: 400, message: KEY_REQUIRED });
    await expectAbsent('c-no-key');
  });

  it('refuses UploadPartCopy with a copy-source key or with the SSE-C key of its upload, storing no part', async () => {
    const plainUpload = (await http.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'mpu-plain' }))).UploadId!;
    await expectS3Error(
      http.send(new UploadPartCopyCommand({ Bucket: bucket, Key: 'mpu-plain', UploadId: plainUpload, PartNumber: 1, CopySource: `${bucket}/c-src`, ...copySourceSseC(key) })),
      E10,
    );
    expect((await http.send(new ListPartsCommand({ Bucket: bucket, Key: 'mpu-plain', UploadId: plainUpload }))).Parts ?? []).toEqual([]);
    const keyedUpload = (await https.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'mpu-c', ...sseC(key) }))).UploadId!;
    await expectS3Error(
      http.send(new UploadPartCopyCommand({ Bucket: bucket, Key: 'mpu-c', UploadId: keyedUpload, PartNumber: 1, CopySource: `${bucket}/p-src`, ...sseC(key) })),
      E10,
    );
    expect((await http.send(new ListPartsCommand({ Bucket: bucket, Key: 'mpu-c', UploadId: keyedUpload }))).Parts ?? []).toEqual([]);
  });
});

describe('UploadPartCopy with ranges over HTTP', () => {
  it('copies an odd-offset 5 MiB range and a single last byte under conditions, completes, and reads back byte for byte', async () => {
    const source = patternBytes(MIB5 + 100_000, 71);
    const put = await http.send(new PutObjectCommand({ Bucket: bucket, Key: 'range-src', Body: source, ServerSideEncryption: 'AES256' }));
    const create = await http.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'range-dst', ServerSideEncryption: 'AES256', ContentType: 'application/x-parts', Metadata: { from: 'copy' } }));
    const UploadId = create.UploadId!;
    const partCopy = (PartNumber: number, first: number, last: number, extra: { CopySourceIfMatch?: string; CopySourceIfNoneMatch?: string } = {}) =>
      http.send(new UploadPartCopyCommand({ Bucket: bucket, Key: 'range-dst', UploadId, PartNumber, CopySource: `${bucket}/range-src`, CopySourceRange: `bytes=${first}-${last}`, ...extra }));
    const first = await partCopy(1, 1, MIB5);
    expect(first.ServerSideEncryption).toBe('AES256');
    expect(first.CopyPartResult?.ETag).toBe(`"${md5Hex(source.subarray(1, MIB5 + 1))}"`);
    await expectS3Error(partCopy(2, source.length - 1, source.length - 1, { CopySourceIfNoneMatch: put.ETag }), FAILED);
    expect((await http.send(new ListPartsCommand({ Bucket: bucket, Key: 'range-dst', UploadId }))).Parts?.map((p) => p.PartNumber)).toEqual([1]);
    const second = await partCopy(2, source.length - 1, source.length - 1, { CopySourceIfMatch: put.ETag });
    expect(second.CopyPartResult?.ETag).toBe(`"${md5Hex(source.subarray(source.length - 1))}"`);
    const etags = [first.CopyPartResult!.ETag!, second.CopyPartResult!.ETag!];
    const complete = await http.send(
      new CompleteMultipartUploadCommand({ Bucket: bucket, Key: 'range-dst', UploadId, MultipartUpload: { Parts: etags.map((ETag, i) => ({ PartNumber: i + 1, ETag })) } }),
    );
    expect(complete.ETag).toBe(multipartEtag(etags));
    const expected = Buffer.concat([source.subarray(1, MIB5 + 1), source.subarray(source.length - 1)]);
    const get = await http.send(new GetObjectCommand({ Bucket: bucket, Key: 'range-dst' }));
    expect([get.ContentType, get.Metadata, get.ServerSideEncryption, get.ContentLength]).toEqual(['application/x-parts', { from: 'copy' }, 'AES256', expected.length]);
    expect((await bodyOf(get)).equals(expected)).toBe(true);
    const across = await http.send(new GetObjectCommand({ Bucket: bucket, Key: 'range-dst', Range: `bytes=${MIB5 - 3}-${MIB5}` }));
    expect((await bodyOf(across)).equals(expected.subarray(MIB5 - 3, MIB5 + 1))).toBe(true);
  });
});
