// Wire contract: multipart uploads (Create, UploadPart, UploadPartCopy, Complete, Abort, ListParts, ListMultipartUploads) over HTTP and HTTPS.
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectAttributesCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  ListPartsCommand,
  PutObjectCommand,
  UploadPartCommand,
  UploadPartCopyCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIB5, multipartEtag, uploadMultipart } from '../support/multipart.js';
import { bodyOf, createBucket, expectS3Error, md5Hex, onceClient, patternBytes, TRANSPORTS } from '../support/s3Expect.js';
import { startStoreFixture, type StoreFixture } from '../support/storeFixture.js';

let f: StoreFixture;
beforeAll(async () => {
  f = await startStoreFixture();
});
afterAll(async () => {
  await f?.close();
});

const PART1 = patternBytes(MIB5 + 1, 21);
const PART2 = patternBytes(MIB5 + 1, 22);
const PART3 = patternBytes(12345, 23);
const WHOLE = Buffer.concat([PART1, PART2, PART3]);

describe.each(TRANSPORTS)('multipart over $name', ({ secure }) => {
  let s3: S3Client;
  let bucket: string;
  beforeAll(async () => {
    s3 = onceClient(f, secure);
    bucket = await createBucket(s3, 'mpu');
  });

  it('uploads three parts and completes: MD5 part ETags, the -N ETag, AES256 on every step', async () => {
    const create = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'three', ContentType: 'application/x-test', Metadata: { m: '1' } }));
    expect(create.ServerSideEncryption).toBe('AES256');
    expect(create.Bucket).toBe(bucket);
    expect(create.Key).toBe('three');
    const uploadId = create.UploadId!;
    const etags: string[] = [];
    for (const [i, body] of [PART1, PART2, PART3].entries()) {
      const part = await s3.send(new UploadPartCommand({ Bucket: bucket, Key: 'three', UploadId: uploadId, PartNumber: i + 1, Body: body }));
      expect(part.ETag).toBe(`"${md5Hex(body)}"`);
      expect(part.ServerSideEncryption).toBe('AES256');
      etags.push(part.ETag!);
    }
    const uploads = await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket }));
    expect(uploads.Uploads?.map((u) => [u.Key, u.UploadId])).toContainEqual(['three', uploadId]);
    const complete = await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key: 'three',
        UploadId: uploadId,
        MultipartUpload: { Parts: etags.map((ETag, i) => ({ PartNumber: i + 1, ETag })) },
      }),
    );
    expect(complete.ETag).toBe(multipartEtag(etags));
    expect(complete.ServerSideEncryption).toBe('AES256');
    expect(complete.Bucket).toBe(bucket);
    expect(complete.Key).toBe('three');
    expect(complete.Location).toMatch(new RegExp(`^${secure ? 'https' : 'http'}://.*/${bucket}/three$`));
    const get = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'three' }));
    expect(get.ETag).toBe(complete.ETag);
    expect(get.ContentLength).toBe(WHOLE.length);
    expect(get.ContentType).toBe('application/x-test');
    expect(get.Metadata).toEqual({ m: '1' });
    expect(get.ServerSideEncryption).toBe('AES256');
    expect((await bodyOf(get)).equals(WHOLE)).toBe(true);
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'three' }));
    expect(listed.Contents?.[0]?.Size).toBe(WHOLE.length);
    expect(listed.Contents?.[0]?.ETag).toBe(complete.ETag);
    const after = await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket }));
    expect(after.Uploads?.some((u) => u.UploadId === uploadId) ?? false).toBe(false);
  });

  it('serves ?partNumber of a multipart object with the parts count and the whole-object ETag', async () => {
    const { complete } = await uploadMultipart(s3, bucket, 'parts', [PART1, PART2, PART3]);
    const offsets = [0, PART1.length, PART1.length + PART2.length, WHOLE.length];
    for (const n of [1, 2, 3]) {
      const get = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'parts', PartNumber: n }));
      expect(get.$metadata.httpStatusCode).toBe(206);
      expect(get.PartsCount).toBe(3);
      expect(get.ETag).toBe(complete.ETag);
      expect(get.ContentRange).toBe(`bytes ${offsets[n - 1]}-${offsets[n]! - 1}/${WHOLE.length}`);
      expect((await bodyOf(get)).equals(WHOLE.subarray(offsets[n - 1], offsets[n]))).toBe(true);
    }
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'parts', PartNumber: 2 }));
    expect(head.PartsCount).toBe(3);
    expect(head.ContentLength).toBe(PART2.length);
    await expectS3Error(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'parts', PartNumber: 4 })), { code: 'InvalidPart', status: 400 });
  });

  it('answers GetObjectAttributes with the parts of a multipart object', async () => {
    const { complete } = await uploadMultipart(s3, bucket, 'attrs', [PART1, PART3]);
    const out = await s3.send(new GetObjectAttributesCommand({ Bucket: bucket, Key: 'attrs', ObjectAttributes: ['ETag', 'ObjectParts', 'ObjectSize'] }));
    expect(out.ETag).toBe(complete.ETag!.replace(/"/g, ''));
    expect(out.ObjectSize).toBe(PART1.length + PART3.length);
    expect(out.ObjectParts?.TotalPartsCount).toBe(2);
    expect(out.ObjectParts?.Parts?.map((p) => [p.PartNumber, p.Size])).toEqual([
      [1, PART1.length],
      [2, PART3.length],
    ]);
  });

  it('lists parts with plaintext sizes and paginates them', async () => {
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'listparts' }));
    const bodies = [patternBytes(100, 1), patternBytes(200, 2), patternBytes(300, 3)];
    for (const [i, Body] of bodies.entries()) await s3.send(new UploadPartCommand({ Bucket: bucket, Key: 'listparts', UploadId, PartNumber: i + 1, Body }));
    const all = await s3.send(new ListPartsCommand({ Bucket: bucket, Key: 'listparts', UploadId }));
    expect(all.Parts?.map((p) => [p.PartNumber, p.Size, p.ETag])).toEqual(bodies.map((b, i) => [i + 1, b.length, `"${md5Hex(b)}"`]));
    expect(all.IsTruncated).toBe(false);
    expect(JSON.stringify(all)).not.toContain('AES256');
    const page1 = await s3.send(new ListPartsCommand({ Bucket: bucket, Key: 'listparts', UploadId, MaxParts: 2 }));
    expect(page1.Parts?.map((p) => p.PartNumber)).toEqual([1, 2]);
    expect(page1.IsTruncated).toBe(true);
    expect(page1.NextPartNumberMarker).toBe('2');
    const page2 = await s3.send(new ListPartsCommand({ Bucket: bucket, Key: 'listparts', UploadId, PartNumberMarker: page1.NextPartNumberMarker }));
    expect(page2.Parts?.map((p) => p.PartNumber)).toEqual([3]);
    expect(page2.IsTruncated).toBe(false);
    await s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: 'listparts', UploadId }));
  });

  it('replaces a part uploaded twice and completes with a subset of the parts', async () => {
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'subset' }));
    const send = (PartNumber: number, Body: Buffer) => s3.send(new UploadPartCommand({ Bucket: bucket, Key: 'subset', UploadId, PartNumber, Body }));
    await send(1, patternBytes(MIB5, 9));
    const p1 = await send(1, PART1);
    await send(2, PART2);
    const p3 = await send(3, PART3);
    const listed = await s3.send(new ListPartsCommand({ Bucket: bucket, Key: 'subset', UploadId }));
    expect(listed.Parts?.[0]?.ETag).toBe(p1.ETag);
    const complete = await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key: 'subset',
        UploadId,
        MultipartUpload: { Parts: [{ PartNumber: 1, ETag: p1.ETag }, { PartNumber: 3, ETag: p3.ETag }] },
      }),
    );
    expect(complete.ETag).toBe(multipartEtag([p1.ETag!, p3.ETag!]));
    const get = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'subset' }));
    expect((await bodyOf(get)).equals(Buffer.concat([PART1, PART3]))).toBe(true);
    expect(get.PartsCount ?? 2).toBe(2);
  });

  it('aborts an upload (204); the upload is then gone for parts, lists and completion', async () => {
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'aborted' }));
    const part = await s3.send(new UploadPartCommand({ Bucket: bucket, Key: 'aborted', UploadId, PartNumber: 1, Body: 'x' }));
    const abort = await s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: 'aborted', UploadId }));
    expect(abort.$metadata.httpStatusCode).toBe(204);
    const noSuchUpload = { code: 'NoSuchUpload', status: 404, message: /^The specified upload does not exist/ };
    await expectS3Error(s3.send(new ListPartsCommand({ Bucket: bucket, Key: 'aborted', UploadId })), noSuchUpload);
    await expectS3Error(s3.send(new UploadPartCommand({ Bucket: bucket, Key: 'aborted', UploadId, PartNumber: 2, Body: 'y' })), noSuchUpload);
    await expectS3Error(
      s3.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: 'aborted', UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] } })),
      noSuchUpload,
    );
    await expectS3Error(s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: 'aborted', UploadId })), noSuchUpload);
    await expectS3Error(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'aborted', PartNumber: 1 })), { code: 'NoSuchKey', status: 404 });
  });

  it('refuses an upload id used with another key (404 NoSuchUpload)', async () => {
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'owner-key' }));
    await expectS3Error(s3.send(new UploadPartCommand({ Bucket: bucket, Key: 'other-key', UploadId, PartNumber: 1, Body: 'x' })), {
      code: 'NoSuchUpload',
      status: 404,
    });
    await s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: 'owner-key', UploadId }));
  });

  it('refuses to complete with a part under 5 MiB before the last (400 EntityTooSmall)', async () => {
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'small' }));
    const a = await s3.send(new UploadPartCommand({ Bucket: bucket, Key: 'small', UploadId, PartNumber: 1, Body: patternBytes(MIB5 - 1) }));
    const b = await s3.send(new UploadPartCommand({ Bucket: bucket, Key: 'small', UploadId, PartNumber: 2, Body: 'tail' }));
    await expectS3Error(
      s3.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: 'small', UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: a.ETag }, { PartNumber: 2, ETag: b.ETag }] } })),
      { code: 'EntityTooSmall', status: 400, message: 'Your proposed upload is smaller than the minimum allowed object size.' },
    );
    const listed = await s3.send(new ListPartsCommand({ Bucket: bucket, Key: 'small', UploadId }));
    expect(listed.Parts?.length).toBe(2);
  });

  it('refuses a wrong part ETag or a missing part (400 InvalidPart) and descending part numbers (400 InvalidPartOrder)', async () => {
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'invalid' }));
    const a = await s3.send(new UploadPartCommand({ Bucket: bucket, Key: 'invalid', UploadId, PartNumber: 1, Body: PART1 }));
    const b = await s3.send(new UploadPartCommand({ Bucket: bucket, Key: 'invalid', UploadId, PartNumber: 2, Body: 'tail' }));
    const complete = (Parts: { PartNumber: number; ETag: string | undefined }[]) =>
      s3.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: 'invalid', UploadId, MultipartUpload: { Parts } }));
    const invalidPart = { code: 'InvalidPart', status: 400, message: /^One or more of the specified parts could not be found/ };
    await expectS3Error(complete([{ PartNumber: 1, ETag: `"${md5Hex('nope')}"` }]), invalidPart);
    await expectS3Error(complete([{ PartNumber: 1, ETag: a.ETag }, { PartNumber: 7, ETag: b.ETag }]), invalidPart);
    await expectS3Error(complete([{ PartNumber: 2, ETag: b.ETag }, { PartNumber: 1, ETag: a.ETag }]), {
      code: 'InvalidPartOrder',
      status: 400,
      message: 'The list of parts was not in ascending order. Parts must be ordered by part number.',
    });
    const done = await complete([{ PartNumber: 1, ETag: a.ETag }, { PartNumber: 2, ETag: b.ETag }]);
    expect(done.ETag).toBe(multipartEtag([a.ETag!, b.ETag!]));
  });

  it('refuses part numbers outside 1..10000 (400 InvalidArgument)', async () => {
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'range-of-parts' }));
    for (const PartNumber of [0, 10001]) {
      await expectS3Error(s3.send(new UploadPartCommand({ Bucket: bucket, Key: 'range-of-parts', UploadId, PartNumber, Body: 'x' })), {
        code: 'InvalidArgument',
        status: 400,
        message: 'Part number must be an integer between 1 and 10000, inclusive',
      });
    }
    await s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: 'range-of-parts', UploadId }));
  });

  it('copies parts from an object with CopySourceRange (UploadPartCopy) and completes', async () => {
    const source = patternBytes(MIB5 + 4096 + 7, 31);
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'copy-src', Body: source }));
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'copy-dst' }));
    const cut = MIB5 + 1;
    const first = await s3.send(
      new UploadPartCopyCommand({ Bucket: bucket, Key: 'copy-dst', UploadId, PartNumber: 1, CopySource: `${bucket}/copy-src`, CopySourceRange: `bytes=0-${cut - 1}` }),
    );
    expect(first.CopyPartResult?.ETag).toBe(`"${md5Hex(source.subarray(0, cut))}"`);
    expect(first.ServerSideEncryption).toBe('AES256');
    expect(first.CopyPartResult?.LastModified).toBeInstanceOf(Date);
    const whole = await s3.send(new UploadPartCopyCommand({ Bucket: bucket, Key: 'copy-dst', UploadId, PartNumber: 2, CopySource: `/${bucket}/copy-src` }));
    expect(whole.CopyPartResult?.ETag).toBe(`"${md5Hex(source)}"`);
    const rest = await s3.send(
      new UploadPartCopyCommand({ Bucket: bucket, Key: 'copy-dst', UploadId, PartNumber: 3, CopySource: `${bucket}/copy-src`, CopySourceRange: `bytes=${cut}-${source.length - 1}` }),
    );
    expect(rest.CopyPartResult?.ETag).toBe(`"${md5Hex(source.subarray(cut))}"`);
    const etags = [first.CopyPartResult!.ETag!, whole.CopyPartResult!.ETag!, rest.CopyPartResult!.ETag!];
    const complete = await s3.send(
      new CompleteMultipartUploadCommand({ Bucket: bucket, Key: 'copy-dst', UploadId, MultipartUpload: { Parts: etags.map((ETag, i) => ({ PartNumber: i + 1, ETag })) } }),
    );
    expect(complete.ETag).toBe(multipartEtag(etags));
    const get = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'copy-dst' }));
    expect((await bodyOf(get)).equals(Buffer.concat([source.subarray(0, cut), source, source.subarray(cut)]))).toBe(true);
  });

  it('refuses a copy-source range outside the source (416 InvalidRange) or malformed (400 InvalidArgument)', async () => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'small-src', Body: '0123456789' }));
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'range-dst' }));
    const copy = (CopySourceRange: string) =>
      s3.send(new UploadPartCopyCommand({ Bucket: bucket, Key: 'range-dst', UploadId, PartNumber: 1, CopySource: `${bucket}/small-src`, CopySourceRange }));
    await expectS3Error(copy('bytes=5-10'), { code: 'InvalidRange', status: 416 });
    await expectS3Error(copy('bytes=5-'), { code: 'InvalidArgument', status: 400, message: /^The x-amz-copy-source-range value must be of the form bytes=first-last/ });
    await expectS3Error(copy('bytes=6-5'), { code: 'InvalidArgument', status: 400 });
    const ok = await copy('bytes=2-4');
    expect(ok.CopyPartResult?.ETag).toBe(`"${md5Hex('234')}"`);
    await expectS3Error(
      s3.send(new UploadPartCopyCommand({ Bucket: bucket, Key: 'range-dst', UploadId, PartNumber: 2, CopySource: `${bucket}/missing-src` })),
      { code: 'NoSuchKey', status: 404 },
    );
  });

  it('lists uploads with prefix, delimiter and pagination by key and upload-id markers', async () => {
    const b = await createBucket(s3, 'mpu-list');
    const started: [string, string][] = [];
    for (const key of ['a/1', 'a/2', 'b', 'b', 'c/x/y']) {
      const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: b, Key: key }));
      started.push([key, UploadId!]);
    }
    const all = await s3.send(new ListMultipartUploadsCommand({ Bucket: b }));
    expect(all.Uploads?.map((u) => u.Key)).toEqual(['a/1', 'a/2', 'b', 'b', 'c/x/y']);
    expect(all.Uploads?.[0]?.Initiated).toBeInstanceOf(Date);
    const grouped = await s3.send(new ListMultipartUploadsCommand({ Bucket: b, Delimiter: '/' }));
    expect(grouped.Uploads?.map((u) => u.Key)).toEqual(['b', 'b']);
    expect(grouped.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['a/', 'c/']);
    const prefixed = await s3.send(new ListMultipartUploadsCommand({ Bucket: b, Prefix: 'a/' }));
    expect(prefixed.Uploads?.map((u) => u.Key)).toEqual(['a/1', 'a/2']);
    const seen: [string, string][] = [];
    let keyMarker: string | undefined;
    let uploadIdMarker: string | undefined;
    for (let i = 0; i < 10; i++) {
      const page = await s3.send(new ListMultipartUploadsCommand({ Bucket: b, MaxUploads: 2, KeyMarker: keyMarker, UploadIdMarker: uploadIdMarker }));
      expect(page.Uploads!.length).toBeLessThanOrEqual(2);
      seen.push(...page.Uploads!.map((u): [string, string] => [u.Key!, u.UploadId!]));
      if (!page.IsTruncated) break;
      keyMarker = page.NextKeyMarker;
      uploadIdMarker = page.NextUploadIdMarker;
    }
    expect(seen.sort()).toEqual([...started].sort());
    expect(new Set(seen.map(([, id]) => id)).size).toBe(5);
  });
});
