// The store's bucket records between requests: another connection's commit, the store's own writes and a rolled-back write are all seen at once.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORE_DB_FILE } from '../../main/core/store/storeServices.js';
import { startStoreFixture, type StoreFixture } from '../support/storeFixture.js';

let f: StoreFixture;

beforeAll(async () => {
  f = await startStoreFixture();
});
afterAll(async () => f?.close());

describe('bucket records', () => {
  it("follow a commit made by another connection to the store's file (the CLI beside a running store)", () => {
    const meta = f.store.services.meta;
    meta.insertBucket('cli-edited', new Date());
    expect(meta.getBucket('cli-edited')?.policy).toBeNull();
    const other = new Database(join(f.dataDir, STORE_DB_FILE));
    try {
      other.prepare('UPDATE buckets SET policy = ? WHERE name = ?').run('{"Version":"2012-10-17","Statement":[]}', 'cli-edited');
    } finally {
      other.close();
    }
    expect(meta.getBucket('cli-edited')?.policy).toBe('{"Version":"2012-10-17","Statement":[]}');
  });

  it("follow the store's own writes, and forget a bucket whose creation was rolled back", () => {
    const { meta, db } = f.store.services;
    expect(meta.getBucket('ghost')).toBeUndefined();
    expect(() =>
      db.transaction(() => {
        meta.insertBucket('ghost', new Date());
        expect(meta.getBucket('ghost')?.name).toBe('ghost');
        throw new Error('roll back');
      })(),
    ).toThrow('roll back');
    expect(meta.getBucket('ghost')).toBeUndefined();
    meta.insertBucket('kept', new Date());
    meta.setBucketEncryption('kept', '{"rule":"x"}');
    expect(meta.getBucket('kept')?.encryption).toBe('{"rule":"x"}');
    meta.deleteBucket('kept');
    expect(meta.getBucket('kept')).toBeUndefined();
  });

  it('are frozen, so no caller can change what the next request reads', () => {
    const { meta } = f.store.services;
    meta.insertBucket('frozen', new Date());
    const record = meta.getBucket('frozen')!;
    expect(Object.isFrozen(record) && Object.isFrozen(record.blockedEncryptionTypes)).toBe(true);
  });
});
