// Wire contract: S3's refusals of bad tags (header and document), malformed Tagging XML, and bucket policies on tag actions; a refusal changes nothing.
import {
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  DeleteObjectTaggingCommand,
  GetObjectTaggingCommand,
  PutObjectCommand,
  PutObjectTaggingCommand,
  type S3Client,
  type Tag,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCESS_DENIED, objectsOf, putPolicy } from '../support/policySupport.js';
import { createBucket, expectRawError, expectS3Error, expectStoreServes, md5Base64, onceClient, type ExpectedError } from '../support/s3Expect.js';
import { objectPath, sendSigned } from '../support/signedRequest.js';
import { startStoreFixture, type StoreFixture } from '../support/storeFixture.js';

let f: StoreFixture;
let s3: S3Client;
let bucket: string;
beforeAll(async () => {
  f = await startStoreFixture();
  s3 = onceClient(f, true);
  bucket = await createBucket(s3, 'tag-errors');
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'target', Body: 'x', Tagging: 'kept=yes' }));
});
afterAll(async () => {
  await f?.close();
});

const KEPT: Tag[] = [{ Key: 'kept', Value: 'yes' }];
const TOO_MANY: ExpectedError = { code: 'BadRequest', status: 400, message: 'Object tags cannot be greater than 10' };
const BAD_KEY: ExpectedError = { code: 'InvalidTag', status: 400, message: 'The TagKey you have provided is invalid' };
const BAD_VALUE: ExpectedError = { code: 'InvalidTag', status: 400, message: 'The TagValue you have provided is invalid' };
const RESERVED: ExpectedError = { code: 'InvalidTag', status: 400, message: 'Your TagKey cannot be prefixed with aws:' };
const DUPLICATE: ExpectedError = { code: 'InvalidTag', status: 400, message: 'Cannot provide multiple Tags with the same key' };
const BAD_HEADER: ExpectedError = {
  code: 'InvalidArgument',
  status: 400,
  message: "The header 'x-amz-tagging' shall be encoded as UTF-8 then URLEncoded URL query parameters without tag name duplicates.",
};
const MALFORMED: ExpectedError = { code: 'MalformedXML', status: 400 };

const eleven = Array.from({ length: 11 }, (_, i) => ({ Key: `k${i}`, Value: `v${i}` }));

/** Every way a tag set breaks S3's rules, as a TagSet and (where a header can say it) as x-amz-tagging. */
const BAD_SETS: [string, Tag[], string | undefined, ExpectedError][] = [
  ['11 tags', eleven, eleven.map((t) => `${t.Key}=${t.Value}`).join('&'), TOO_MANY],
  ['a key of 129 characters', [{ Key: 'k'.repeat(129), Value: 'v' }], `${'k'.repeat(129)}=v`, BAD_KEY],
  ['a key of 65 astral characters (130 UTF-16 units)', [{ Key: '𝒜'.repeat(65), Value: 'v' }], `${encodeURIComponent('𝒜'.repeat(65))}=v`, BAD_KEY],
  ['an empty key', [{ Key: '', Value: 'v' }], undefined, BAD_KEY],
  ['a value of 257 characters', [{ Key: 'k', Value: 'v'.repeat(257) }], `k=${'v'.repeat(257)}`, BAD_VALUE],
  ['a key starting with aws:', [{ Key: 'aws:cost', Value: 'v' }], 'aws:cost=v', RESERVED],
  ['a key with characters S3 does not allow', [{ Key: 'a,b', Value: 'v' }], 'a%2Cb=v', BAD_KEY],
  ['a value with characters S3 does not allow', [{ Key: 'k', Value: '[x]' }], 'k=%5Bx%5D', BAD_VALUE],
  ['an emoji key', [{ Key: '😀', Value: 'v' }], `${encodeURIComponent('😀')}=v`, BAD_KEY],
  ['the same key twice', [{ Key: 'a', Value: '1' }, { Key: 'a', Value: '2' }], undefined, DUPLICATE],
];

describe('PutObjectTagging refuses what S3 refuses, keeping the old tags', () => {
  it.each(BAD_SETS)('%s', async (_name, TagSet, _header, expected) => {
    const err = await expectS3Error(s3.send(new PutObjectTaggingCommand({ Bucket: bucket, Key: 'target', Tagging: { TagSet } })), expected);
    const named = TagSet.at(-1)!.Key;
    if (expected.code === 'InvalidTag' && named !== '') expect((err as unknown as { TagKey?: string }).TagKey).toBe(named);
    expect((await s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: 'target' }))).TagSet).toEqual(KEPT);
  });

  it('accepts aws: inside a key, only the prefix is reserved', async () => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'inner-aws', Body: 'x' }));
    await s3.send(new PutObjectTaggingCommand({ Bucket: bucket, Key: 'inner-aws', Tagging: { TagSet: [{ Key: 'team:aws:cost', Value: 'ok' }] } }));
    expect((await s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: 'inner-aws' }))).TagSet).toEqual([{ Key: 'team:aws:cost', Value: 'ok' }]);
  });
});

