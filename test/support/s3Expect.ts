// Test support for the wire-contract suite: S3 error assertions, SSE-C keys, clients that never retry, small body helpers.
import { createHash, randomBytes } from 'node:crypto';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { expect } from 'vitest';
import type { RawResponse } from './signedRequest.js';
import type { StoreFixture } from './storeFixture.js';

export interface ExpectedError {
  code: string;
  status: number;
  /** Exact text, or a pattern. Omit for HEAD, whose errors carry no body. */
  message?: string | RegExp;
}

function checkMessage(actual: string, expected: string | RegExp | undefined): void {
  if (expected === undefined) return;
  if (typeof expected === 'string') expect(actual).toBe(expected);
  else expect(actual).toMatch(expected);
}

/** Awaits an SDK call that must fail with this S3 error (Code, HTTP status, Message). */
export async function expectS3Error(call: Promise<unknown>, expected: ExpectedError): Promise<S3ServiceException> {
  let caught: unknown;
  try {
    await call;
  } catch (err) {
    caught = err;
  }
  expect(caught, `expected ${expected.code}`).toBeInstanceOf(S3ServiceException);
  const err = caught as S3ServiceException;
  expect({ code: err.name, status: err.$metadata.httpStatusCode }).toEqual({ code: expected.code, status: expected.status });
  checkMessage(err.message, expected.message);
  return err;
}

/** The same check for a raw response (GET/PUT bodies are <Error> documents; HEAD has none). */
export function expectRawError(res: RawResponse, expected: ExpectedError): void {
  expect({ status: res.status, code: res.error?.code }).toEqual({ status: expected.status, code: expected.code });
  checkMessage(res.error?.message ?? '', expected.message);
}

/** An SDK client on the fixture that sends each request once, so retries cannot hide an answer. */
export function onceClient(f: StoreFixture, secure: boolean): S3Client {
  return f.client({ secure, maxAttempts: 1 });
}

export const TRANSPORTS = [
  { name: 'http', secure: false },
  { name: 'https', secure: true },
] as const;

let bucketCounter = 0;
/** A bucket name unique within the test run. */
export function bucketName(prefix: string): string {
  bucketCounter += 1;
  return `${prefix}-${process.pid}-${bucketCounter}`.toLowerCase();
}

export async function createBucket(client: S3Client, prefix: string): Promise<string> {
  const name = bucketName(prefix);
  await client.send(new CreateBucketCommand({ Bucket: name }));
  return name;
}

export function md5Hex(data: Buffer | string): string {
  return createHash('md5').update(data).digest('hex');
}

export function md5Base64(data: Buffer | string): string {
  return createHash('md5').update(data).digest('base64');
}

/** Deterministic pseudo-random bytes, so a failing comparison can be reproduced. */
export function patternBytes(length: number, seed = 1): Buffer {
  const out = Buffer.alloc(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

export interface CustomerKey {
  raw: Buffer;
  base64: string;
  md5: string;
}

export function customerKey(raw: Buffer = randomBytes(32)): CustomerKey {
  return { raw, base64: raw.toString('base64'), md5: md5Base64(raw) };
}

/** SDK input members for an SSE-C object key. */
export function sseC(key: CustomerKey): { SSECustomerAlgorithm: string; SSECustomerKey: string; SSECustomerKeyMD5: string } {
  return { SSECustomerAlgorithm: 'AES256', SSECustomerKey: key.base64, SSECustomerKeyMD5: key.md5 };
}

/** SDK input members for an SSE-C copy source. */
export function copySourceSseC(key: CustomerKey): {
  CopySourceSSECustomerAlgorithm: string;
  CopySourceSSECustomerKey: string;
  CopySourceSSECustomerKeyMD5: string;
} {
  return { CopySourceSSECustomerAlgorithm: 'AES256', CopySourceSSECustomerKey: key.base64, CopySourceSSECustomerKeyMD5: key.md5 };
}

/** Raw request headers for an SSE-C key (each may be overridden or dropped by the caller). */
export function sseCHeaders(key: CustomerKey, prefix = 'x-amz-server-side-encryption-customer'): Record<string, string> {
  return { [`${prefix}-algorithm`]: 'AES256', [`${prefix}-key`]: key.base64, [`${prefix}-key-md5`]: key.md5 };
}

export async function bodyOf(out: { Body?: { transformToByteArray(): Promise<Uint8Array> } | undefined }): Promise<Buffer> {
  return Buffer.from(await out.Body!.transformToByteArray());
}

/** After a refused request the store still stores and serves objects. */
export async function expectStoreServes(client: S3Client, bucket: string): Promise<void> {
  const key = `health-${randomBytes(4).toString('hex')}`;
  await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'still serving' }));
  const got = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  expect(await got.Body!.transformToString()).toBe('still serving');
}
