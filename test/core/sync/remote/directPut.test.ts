// Small PUTs signed without the SDK: the store verifies their signatures for every kind of key name, answers keep the SDK's error shapes, and the wire carries exactly S3's headers.
import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateBucketCommand, GetObjectCommand, GetObjectTaggingCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyError } from '../../../../main/core/sync/remote/classifyError.js';
import { DirectPut, DirectPutError } from '../../../../main/core/sync/remote/directPut.js';
import { encodeTagging } from '../../../../main/core/sync/remote/objectAttributes.js';
import { startStoreFixture, TEST_CREDENTIALS, type StoreFixture } from '../../../support/storeFixture.js';

const BUCKET = 'direct-put';
const ODD_KEYS = ['plain.txt', 'with space.txt', 'plus+sign', 'per%cent', 'question?mark', 'hash#tag', 'amp&eq=', 'tilde~star*(paren)', "it's", 'e\u0301 nfd/é nfc', 'emoji 😀.png', 'deep/a/b/c/d.bin', 'semi;colon,comma', '[brackets]{braces}', 'dollar$at@'];

let f: StoreFixture;
const agent = new http.Agent({ keepAlive: true });

function direct(overrides: Partial<ConstructorParameters<typeof DirectPut>[0]> = {}): DirectPut {
  return new DirectPut({ url: new URL(f.httpUrl), region: 'us-east-1', credentials: TEST_CREDENTIALS, agent, ...overrides });
}

const sha256 = (body: Buffer): string => createHash('sha256').update(body).digest('hex');

beforeAll(async () => {
  f = await startStoreFixture();
  await f.http.send(new CreateBucketCommand({ Bucket: BUCKET }));
});
afterAll(async () => {
  agent.destroy();
  await f?.close();
});

describe('against the embedded store', () => {
  it('stores every kind of key name with its bytes, metadata and tags', async () => {
    const put = direct();
    for (const key of ODD_KEYS) {
      const body = randomBytes(100 + key.length);
      const { etag } = await put.put({ bucket: BUCKET, key: `folder/${key}`, body, sha256: sha256(body), encryption: { mode: 'sse-s3' }, metadata: { 'coffer-sha256': sha256(body), note: 'a  b' }, tagging: encodeTagging({ kind: 'test file' }) });
      expect(etag, key).toBe(`"${createHash('md5').update(body).digest('hex')}"`);
      const got = await f.http.send(new GetObjectCommand({ Bucket: BUCKET, Key: `folder/${key}` }));
      expect(Buffer.from(await got.Body!.transformToByteArray()).equals(body), key).toBe(true);
      expect(got.Metadata, key).toEqual({ 'coffer-sha256': sha256(body), note: 'a  b' });
      expect(got.ServerSideEncryption).toBe('AES256');
      const tags = await f.http.send(new GetObjectTaggingCommand({ Bucket: BUCKET, Key: `folder/${key}` }));
      expect(tags.TagSet).toEqual([{ Key: 'kind', Value: 'test file' }]);
    }
  });

  it('hashes the body itself when no hash is given, and an empty body works', async () => {
    await direct().put({ bucket: BUCKET, key: 'empty', body: Buffer.alloc(0), encryption: { mode: 'sse-s3' }, metadata: {} });
    const got = await f.http.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'empty' }));
    expect(got.ContentLength).toBe(0);
  });

  it('a wrong secret is the SDK-shaped SignatureDoesNotMatch, which stops the folder', async () => {
    const wrong = direct({ credentials: { accessKeyId: TEST_CREDENTIALS.accessKeyId, secretAccessKey: 'not-the-secret-0000000000000000000000000' } });
    const failure = await wrong.put({ bucket: BUCKET, key: 'x', body: Buffer.from('x'), encryption: { mode: 'sse-s3' }, metadata: {} }).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(DirectPutError);
    expect(classifyError(failure, { operation: 'PutObject', write: true })).toMatchObject({ errorClass: 'fatal', code: 'SignatureDoesNotMatch', httpStatus: 403 });
  });

  it('bytes that do not match the hash they are sent with are refused', async () => {
    const failure = await direct().put({ bucket: BUCKET, key: 'lie', body: Buffer.from('real'), sha256: sha256(Buffer.from('claimed')), encryption: { mode: 'sse-s3' }, metadata: {} }).catch((err: unknown) => err);
    expect(classifyError(failure, { operation: 'PutObject', write: true })).toMatchObject({ errorClass: 'retriable', code: 'XAmzContentSHA256Mismatch' });
  });
});

