// Wire contract: hand-signed SigV4 header-auth requests over HTTP whose x-amz-content-sha256 or SignedHeaders break S3's rules, and a store that keeps serving after each.
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeSha256 } from '../core/store/auth/sigv4Support.js';
import { createBucket, expectRawError, expectStoreServes, onceClient } from '../support/s3Expect.js';
import { objectPath, sendRaw, type RawResponse } from '../support/signedRequest.js';
import { startStoreFixture, TEST_CREDENTIALS, type StoreFixture } from '../support/storeFixture.js';

let f: StoreFixture;
let s3: S3Client;
let bucket: string;
beforeAll(async () => {
  f = await startStoreFixture();
  s3 = onceClient(f, false);
  bucket = await createBucket(s3, 'hdr-edges');
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'present', Body: 'present body' }));
});
afterAll(async () => {
  await f?.close();
});

interface HandSigned {
  method: 'GET' | 'PUT' | 'HEAD';
  key: string;
  headers?: Record<string, string>;
  body?: string;
  /** False: the signer adds no x-amz-content-sha256 header (the canonical request still names the body's hash). */
  addPayloadHash?: boolean;
  /** Headers sent but left out of SignedHeaders. */
  unsigned?: readonly string[];
  /** Headers forced into SignedHeaders even where the signer would skip them. */
  forceSigned?: readonly string[];
  /** Headers signed, then removed before sending. */
  dropAfterSigning?: readonly string[];
}

interface Sent {
  res: RawResponse;
  /** The headers that went on the wire. */
  headers: Record<string, string>;
}

/** Signs with the SDK's own signer, bends the result as asked, and sends it over plain HTTP. */
async function signAndSend(spec: HandSigned): Promise<Sent> {
  const listener = new URL(f.httpUrl);
  const path = objectPath(bucket, spec.key);
  const body = spec.body === undefined ? undefined : Buffer.from(spec.body);
  const headers: Record<string, string> = { host: listener.host, ...(spec.headers ?? {}) };
  if (body !== undefined) headers['content-length'] = String(body.length);
  const signer = new SignatureV4({
    service: 's3',
    region: 'us-east-1',
    credentials: TEST_CREDENTIALS,
    sha256: NodeSha256,
    uriEscapePath: false,
    applyChecksum: spec.addPayloadHash ?? true,
  });
  const signed = await signer.sign(
    { method: spec.method, protocol: listener.protocol, hostname: listener.hostname, path, query: {}, headers, body },
    { signingDate: new Date(), unsignableHeaders: new Set(spec.unsigned ?? []), signableHeaders: new Set(spec.forceSigned ?? []) },
  );
  const out: Record<string, string> = { ...(signed.headers as Record<string, string>) };
  for (const name of spec.dropAfterSigning ?? []) delete out[name];
  const res = await sendRaw(f, false, { method: spec.method, url: path, headers: out, body });
  return { res, headers: out };
}

function signedHeaderList(headers: Record<string, string>): string[] {
  return /SignedHeaders=([^,]+)/.exec(headers['authorization'] ?? '')?.[1]?.split(';') ?? [];
}

async function expectNotStored(key: string): Promise<void> {
  expect((await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: key }))).KeyCount).toBe(0);
}

const MISSING_SHA256 = { code: 'InvalidRequest', status: 400, message: 'Missing required header for this request: x-amz-content-sha256' };
// Recorded from S3 in versity/versitygw#1352 (2025): the list now names the SigV4a streaming forms too.
const BAD_SHA256_MESSAGE =
  'x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER, STREAMING-AWS4-HMAC-SHA256-PAYLOAD, ' +
  'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER, STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD, STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER ' +
  'or a valid sha256 value.';
const NOT_SIGNED = { code: 'AccessDenied', status: 403, message: 'There were headers present in the request which were not signed' };
const SIGNATURE = {
  code: 'SignatureDoesNotMatch',
  status: 403,
  message: 'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
};

describe('x-amz-content-sha256 on header-signed requests', () => {
  it('refuses a PUT without the header (400 InvalidRequest), storing nothing', async () => {
    const { res, headers } = await signAndSend({ method: 'PUT', key: 'no-sha-put', body: 'would be stored', addPayloadHash: false });
    expect(headers['x-amz-content-sha256']).toBeUndefined();
    expectRawError(res, MISSING_SHA256);
    await expectNotStored('no-sha-put');
    await expectStoreServes(s3, bucket);
  });

  it('refuses a GET without the header (400 InvalidRequest) and a HEAD with a bare 400, serving no object bytes', async () => {
    const { res, headers } = await signAndSend({ method: 'GET', key: 'present', addPayloadHash: false });
    expect(headers['x-amz-content-sha256']).toBeUndefined();
    expectRawError(res, MISSING_SHA256);
    expect(res.body.toString()).not.toContain('present body');
    const head = (await signAndSend({ method: 'HEAD', key: 'present', addPayloadHash: false })).res;
    expect([head.status, head.body.length]).toEqual([400, 0]);
    await expectStoreServes(s3, bucket);
  });

  it.each([
    ['a word', 'GIBBERISH'],
    ['64 characters that are not hex', 'g'.repeat(64)],
    ['63 hex digits', 'a'.repeat(63)],
    ['65 hex digits', 'a'.repeat(65)],
  ])('refuses %s as the payload hash (400 InvalidArgument naming the value), on PUT and GET', async (_, value) => {
    const put = (await signAndSend({ method: 'PUT', key: 'bad-sha', body: 'x', headers: { 'x-amz-content-sha256': value } })).res;
    expectRawError(put, { code: 'InvalidArgument', status: 400 });
    expect(put.error?.details).toMatchObject({ ArgumentName: 'x-amz-content-sha256', ArgumentValue: value });
    await expectNotStored('bad-sha');
    const get = (await signAndSend({ method: 'GET', key: 'present', headers: { 'x-amz-content-sha256': value } })).res;
    expectRawError(get, { code: 'InvalidArgument', status: 400 });
    expect(get.error?.details).toMatchObject({ ArgumentName: 'x-amz-content-sha256', ArgumentValue: value });
    expect(get.body.toString()).not.toContain('present body');
    await expectStoreServes(s3, bucket);
  });

  it('words the refusal of a bad payload hash as S3 does today, listing every value S3 accepts', async () => {
    const { res } = await signAndSend({ method: 'GET', key: 'present', headers: { 'x-amz-content-sha256': 'GIBBERISH' } });
    expectRawError(res, { code: 'InvalidArgument', status: 400, message: BAD_SHA256_MESSAGE });
  });
});

