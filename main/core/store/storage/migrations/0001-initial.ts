// The store's first schema: buckets, objects and their encrypted streams, multipart uploads, the SSE-S3 keyring.
import type { Migration } from '../../../db/migrate.js';

export const initialSchema: Migration = {
  version: 1,
  name: '0001-initial',
  up(db) {
    db.exec(`
      CREATE TABLE buckets (
        name TEXT PRIMARY KEY,
        created_at INTEGER NOT NULL,
        -- JSON of the configured default-encryption rule; NULL = never configured (SSE-S3 applies).
        encryption TEXT
      );

      -- One row per visible object. Keys sort in BINARY (UTF-8 byte) order, as S3 lists them.
      CREATE TABLE objects (
        bucket TEXT NOT NULL,
        key TEXT NOT NULL,
        size INTEGER NOT NULL,
        etag TEXT NOT NULL,
        last_modified INTEGER NOT NULL,
        upload_id TEXT NOT NULL,
        parts_count INTEGER NOT NULL,
        content_type TEXT,
        system_headers TEXT NOT NULL,
        user_metadata TEXT NOT NULL,
        encryption TEXT NOT NULL,
        checksum TEXT,
        PRIMARY KEY (bucket, key)
      ) WITHOUT ROWID;

      -- The encrypted streams an object is made of: one for a PUT, one per part for multipart.
      CREATE TABLE object_streams (
        bucket TEXT NOT NULL,
        key TEXT NOT NULL,
        seq INTEGER NOT NULL,
        part_number INTEGER NOT NULL,
        size INTEGER NOT NULL,
        blob_id TEXT NOT NULL,
        etag TEXT NOT NULL,
        checksum TEXT,
        PRIMARY KEY (bucket, key, seq)
      ) WITHOUT ROWID;
      CREATE INDEX object_streams_blob ON object_streams (blob_id);

      CREATE TABLE uploads (
        upload_id TEXT PRIMARY KEY,
        bucket TEXT NOT NULL,
        key TEXT NOT NULL,
        initiated INTEGER NOT NULL,
        content_type TEXT,
        system_headers TEXT NOT NULL,
        user_metadata TEXT NOT NULL,
        encryption TEXT NOT NULL,
        checksum_algorithm TEXT
      );
      CREATE INDEX uploads_by_key ON uploads (bucket, key, upload_id);

      CREATE TABLE upload_parts (
        upload_id TEXT NOT NULL,
        part_number INTEGER NOT NULL,
        size INTEGER NOT NULL,
        etag TEXT NOT NULL,
        blob_id TEXT NOT NULL,
        checksum TEXT,
        last_modified INTEGER NOT NULL,
        PRIMARY KEY (upload_id, part_number)
      ) WITHOUT ROWID;
      CREATE INDEX upload_parts_blob ON upload_parts (blob_id);

      -- Ciphertext of small streams, committed in the same transaction as the row that names it:
      -- one WAL fsync makes a whole batch of small PUTs durable.
      CREATE TABLE inline_blobs (
        blob_id TEXT PRIMARY KEY,
        data BLOB NOT NULL
      );

      -- SSE-S3 master key versions, each sealed by the store root key.
      CREATE TABLE master_keys (
        version INTEGER PRIMARY KEY,
        created_at INTEGER NOT NULL,
        sealed BLOB NOT NULL
      );
    `);
  },
};