describe('on the wire', () => {
  let server: http.Server;
  let url: URL;
  const seen: { path: string; headers: http.IncomingHttpHeaders }[] = [];
  let answers: { status: number; headers: Record<string, string>; body: string }[] = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        seen.push({ path: req.url!, headers: req.headers });
        const answer = answers.shift() ?? { status: 200, headers: { etag: '"e"' }, body: '' };
        res.writeHead(answer.status, answer.headers);
        res.end(answer.body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/base/`);
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("sends S3's SSE-C trio, the checksum and the signed payload hash, under the endpoint's base path", async () => {
    const key = randomBytes(32);
    const body = Buffer.from('secret bytes');
    await direct({ url }).put({ bucket: 'b', key: 'p/q r', body, sha256: sha256(body), encryption: { mode: 'sse-c', key }, metadata: { a: '1' } });
    const { path, headers } = seen.at(-1)!;
    expect(path).toBe('/base/b/p/q%20r');
    expect(headers).toMatchObject({
      'x-amz-server-side-encryption-customer-algorithm': 'AES256',
      'x-amz-server-side-encryption-customer-key': key.toString('base64'),
      'x-amz-server-side-encryption-customer-key-md5': createHash('md5').update(key).digest('base64'),
      'x-amz-checksum-sha256': Buffer.from(sha256(body), 'hex').toString('base64'),
      'x-amz-content-sha256': sha256(body),
      'x-amz-meta-a': '1',
      'content-length': String(body.length),
    });
    expect(headers['x-amz-server-side-encryption']).toBeUndefined();
    const signed = /SignedHeaders=([^,]+),/.exec(String(headers.authorization))![1]!.split(';');
    expect(signed).toEqual(expect.arrayContaining(['host', 'x-amz-date', 'x-amz-content-sha256', 'x-amz-server-side-encryption-customer-key', 'x-amz-meta-a']));
    expect(signed).not.toContain('user-agent');
  });

  it('learns the clock offset from a RequestTimeTooSkewed answer and signs the next request with it', async () => {
    const serverTime = new Date(Date.now() + 3_600_000);
    answers = [{ status: 403, headers: { date: serverTime.toUTCString(), 'content-type': 'application/xml' }, body: '<Error><Code>RequestTimeTooSkewed</Code></Error>' }];
    const put = direct({ url });
    const request = { bucket: 'b', key: 'k', body: Buffer.from('x'), encryption: { mode: 'sse-s3' as const }, metadata: {} };
    const failure = await put.put(request).catch((err: unknown) => err);
    expect(classifyError(failure, { operation: 'PutObject' })).toMatchObject({ errorClass: 'retriable', code: 'RequestTimeTooSkewed' });
    await put.put(request);
    const amzDate = String(seen.at(-1)!.headers['x-amz-date']);
    const sent = Date.parse(`${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`);
    expect(Math.abs(sent - serverTime.getTime())).toBeLessThan(120_000);
  });

  it('reaches a store at an IPv6 literal, with the brackets kept in the signed Host header', async () => {
    const v6 = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        seen.push({ path: req.url!, headers: req.headers });
        res.writeHead(200, { etag: '"v6"' });
        res.end();
      });
    });
    await new Promise<void>((resolve) => v6.listen(0, '::1', resolve));
    try {
      const v6Url = new URL(`http://[::1]:${(v6.address() as AddressInfo).port}`);
      const { etag } = await direct({ url: v6Url }).put({ bucket: 'b', key: 'k', body: Buffer.from('x'), encryption: { mode: 'sse-s3' }, metadata: {} });
      expect(etag).toBe('"v6"');
      expect(seen.at(-1)!.headers.host).toBe(v6Url.host);
    } finally {
      await new Promise<void>((resolve) => v6.close(() => resolve()));
    }
  });

  it('an aborted request is the caller\'s abort', async () => {
    const abort = new AbortController();
    abort.abort();
    const failure = await direct({ url }).put({ bucket: 'b', key: 'k', body: Buffer.from('x'), encryption: { mode: 'sse-s3' }, metadata: {}, signal: abort.signal }).catch((err: unknown) => err);
    expect(classifyError(failure, { operation: 'PutObject' })).toMatchObject({ errorClass: 'skip', code: 'Aborted' });
  });
});
