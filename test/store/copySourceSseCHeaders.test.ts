// Wire contract: malformed or misplaced copy-source SSE-C headers on CopyObject and UploadPartCopy over HTTPS, answered with S3-SSE.md 4.3/4.4's errors, never echoing a key.
import { CopyObjectCommand, CreateMultipartUploadCommand, GetObjectCommand, ListPartsCommand, PutObjectCommand, UploadPartCopyCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bodyOf,
  copySourceSseC,
  createBucket,
  customerKey,
  expectRawError,
  expectS3Error,
  expectStoreServes,
  md5Base64,
  onceClient,
  sseC,
  sseCHeaders,
  type ExpectedError,
} from '../support/s3Expect.js';
import { objectPath, sendSigned, type RawResponse } from '../support/signedRequest.js';
import { startStoreFixture, type StoreFixture } from '../support/storeFixture.js';

let f: StoreFixture;
let s3: S3Client;
let bucket: string;
let uploadId: string;
const sourceKey = customerKey();
const SOURCE_BODY = 'sealed under the customer key';
beforeAll(async () => {
  f = await startStoreFixture();
  s3 = onceClient(f, true);
  bucket = await createBucket(s3, 'cs-sse-c');
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'c-src', Body: SOURCE_BODY, ...sseC(sourceKey) }));
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'p-src', Body: 'not sse-c' }));
  uploadId = (await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'part-dst' }))).UploadId!;
});
afterAll(async () => {
  await f?.close();
});

const CS = 'x-amz-copy-source-server-side-encryption-customer';
const ALGORITHM = `${CS}-algorithm`;
const KEY = `${CS}-key`;
const KEY_MD5 = `${CS}-key-md5`;

