import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { runMigrations } from '../../../../main/core/db/migrate.js';
import { storeMigrations } from '../../../../main/core/store/storage/migrations/index.js';

describe('store migration 0001', () => {
  it('creates the store tables from an empty file', () => {
    const db = new Database(':memory:');
    runMigrations(db, storeMigrations.slice(0, 1), 'store');
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();
    expect(tables).toEqual(['buckets', 'inline_blobs', 'master_keys', 'object_streams', 'objects', 'upload_parts', 'uploads']);
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    db.close();
  });

  it('orders object keys by UTF-8 bytes, as S3 lists them', () => {
    const db = new Database(':memory:');
    runMigrations(db, storeMigrations.slice(0, 1), 'store');
    const insert = db.prepare(
      "INSERT INTO objects VALUES ('b', ?, 0, 'e', 0, '', 0, NULL, '{}', '{}', '{}', NULL)",
    );
    // U+FF5E sorts after U+00E9 in UTF-8 bytes and in code points, but 'Z' < 'a' < 'é'.
    for (const key of ['é', 'a', 'Z', '～', '\u{1F600}']) insert.run(key);
    expect(db.prepare('SELECT key FROM objects ORDER BY key').pluck().all()).toEqual(['Z', 'a', 'é', '～', '\u{1F600}']);
    db.close();
  });
});