describe('SignedHeaders on header-signed requests', () => {
  it('refuses a request whose signature leaves out host (403 AccessDenied, HeadersNotSigned host), storing nothing', async () => {
    const put = await signAndSend({ method: 'PUT', key: 'host-unsigned', body: 'x', unsigned: ['host'] });
    expect(put.headers['host']).toBe(new URL(f.httpUrl).host);
    expect(signedHeaderList(put.headers)).not.toContain('host');
    expectRawError(put.res, NOT_SIGNED);
    expect(put.res.error?.details['HeadersNotSigned']).toBe('host');
    await expectNotStored('host-unsigned');
    const get = (await signAndSend({ method: 'GET', key: 'present', unsigned: ['host'] })).res;
    expectRawError(get, NOT_SIGNED);
    expect(get.error?.details['HeadersNotSigned']).toBe('host');
    await expectStoreServes(s3, bucket);
  });

  it('refuses x-amz-* headers sent but left out of the signature (403 AccessDenied, HeadersNotSigned), storing nothing', async () => {
    // A metadata header and an SSE choice added to a signed PUT, as a proxy could add them.
    const put = await signAndSend({
      method: 'PUT',
      key: 'amz-unsigned',
      body: 'x',
      headers: { 'x-amz-meta-added': 'on the way', 'x-amz-server-side-encryption': 'AES256' },
      unsigned: ['x-amz-meta-added', 'x-amz-server-side-encryption'],
    });
    expect(signedHeaderList(put.headers)).not.toContain('x-amz-meta-added');
    expectRawError(put.res, NOT_SIGNED);
    expect(put.res.error?.details['HeadersNotSigned']).toBe('x-amz-meta-added, x-amz-server-side-encryption');
    await expectNotStored('amz-unsigned');
    // The same headers, signed, are accepted: the refusal is about the signature, not the headers.
    const signed = await signAndSend({ method: 'PUT', key: 'amz-signed', body: 'x', headers: { 'x-amz-meta-added': 'signed' } });
    expect(signed.res.status).toBe(200);
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'amz-signed' }));
    expect(head.Metadata).toEqual({ added: 'signed' });
    await expectStoreServes(s3, bucket);
  });

  it('refuses a signed header that was not sent (403 SignatureDoesNotMatch: it counts as empty), storing nothing', async () => {
    const { res, headers } = await signAndSend({
      method: 'PUT',
      key: 'meta-dropped',
      body: 'x',
      headers: { 'x-amz-meta-note': 'signed value' },
      dropAfterSigning: ['x-amz-meta-note'],
    });
    expect(signedHeaderList(headers)).toContain('x-amz-meta-note');
    expectRawError(res, SIGNATURE);
    expect(res.error?.details['CanonicalRequest']).toContain('\nx-amz-meta-note:\n');
    expect(res.body.toString()).not.toContain(TEST_CREDENTIALS.secretAccessKey);
    await expectNotStored('meta-dropped');
    const get = (await signAndSend({ method: 'GET', key: 'present', headers: { range: 'bytes=0-3' }, dropAfterSigning: ['range'] })).res;
    expectRawError(get, SIGNATURE);
    await expectStoreServes(s3, bucket);
  });

  it('refuses a request whose signed x-amz-date was not sent (403 AccessDenied: no request time)', async () => {
    const { res, headers } = await signAndSend({ method: 'GET', key: 'present', dropAfterSigning: ['x-amz-date'] });
    expect(signedHeaderList(headers)).toContain('x-amz-date');
    expectRawError(res, { code: 'AccessDenied', status: 403, message: 'AWS authentication requires a valid Date or x-amz-date header' });
    await expectStoreServes(s3, bucket);
  });

  it('accepts a header signed with an empty value and not sent, as S3 accepts it from libs3 (transfer-encoding)', async () => {
    const { res, headers } = await signAndSend({
      method: 'PUT',
      key: 'empty-signed',
      body: 'empty header signed',
      headers: { 'transfer-encoding': '' },
      forceSigned: ['transfer-encoding'],
      dropAfterSigning: ['transfer-encoding'],
    });
    expect(signedHeaderList(headers)).toContain('transfer-encoding');
    expect(headers['transfer-encoding']).toBeUndefined();
    expect(res.status).toBe(200);
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'empty-signed' }));
    expect(await got.Body!.transformToString()).toBe('empty header signed');
    expect((await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'present' }))).ContentLength).toBe('present body'.length);
  });
});
