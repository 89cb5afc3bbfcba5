// Wire contract: virtual-hosted-style requests (Host: <bucket>.s3.localhost:<port>) from the SDK with forcePathStyle false, and raw.
import type { LookupAddress, LookupOptions } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bodyOf, bucketName, customerKey, expectS3Error, md5Hex, sseC, TRANSPORTS } from '../support/s3Expect.js';
import { sendSigned } from '../support/signedRequest.js';
import { startStoreFixture, type StoreFixture } from '../support/storeFixture.js';

let f: StoreFixture;
beforeAll(async () => {
  f = await startStoreFixture();
});
afterAll(async () => {
  await f?.close();
});

/** Resolves every name (bucket.s3.localhost included) to the loopback address the store listens on. */
function loopbackLookup(
  _hostname: string,
  options: LookupOptions,
  callback: (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void,
): void {
  if (options.all) callback(null, [{ address: '127.0.0.1', family: 4 }]);
  else callback(null, '127.0.0.1', 4);
}

/**
 * An SDK client that addresses buckets as <bucket>.s3.localhost:<port>, the way it talks to AWS;
 * over HTTPS the store certificate's *.s3.localhost name is verified as usual.
 */
function virtualHostClient(secure: boolean): S3Client {
  const url = new URL(secure ? f.httpsUrl : f.httpUrl);
  return f.client({
    secure,
    maxAttempts: 1,
    endpoint: `${url.protocol}//s3.localhost:${url.port}`,
    forcePathStyle: false,
    requestHandler: new NodeHttpHandler({
      httpAgent: new http.Agent({ lookup: loopbackLookup }),
      httpsAgent: new https.Agent({ lookup: loopbackLookup, ca: f.caCert }),
    }),
  });
}

describe.each(TRANSPORTS)('virtual-hosted-style over $name', ({ secure }) => {
  let s3: S3Client;
  let bucket: string;
  const seen: string[] = [];
  beforeAll(async () => {
    s3 = virtualHostClient(secure);
    s3.middlewareStack.add(
      (next) => async (args) => {
        const request = args.request as { hostname?: string; path?: string };
        seen.push(`${request.hostname} ${request.path}`);
        return next(args);
      },
      { step: 'finalizeRequest', name: 'recordHost' },
    );
    bucket = bucketName('vhost');
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  });

  it('sends the bucket in the Host name, not the path', async () => {
    await s3.send(new HeadBucketCommand({ Bucket: bucket }));
    expect(seen.at(-1)).toBe(`${bucket}.s3.localhost /`);
  });

  it('creates, writes, reads, lists and deletes through <bucket>.s3.localhost', async () => {
    const put = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'dir/a b+c.txt', Body: 'virtual' }));
    expect(put.ETag).toBe(`"${md5Hex('virtual')}"`);
    expect(seen.at(-1)).toMatch(new RegExp(`^${bucket}\\.s3\\.localhost /dir/a%20b%2Bc\\.txt`));
    expect((await bodyOf(await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'dir/a b+c.txt' })))).toString()).toBe('virtual');
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'dir/' }));
    expect(listed.Contents?.map((c) => c.Key)).toEqual(['dir/a b+c.txt']);
    expect(listed.Name).toBe(bucket);
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'dir/a b+c.txt' }));
    await expectS3Error(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'dir/a b+c.txt' })), { code: 'NoSuchKey', status: 404 });
  });

  it('keeps virtual-hosted and path-style addressing on the same buckets', async () => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'shared', Body: 'both ways' }));
    const pathStyle = f.client({ secure, maxAttempts: 1 });
    expect((await bodyOf(await pathStyle.send(new GetObjectCommand({ Bucket: bucket, Key: 'shared' })))).toString()).toBe('both ways');
    const list = await s3.send(new ListBucketsCommand({}));
    expect(list.Buckets?.some((b) => b.Name === bucket)).toBe(true);
  });

  it('answers 404 NoSuchBucket for a host naming a missing bucket', async () => {
    await expectS3Error(s3.send(new GetObjectCommand({ Bucket: bucketName('vhost-missing'), Key: 'k' })), { code: 'NoSuchBucket', status: 404 });
  });

  it('serves a raw signed request whose Host header carries the bucket', async () => {
    const port = new URL(secure ? f.httpsUrl : f.httpUrl).port;
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'raw', Body: 'raw host' }));
    const res = await sendSigned(f, { secure, path: '/raw', host: `${bucket}.localhost:${port}` });
    expect(res.status).toBe(200);
    expect(res.body.toString()).toBe('raw host');
  });
});

describe('virtual-hosted-style SSE-C over HTTPS', () => {
  it('stores and reads an SSE-C object through <bucket>.s3.localhost', async () => {
    const s3 = virtualHostClient(true);
    const bucket = bucketName('vhost-c');
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const key = customerKey();
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'c', Body: 'vh customer', ...sseC(key) }));
    const get = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'c', ...sseC(key) }));
    expect(get.SSECustomerKeyMD5).toBe(key.md5);
    expect((await bodyOf(get)).toString()).toBe('vh customer');
  });
});