describe('x-amz-tagging is refused on PutObject, CreateMultipartUpload and CopyObject (REPLACE), storing nothing', () => {
  const headerCases = BAD_SETS.filter((c): c is [string, Tag[], string, ExpectedError] => c[2] !== undefined).map(([name, , header, expected]) => [name, header, expected] as const);
  const malformedHeaders = ['a=1&a=2', 'a=1&%61=2', '=1', 'a=b=c', 'a=%FF', 'a=%E6%96', 'a=%zz'].map((header) => [header, header, BAD_HEADER] as const);

  it.each([...headerCases, ...malformedHeaders])('%s', async (_name, Tagging, expected) => {
    await expectS3Error(s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'refused', Body: 'x', Tagging })), expected);
    await expectS3Error(s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'refused', Tagging })), expected);
    const copy = { Bucket: bucket, Key: 'refused', CopySource: `${bucket}/target`, TaggingDirective: 'REPLACE' as const, Tagging };
    await expectS3Error(s3.send(new CopyObjectCommand(copy)), expected);
    await expectS3Error(s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: 'refused' })), { code: 'NoSuchKey', status: 404 });
    if (expected === BAD_HEADER) {
      const err = await expectS3Error(s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'refused', Body: 'x', Tagging })), expected);
      expect((err as unknown as { ArgumentName?: string }).ArgumentName).toBe('x-amz-tagging');
    }
  });
});

describe('a Tagging document off the schema is MalformedXML', () => {
  const documents = [
    ['not XML at all', 'tags please'],
    ['a document with no end', '<Tagging><TagSet>'],
    ['no TagSet', '<Tagging></Tagging>'],
    ['another root element', '<Tags><TagSet></TagSet></Tags>'],
    ['a Tag without Value', '<Tagging><TagSet><Tag><Key>a</Key></Tag></TagSet></Tagging>'],
    ['a Tag without Key', '<Tagging><TagSet><Tag><Value>a</Value></Tag></TagSet></Tagging>'],
    ['a Key holding elements', '<Tagging><TagSet><Tag><Key><b>a</b></Key><Value>v</Value></Tag></TagSet></Tagging>'],
  ] as const;

  async function putDocument(body: string): Promise<Awaited<ReturnType<typeof sendSigned>>> {
    return sendSigned(f, { method: 'PUT', path: objectPath(bucket, 'target'), query: { tagging: '' }, body, headers: { 'content-md5': md5Base64(body) } });
  }

  it.each(documents)('%s', async (_name, body) => {
    expectRawError(await putDocument(body), MALFORMED);
    expect((await s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: 'target' }))).TagSet).toEqual(KEPT);
  });

  it('never expands an entity the document declares: the key stays "&x;", an invalid key', async () => {
    const body = '<!DOCTYPE t [<!ENTITY x "y">]><Tagging><TagSet><Tag><Key>&x;</Key><Value>v</Value></Tag></TagSet></Tagging>';
    const res = await putDocument(body);
    expectRawError(res, BAD_KEY);
    expect(res.error?.details['TagKey']).toBe('&x;');
  });

  it('accepts the document with or without S3 namespace, and an empty Value element', async () => {
    const plain = '<Tagging><TagSet><Tag><Key>n</Key><Value></Value></Tag></TagSet></Tagging>';
    expect((await putDocument(plain)).status).toBe(200);
    expect((await s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: 'target' }))).TagSet).toEqual([{ Key: 'n', Value: '' }]);
    const spaced = `<Tagging xmlns="http://s3.amazonaws.com/doc/2006-03-01/">\n  <TagSet>\n    <Tag><Key>kept</Key><Value>yes</Value></Tag>\n  </TagSet>\n</Tagging>`;
    expect((await putDocument(spaced)).status).toBe(200);
    expect((await s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: 'target' }))).TagSet).toEqual(KEPT);
    await expectStoreServes(s3, bucket);
  });
});

describe('bucket policies on the tag actions', () => {
  it('s3:PutObjectTagging denies PutObjectTagging and writes carrying tags; s3:GetObjectTagging denies reading them and COPY of tagged sources; s3:DeleteObjectTagging denies deleting them', async () => {
    const guarded = await createBucket(s3, 'tag-policy');
    await s3.send(new PutObjectCommand({ Bucket: guarded, Key: 'tagged', Body: 'x', Tagging: 'a=1' }));
    await s3.send(new PutObjectCommand({ Bucket: guarded, Key: 'untagged', Body: 'x' }));
    await putPolicy(s3, guarded, {
      Effect: 'Deny',
      Principal: '*',
      Action: ['s3:PutObjectTagging', 's3:GetObjectTagging', 's3:DeleteObjectTagging'],
      Resource: objectsOf(guarded),
    });
    await expectS3Error(s3.send(new PutObjectTaggingCommand({ Bucket: guarded, Key: 'tagged', Tagging: { TagSet: [] } })), ACCESS_DENIED);
    await expectS3Error(s3.send(new GetObjectTaggingCommand({ Bucket: guarded, Key: 'tagged' })), ACCESS_DENIED);
    await expectS3Error(s3.send(new DeleteObjectTaggingCommand({ Bucket: guarded, Key: 'tagged' })), ACCESS_DENIED);
    await expectS3Error(s3.send(new PutObjectCommand({ Bucket: guarded, Key: 'new', Body: 'x', Tagging: 'b=2' })), ACCESS_DENIED);
    await expectS3Error(s3.send(new CreateMultipartUploadCommand({ Bucket: guarded, Key: 'new', Tagging: 'b=2' })), ACCESS_DENIED);
    await expectS3Error(s3.send(new CopyObjectCommand({ Bucket: guarded, Key: 'copy', CopySource: `${guarded}/tagged` })), ACCESS_DENIED);
    // Without tags nothing more is asked: plain writes and copies of untagged objects go through.
    await s3.send(new PutObjectCommand({ Bucket: guarded, Key: 'new', Body: 'x' }));
    await s3.send(new CopyObjectCommand({ Bucket: guarded, Key: 'copy', CopySource: `${guarded}/untagged` }));
    await s3.send(new CopyObjectCommand({ Bucket: guarded, Key: 'copy', CopySource: `${guarded}/tagged`, TaggingDirective: 'REPLACE' }));
  });
});
