// Objects another tool wrote (no Coffer metadata) through the real store: a download is still checked, by the MD5 its ETag states where S3 makes it one.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CompleteMultipartUploadCommand, CreateMultipartUploadCommand, PutObjectCommand, UploadPartCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { contentMd5OfEtag } from '../../../../main/core/sync/remote/etagDigest.js';
import { startStoreFixture, type StoreFixture } from '../../../support/storeFixture.js';
import { openSyncDevice, type SyncDevice } from '../../../support/syncDevice.js';

let fixture: StoreFixture;
/** A writer that sends no checksum, as older tools do, so the store keeps none to answer with. */
let otherTool: S3Client;
let devices: SyncDevice[] = [];
let proxies: http.Server[] = [];

beforeAll(async () => {
  fixture = await startStoreFixture();
  otherTool = fixture.client({ secure: true, requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' });
});
afterAll(async () => {
  otherTool.destroy();
  await fixture.close();
});
afterEach(async () => {
  for (const d of devices) await d.close();
  for (const p of proxies) await new Promise((r) => p.close(r));
  devices = [];
  proxies = [];
});

/**
 * A loopback proxy to the store's HTTP port that flips the first body byte of every successful
 * GET of `key`: bytes damaged between a store that does not check them and the device.
 */
async function corruptingProxy(key: string): Promise<string> {
  const upstream = new URL(fixture.httpUrl);
  const server = http.createServer((req, res) => {
    const forward = http.request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      const damage = req.method === 'GET' && answer.statusCode === 200 && new URL(req.url ?? '/', 'http://proxy').pathname.endsWith(`/${key}`);
      let first = damage;
      answer.on('data', (chunk: Buffer) => {
        if (first && chunk.length > 0) {
          chunk[0] = chunk[0]! ^ 0x01;
          first = false;
        }
        res.write(chunk);
      });
      answer.on('end', () => res.end());
    });
    forward.on('error', (err) => res.destroy(err));
    req.pipe(forward);
  });
  proxies.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function device(bucket: string, endpoint?: string): Promise<SyncDevice> {
  const d = await openSyncDevice(fixture, { name: 'desktop', bucket, endpoint });
  devices.push(d);
  return d;
}

describe('an object written by another tool', () => {
  it('arrives when its bytes match the MD5 its ETag states, single part or multipart', async () => {
    const d = await device('foreign-plain');
    await otherTool.send(new PutObjectCommand({ Bucket: 'foreign-plain', Key: 'scan.pdf', Body: 'a scanned page', ServerSideEncryption: 'AES256' }));
    const part = Buffer.alloc(5 * 1024 * 1024, 7);
    const { UploadId } = await otherTool.send(new CreateMultipartUploadCommand({ Bucket: 'foreign-plain', Key: 'archive.tar' }));
    const p1 = await otherTool.send(new UploadPartCommand({ Bucket: 'foreign-plain', Key: 'archive.tar', UploadId, PartNumber: 1, Body: part }));
    const p2 = await otherTool.send(new UploadPartCommand({ Bucket: 'foreign-plain', Key: 'archive.tar', UploadId, PartNumber: 2, Body: 'tail' }));
    await otherTool.send(
      new CompleteMultipartUploadCommand({
        Bucket: 'foreign-plain', Key: 'archive.tar', UploadId,
        MultipartUpload: { Parts: [{ PartNumber: 1, ETag: p1.ETag }, { PartNumber: 2, ETag: p2.ETag }] },
      }),
    );
    await d.cycle();
    expect(d.sync.errors).toEqual([]);
    expect(readFileSync(join(d.root, 'scan.pdf'), 'utf8')).toBe('a scanned page');
    expect(readFileSync(join(d.root, 'archive.tar')).equals(Buffer.concat([part, Buffer.from('tail')]))).toBe(true);
  });

  it('is refused when its bytes do not match the MD5 its ETag states, and nothing is written', async () => {
    const d = await device('foreign-damaged', await corruptingProxy('photo.jpg'));
    await otherTool.send(new PutObjectCommand({ Bucket: 'foreign-damaged', Key: 'photo.jpg', Body: 'the original pixels', ServerSideEncryption: 'AES256' }));
    await otherTool.send(new PutObjectCommand({ Bucket: 'foreign-damaged', Key: 'note.txt', Body: 'untouched', ServerSideEncryption: 'AES256' }));
    await d.cycle();
    expect(d.sync.errors).toEqual([{ path: 'photo.jpg', message: expect.stringContaining('does not match its stored MD5 ETag') }]);
    expect(existsSync(join(d.root, 'photo.jpg'))).toBe(false);
    expect(readFileSync(join(d.root, 'note.txt'), 'utf8')).toBe('untouched');
    expect(d.events.filter((e) => e.operation === 'SyncDownload' && e.outcome === 'failure').map((e) => [e.objectKey, e.errorCode])).toEqual([
      ['photo.jpg', 'IntegrityCheckFailed'],
    ]);
    expect(readdirSync(d.root).filter((n) => n.startsWith('.coffer-tmp'))).toEqual([]);
  });
});

describe('contentMd5OfEtag', () => {
  const md5 = '9e107d9d372bb6826bd81d3542a419d6';
  it.each([
    ['plaintext, quoted', `"${md5}"`, {}, md5],
    ['SSE-S3, upper case', `"${md5.toUpperCase()}"`, { serverSideEncryption: 'AES256' }, md5],
    ['SSE-KMS', `"${md5}"`, { serverSideEncryption: 'aws:kms' }, undefined],
    ['DSSE-KMS', `"${md5}"`, { serverSideEncryption: 'aws:kms:dsse' }, undefined],
    ['SSE-C', `"${md5}"`, { serverSideEncryption: 'AES256', sseCustomerAlgorithm: 'AES256' }, undefined],
    ['multipart', `"${md5}-3"`, {}, undefined],
    ['not hex', '"not-an-md5-at-all-not-an-md5-xx"', {}, undefined],
    ['empty', '', {}, undefined],
  ])('%s', (_name, etag, context, expected) => {
    expect(contentMd5OfEtag(etag, context)).toBe(expected);
  });
});
