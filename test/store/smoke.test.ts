import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { startStoreFixture, type StoreFixture } from '../support/storeFixture.js';

let f: StoreFixture;
beforeAll(async () => { f = await startStoreFixture(); });
afterAll(async () => { await f?.close(); });

describe('smoke', () => {
  it('puts and gets', async () => {
    await f.http.send(new CreateBucketCommand({ Bucket: 'smoke' }));
    const put = await f.http.send(new PutObjectCommand({ Bucket: 'smoke', Key: 'a/b.txt', Body: 'hello world' }));
    console.log(put.ETag, put.ServerSideEncryption);
    const get = await f.http.send(new GetObjectCommand({ Bucket: 'smoke', Key: 'a/b.txt' }));
    expect(await get.Body!.transformToString()).toBe('hello world');
    const list = await f.http.send(new ListObjectsV2Command({ Bucket: 'smoke' }));
    console.log(list.Contents);
  });
});
