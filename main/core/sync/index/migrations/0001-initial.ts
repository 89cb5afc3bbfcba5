// The local index's first schema: per-file scan and synced-base columns, upload checkpoints, folder state, conflicts.
import type { Migration } from '../../../db/migrate.js';

export const initialIndexSchema: Migration = {
  version: 1,
  name: '0001-initial',
  up(db) {
    db.exec(`
      -- One row per path that is on disk now (local_* set, from the last scan) or was synced before
      -- (synced_* set), or both. A row with neither is deleted, never kept. Times are milliseconds
      -- since the Unix epoch; mtimes are REAL because the file system gives sub-millisecond ones.
      CREATE TABLE files (
        folder_id TEXT NOT NULL,
        path TEXT NOT NULL,             -- as the file system spelled it (may be NFD)
        key TEXT NOT NULL,              -- NFC form of path: lookups and remote object keys
        local_size INTEGER,
        local_mtime_ms REAL,
        local_inode INTEGER,
        local_sha256 TEXT,              -- lower-case hex
        synced_size INTEGER,
        synced_sha256 TEXT,
        synced_etag TEXT,               -- quotes included, as listed
        synced_mtime_ms REAL,
        synced_at INTEGER,
        PRIMARY KEY (folder_id, path),
        CHECK ((local_size IS NULL) = (local_sha256 IS NULL)
           AND (local_size IS NULL) = (local_mtime_ms IS NULL)
           AND (local_size IS NULL) = (local_inode IS NULL)),
        CHECK ((synced_size IS NULL) = (synced_sha256 IS NULL)
           AND (synced_size IS NULL) = (synced_etag IS NULL)
           AND (synced_size IS NULL) = (synced_mtime_ms IS NULL)
           AND (synced_size IS NULL) = (synced_at IS NULL)),
        CHECK (local_size IS NOT NULL OR synced_size IS NOT NULL),
        CHECK (local_size IS NULL OR local_size >= 0),
        CHECK (synced_size IS NULL OR synced_size >= 0)
      ) WITHOUT ROWID;
      -- Not unique: two spellings of one name (NFC and NFD) can sit side by side on some disks,
      -- and the planner must see both to report the clash.
      CREATE INDEX files_key ON files (folder_id, key);

      -- A resumable multipart upload per object key (relative to the folder's remote prefix).
      CREATE TABLE upload_checkpoints (
        folder_id TEXT NOT NULL,
        key TEXT NOT NULL,
        upload_id TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        part_size INTEGER NOT NULL CHECK (part_size > 0),
        started_at INTEGER NOT NULL,
        PRIMARY KEY (folder_id, key)
      ) WITHOUT ROWID;

      -- Parts S3 acknowledged, one row each; they go with their checkpoint.
      CREATE TABLE upload_parts (
        folder_id TEXT NOT NULL,
        key TEXT NOT NULL,
        part_number INTEGER NOT NULL CHECK (part_number BETWEEN 1 AND 10000),
        etag TEXT NOT NULL,
        size INTEGER NOT NULL CHECK (size >= 0),
        PRIMARY KEY (folder_id, key, part_number),
        FOREIGN KEY (folder_id, key) REFERENCES upload_checkpoints (folder_id, key) ON DELETE CASCADE
      ) WITHOUT ROWID;

      -- What the UI shows per folder and what survives a restart (paused stays paused).
      CREATE TABLE folder_state (
        folder_id TEXT PRIMARY KEY,
        last_full_scan_at INTEGER,
        last_remote_listing_at INTEGER,
        last_sync_at INTEGER,
        last_error TEXT,                -- a message fit for the UI; never holds secrets
        last_error_at INTEGER,
        paused INTEGER NOT NULL DEFAULT 0 CHECK (paused IN (0, 1)),
        paused_reason TEXT
      ) WITHOUT ROWID;

      -- Conflicts the UI lists until the user resolves them.
      CREATE TABLE conflicts (
        id INTEGER PRIMARY KEY,
        folder_id TEXT NOT NULL,
        path TEXT NOT NULL,
        conflict_path TEXT,             -- where the local copy was moved; NULL when nothing was moved
        kind TEXT NOT NULL CHECK (kind IN ('both-changed', 'both-new', 'type-change', 'case-clash')),
        time INTEGER NOT NULL,
        resolved_at INTEGER
      );
      CREATE INDEX conflicts_open ON conflicts (folder_id, id) WHERE resolved_at IS NULL;
      CREATE INDEX conflicts_folder ON conflicts (folder_id, id);
    `);
  },
};