/** The source's correct copy-source trio with some headers replaced (a string) or dropped (undefined). */
function trio(changes: Record<string, string | undefined> = {}): Record<string, string> {
  const headers: Record<string, string | undefined> = { ...sseCHeaders(sourceKey, CS), ...changes };
  return Object.fromEntries(Object.entries(headers).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

const MSG = {
  needAlgorithm: 'Requests specifying Server Side Encryption with Customer provided keys must provide a valid encryption algorithm.',
  needKey: 'Requests specifying Server Side Encryption with Customer provided keys must provide an appropriate secret key.',
  badAlgorithm: 'The Encryption request you specified is not valid. Supported value: AES256.',
  needMd5: 'Requests specifying Server Side Encryption with Customer provided keys must provide the client calculated MD5 of the secret key.',
  md5Mismatch: 'The calculated MD5 hash of the key did not match the hash that was provided.',
  badKey: 'The secret key was invalid for the specified algorithm.',
  keyRequired: 'The object was stored using a form of Server Side Encryption. The correct parameters must be provided to retrieve the object.',
  wrongKey: 'Requests specifying Server Side Encryption with Customer provided keys must provide the correct secret key.',
  notApplicable: 'The encryption parameters are not applicable to this object.',
};

const short = sourceKey.raw.subarray(0, 16);
const other = customerKey();
// Base64 of the source key with characters outside the alphabet spliced in: a lenient decoder skips them and finds the real key.
// S3-SSE.md names one answer for a key that is not base64 (E17); its 403 rule on reads covers well-formed keys only.
const notBase64 = `${sourceKey.base64.slice(0, 8)}!*${sourceKey.base64.slice(8)}`;

interface Case {
  name: string;
  source: 'c-src' | 'p-src';
  headers: Record<string, string>;
  expected: ExpectedError;
  /** ArgumentValue the error must carry, where S3-SSE.md gives one. */
  argumentValue?: string;
}

const CASES: Case[] = [
  { name: 'key and MD5 without the algorithm (E12)', source: 'c-src', headers: trio({ [ALGORITHM]: undefined }), expected: { code: 'InvalidArgument', status: 400, message: MSG.needAlgorithm } },
  { name: 'the MD5 alone (E12)', source: 'c-src', headers: { [KEY_MD5]: sourceKey.md5 }, expected: { code: 'InvalidArgument', status: 400, message: MSG.needAlgorithm } },
  { name: 'the algorithm without a key (E13)', source: 'c-src', headers: { [ALGORITHM]: 'AES256' }, expected: { code: 'InvalidArgument', status: 400, message: MSG.needKey } },
  {
    name: 'AES128 as the algorithm (E14)',
    source: 'c-src',
    headers: trio({ [ALGORITHM]: 'AES128' }),
    expected: { code: 'InvalidEncryptionAlgorithmError', status: 400, message: MSG.badAlgorithm },
    argumentValue: 'AES128',
  },
  { name: 'no key MD5 (E15)', source: 'c-src', headers: trio({ [KEY_MD5]: undefined }), expected: { code: 'InvalidArgument', status: 400, message: MSG.needMd5 } },
  { name: 'a key MD5 of something else (E16)', source: 'c-src', headers: trio({ [KEY_MD5]: md5Base64('something else') }), expected: { code: 'InvalidArgument', status: 400, message: MSG.md5Mismatch }, argumentValue: '' },
  { name: 'a key that is not base64 (E17)', source: 'c-src', headers: trio({ [KEY]: notBase64 }), expected: { code: 'InvalidArgument', status: 400, message: MSG.badKey } },
  {
    name: 'a 16-byte key with its own MD5 (4.4: a well-formed wrong key, 403)',
    source: 'c-src',
    headers: trio({ [KEY]: short.toString('base64'), [KEY_MD5]: md5Base64(short) }),
    expected: { code: 'AccessDenied', status: 403, message: MSG.wrongKey },
  },
  { name: 'another well-formed key (E19)', source: 'c-src', headers: sseCHeaders(other, CS), expected: { code: 'AccessDenied', status: 403, message: MSG.wrongKey } },
  { name: 'no copy-source key for an SSE-C source (E18)', source: 'c-src', headers: {}, expected: { code: 'InvalidRequest', status: 400, message: MSG.keyRequired } },
  { name: 'a copy-source key for a source that is not SSE-C (E20)', source: 'p-src', headers: trio(), expected: { code: 'InvalidRequest', status: 400, message: MSG.notApplicable } },
];

interface Operation {
  name: string;
  /** `slot` picks the destination (an object key or a part number), so each request writes to its own. */
  send(source: string, headers: Record<string, string>, slot: number): Promise<RawResponse>;
  /** Proves that the refused request left nothing behind in its slot. */
  expectNothingWritten(slot: number): Promise<void>;
}

const OPERATIONS: Operation[] = [
  {
    name: 'CopyObject',
    send: (source, headers, slot) =>
      sendSigned(f, { secure: true, method: 'PUT', path: objectPath(bucket, `copy-dst-${slot}`), body: '', headers: { 'x-amz-copy-source': `/${bucket}/${source}`, ...headers } }),
    async expectNothingWritten(slot) {
      await expectS3Error(s3.send(new GetObjectCommand({ Bucket: bucket, Key: `copy-dst-${slot}` })), { code: 'NoSuchKey', status: 404 });
    },
  },
  {
    name: 'UploadPartCopy',
    send: (source, headers, slot) =>
      sendSigned(f, {
        secure: true,
        method: 'PUT',
        path: objectPath(bucket, 'part-dst'),
        query: { partNumber: String(slot), uploadId },
        body: '',
        headers: { 'x-amz-copy-source': `/${bucket}/${source}`, ...headers },
      }),
    async expectNothingWritten(slot) {
      const parts = (await s3.send(new ListPartsCommand({ Bucket: bucket, Key: 'part-dst', UploadId: uploadId }))).Parts ?? [];
      expect(parts.map((p) => p.PartNumber)).not.toContain(slot);
    },
  },
];

/** No key text sent with the request comes back in the answer, in its body or its headers. */
function expectNoKeyEchoed(res: RawResponse, headers: Record<string, string>): void {
  const answer = res.body.toString() + JSON.stringify(res.headers);
  for (const secret of [headers[KEY], sourceKey.base64, other.base64]) {
    if (secret !== undefined) expect(answer).not.toContain(secret);
  }
}

describe.each(OPERATIONS)('copy-source SSE-C headers on $name over HTTPS', (operation) => {
  it.each(CASES.map((c, i) => ({ ...c, slot: i + 1 })))('refuses $name', async ({ source, headers, expected, argumentValue, slot }) => {
    const res = await operation.send(source, headers, slot);
    expectRawError(res, expected);
    if (argumentValue !== undefined) expect(res.error?.details['ArgumentValue']).toBe(argumentValue);
    expectNoKeyEchoed(res, headers);
    await operation.expectNothingWritten(slot);
  });

  it('accepts the correct trio, so each refusal above is about the header alone', async () => {
    const res = await operation.send('c-src', trio(), 100);
    expect(res.status).toBe(200);
    expectNoKeyEchoed(res, trio());
    await expectStoreServes(s3, bucket);
  });
});

describe('the SDK path for the same copies', () => {
  it('copies an SSE-C source with the copy-source key through the SDK, for CopyObject and UploadPartCopy', async () => {
    await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'sdk-copy', CopySource: `${bucket}/c-src`, ...copySourceSseC(sourceKey) }));
    expect((await bodyOf(await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'sdk-copy' })))).toString()).toBe(SOURCE_BODY);
    const UploadId = (await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'sdk-part' }))).UploadId;
    const part = await s3.send(new UploadPartCopyCommand({ Bucket: bucket, Key: 'sdk-part', UploadId, PartNumber: 1, CopySource: `${bucket}/c-src`, ...copySourceSseC(sourceKey) }));
    expect(part.CopyPartResult?.ETag).toMatch(/^"[0-9a-f]{32}"$/);
    await expectS3Error(s3.send(new UploadPartCopyCommand({ Bucket: bucket, Key: 'sdk-part', UploadId, PartNumber: 2, CopySource: `${bucket}/c-src`, ...copySourceSseC(other) })), {
      code: 'AccessDenied',
      status: 403,
      message: MSG.wrongKey,
    });
  });
});
