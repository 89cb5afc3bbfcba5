// A store.db written before objects had tags (schema 2) opens under migration 0003: its objects and uploads keep their rows and start without tags.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectTaggingCommand, ListMultipartUploadsCommand, PutObjectTaggingCommand } from '@aws-sdk/client-s3';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../main/core/db/openDatabase.js';
import { storeMigrations } from '../../main/core/store/storage/migrations/index.js';
import { STORE_DB_FILE } from '../../main/core/store/storeServices.js';
import { onceClient } from '../support/s3Expect.js';
import { startStoreFixture, type StoreFixture } from '../support/storeFixture.js';

const SCHEMA_BEFORE_TAGS = 2;

let upgraded: StoreFixture | undefined;
let dataDir: string | undefined;
afterAll(async () => {
  await upgraded?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('a store.db from before object tags (migration 0003)', () => {
  it('gives existing objects and uploads an empty tag set that can then be written', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'coffer-pre-0003-'));
    const old = openDatabase(join(dataDir, STORE_DB_FILE), { migrations: storeMigrations.slice(0, SCHEMA_BEFORE_TAGS) });
    expect(old.pragma('user_version', { simple: true })).toBe(SCHEMA_BEFORE_TAGS);
    old.prepare('INSERT INTO buckets (name, created_at, encryption) VALUES (?, ?, NULL)').run('older-bucket', Date.now());
    // Rows only: GetObjectTagging and the upload listing read metadata, never blobs or keys.
    old.prepare(
      `INSERT INTO objects (bucket, key, size, etag, last_modified, upload_id, parts_count, content_type, system_headers, user_metadata, encryption, checksum)
       VALUES ('older-bucket', 'older-object', 0, 'd41d8cd98f00b204e9800998ecf8427e', 1, '', 0, NULL, '{}', '{}', '{}', NULL)`,
    ).run();
    old.prepare(
      `INSERT INTO uploads (upload_id, bucket, key, initiated, content_type, system_headers, user_metadata, encryption, checksum_algorithm)
       VALUES ('older-upload', 'older-bucket', 'in-flight', 1, NULL, '{}', '{}', '{}', NULL)`,
    ).run();
    old.close();

    upgraded = await startStoreFixture({ dataDir });
    const db = upgraded.store.services.db;
    expect(db.pragma('user_version', { simple: true })).toBe(3);
    expect(db.prepare("SELECT tags FROM uploads WHERE upload_id = 'older-upload'").pluck().get()).toBe('[]');
    const s3 = onceClient(upgraded, true);
    const tagsOf = async (): Promise<unknown> => (await s3.send(new GetObjectTaggingCommand({ Bucket: 'older-bucket', Key: 'older-object' }))).TagSet;
    expect(await tagsOf()).toEqual([]);
    await s3.send(new PutObjectTaggingCommand({ Bucket: 'older-bucket', Key: 'older-object', Tagging: { TagSet: [{ Key: 'after', Value: 'upgrade' }] } }));
    expect(await tagsOf()).toEqual([{ Key: 'after', Value: 'upgrade' }]);
    const uploads = await s3.send(new ListMultipartUploadsCommand({ Bucket: 'older-bucket' }));
    expect(uploads.Uploads?.map((u) => [u.Key, u.UploadId])).toEqual([['in-flight', 'older-upload']]);
  });
});
