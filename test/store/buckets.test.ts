// Wire contract: bucket operations (ListBuckets, CreateBucket, HeadBucket, DeleteBucket, GetBucketLocation) over HTTP and HTTPS.
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  GetBucketLocationCommand,
  HeadBucketCommand,
  ListBucketsCommand,
  PutObjectCommand,
  DeleteObjectCommand,
  type BucketLocationConstraint,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bucketName, expectS3Error, onceClient, TRANSPORTS } from '../support/s3Expect.js';
import { objectPath, sendSigned } from '../support/signedRequest.js';
import { startStoreFixture, type StoreFixture } from '../support/storeFixture.js';

let f: StoreFixture;
beforeAll(async () => {
  f = await startStoreFixture();
});
afterAll(async () => {
  await f?.close();
});

describe.each(TRANSPORTS)('buckets over $name', ({ secure }) => {
  const s3 = () => onceClient(f, secure);

  it('creates a bucket that ListBuckets then shows with its creation date and the owner', async () => {
    const name = bucketName('list');
    const before = Date.now();
    const created = await s3().send(new CreateBucketCommand({ Bucket: name }));
    expect(created.$metadata.httpStatusCode).toBe(200);
    expect(created.Location).toBe(`/${name}`);
    const list = await s3().send(new ListBucketsCommand({}));
    const entry = list.Buckets?.find((b) => b.Name === name);
    expect(entry).toBeDefined();
    expect(entry!.CreationDate!.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(list.Owner?.ID).toMatch(/^[0-9a-f]{64}$/);
  });

  it('answers HeadBucket with the region, and 404 for a missing bucket', async () => {
    const name = bucketName('head');
    await s3().send(new CreateBucketCommand({ Bucket: name }));
    const head = await s3().send(new HeadBucketCommand({ Bucket: name }));
    expect(head.$metadata.httpStatusCode).toBe(200);
    expect(head.BucketRegion).toBe('us-east-1');
    await expectS3Error(s3().send(new HeadBucketCommand({ Bucket: bucketName('missing') })), { code: 'NotFound', status: 404 });
  });

  it('reports us-east-1 as an empty location constraint', async () => {
    const name = bucketName('loc');
    await s3().send(new CreateBucketCommand({ Bucket: name }));
    const location = await s3().send(new GetBucketLocationCommand({ Bucket: name }));
    expect(location.$metadata.httpStatusCode).toBe(200);
    expect(location.LocationConstraint ?? '').toBe('');
    await expectS3Error(s3().send(new GetBucketLocationCommand({ Bucket: bucketName('missing') })), {
      code: 'NoSuchBucket',
      status: 404,
      message: 'The specified bucket does not exist',
    });
  });

  it('refuses to create a bucket it already owns (409 BucketAlreadyOwnedByYou)', async () => {
    const name = bucketName('twice');
    await s3().send(new CreateBucketCommand({ Bucket: name }));
    await expectS3Error(s3().send(new CreateBucketCommand({ Bucket: name })), {
      code: 'BucketAlreadyOwnedByYou',
      status: 409,
      message: 'Your previous request to create the named bucket succeeded and you already own it.',
    });
  });

  it('refuses to delete a bucket that is not empty, then deletes it once emptied', async () => {
    const name = bucketName('del');
    await s3().send(new CreateBucketCommand({ Bucket: name }));
    await s3().send(new PutObjectCommand({ Bucket: name, Key: 'k', Body: 'x' }));
    await expectS3Error(s3().send(new DeleteBucketCommand({ Bucket: name })), {
      code: 'BucketNotEmpty',
      status: 409,
      message: 'The bucket you tried to delete is not empty',
    });
    await s3().send(new DeleteObjectCommand({ Bucket: name, Key: 'k' }));
    const deleted = await s3().send(new DeleteBucketCommand({ Bucket: name }));
    expect(deleted.$metadata.httpStatusCode).toBe(204);
    await expectS3Error(s3().send(new HeadBucketCommand({ Bucket: name })), { code: 'NotFound', status: 404 });
    await expectS3Error(s3().send(new DeleteBucketCommand({ Bucket: name })), { code: 'NoSuchBucket', status: 404 });
    const list = await s3().send(new ListBucketsCommand({}));
    expect(list.Buckets?.some((b) => b.Name === name)).toBe(false);
  });
});

describe('bucket names and location constraints', () => {
  const s3 = () => onceClient(f, false);

  it.each([
    ['too short', 'ab'],
    ['upper case', 'Upper-Case-Bucket'],
    ['underscore', 'bad_name'],
    ['IP address', '192.168.1.1'],
    ['two dots', 'a..b'],
    ['leading hyphen', '-abc'],
    ['xn-- prefix', 'xn--bucket'],
    ['-s3alias suffix', 'bucket-s3alias'],
    ['64 characters', 'a'.repeat(64)],
  ])('refuses an invalid name (%s) with 400 InvalidBucketName', async (_, name) => {
    await expectS3Error(s3().send(new CreateBucketCommand({ Bucket: name })), {
      code: 'InvalidBucketName',
      status: 400,
      message: 'The specified bucket is not valid.',
    });
  });

  it('accepts names at the limits: 3 and 63 characters, dots and hyphens', async () => {
    for (const name of ['a1b', `${'a'.repeat(62)}z`, 'dotted.name-1']) {
      const out = await s3().send(new CreateBucketCommand({ Bucket: name }));
      expect(out.$metadata.httpStatusCode).toBe(200);
    }
  });

  it('accepts an empty location constraint and us-east-1 for this us-east-1 store', async () => {
    const a = bucketName('loc-empty');
    const b = bucketName('loc-use1');
    await s3().send(new CreateBucketCommand({ Bucket: a, CreateBucketConfiguration: {} }));
    await s3().send(new CreateBucketCommand({ Bucket: b, CreateBucketConfiguration: { LocationConstraint: 'us-east-1' as BucketLocationConstraint } }));
    expect((await s3().send(new HeadBucketCommand({ Bucket: b }))).$metadata.httpStatusCode).toBe(200);
  });

  it("refuses another region's constraint (400 IllegalLocationConstraintException) and creates nothing", async () => {
    const name = bucketName('loc-other');
    await expectS3Error(s3().send(new CreateBucketCommand({ Bucket: name, CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } })), {
      code: 'IllegalLocationConstraintException',
      status: 400,
      message: 'The eu-west-1 location constraint is incompatible for the region specific endpoint this request was sent to.',
    });
    await expectS3Error(s3().send(new HeadBucketCommand({ Bucket: name })), { code: 'NotFound', status: 404 });
  });

  it('refuses a constraint that is no region name (400 InvalidLocationConstraint)', async () => {
    const res = await sendSigned(f, {
      method: 'PUT',
      path: objectPath(bucketName('loc-bad')),
      body: '<CreateBucketConfiguration><LocationConstraint>not a region</LocationConstraint></CreateBucketConfiguration>',
    });
    expect(res.status).toBe(400);
    expect(res.error?.code).toBe('InvalidLocationConstraint');
    expect(res.error?.message).toBe('The specified location-constraint is not valid');
  });

  it('refuses a malformed CreateBucketConfiguration body (400 MalformedXML)', async () => {
    const name = bucketName('loc-xml');
    const res = await sendSigned(f, { method: 'PUT', path: objectPath(name), body: '<CreateBucketConfiguration><LocationConstraint>' });
    expect(res.status).toBe(400);
    expect(res.error?.code).toBe('MalformedXML');
    await expectS3Error(s3().send(new HeadBucketCommand({ Bucket: name })), { code: 'NotFound', status: 404 });
  });
});

describe('a store serving another region', () => {
  let g: StoreFixture;
  beforeAll(async () => {
    g = await startStoreFixture({ region: 'eu-central-1' });
  });
  afterAll(async () => {
    await g?.close();
  });

  it('creates a bucket with its own region as constraint and reports that region', async () => {
    const s3 = g.client({ region: 'eu-central-1', maxAttempts: 1 });
    const name = bucketName('eu');
    await s3.send(new CreateBucketCommand({ Bucket: name, CreateBucketConfiguration: { LocationConstraint: 'eu-central-1' } }));
    expect((await s3.send(new GetBucketLocationCommand({ Bucket: name }))).LocationConstraint).toBe('eu-central-1');
    expect((await s3.send(new HeadBucketCommand({ Bucket: name }))).BucketRegion).toBe('eu-central-1');
    const list = await s3.send(new ListBucketsCommand({}));
    expect(list.Buckets?.find((b) => b.Name === name)?.BucketRegion).toBe('eu-central-1');
  });
});
