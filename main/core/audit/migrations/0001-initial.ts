// The access history's first schema: hash-chained events, signed digests and checkpoints, the log's settings.
import type { Migration } from '../../db/migrate.js';

export const initialAuditSchema: Migration = {
  version: 1,
  name: '0001-initial',
  up(db) {
    db.exec(`
      -- One row per event, in chain order. seq is the rowid, so every index below ends in seq
      -- and "WHERE col = ? ORDER BY seq DESC LIMIT n" walks one index without sorting.
      CREATE TABLE events (
        seq INTEGER PRIMARY KEY,
        time INTEGER NOT NULL,          -- event time, milliseconds since the Unix epoch
        category TEXT NOT NULL,
        operation TEXT NOT NULL,
        outcome TEXT NOT NULL,
        request_id TEXT,
        principal TEXT,
        source_ip TEXT,
        bucket TEXT,
        object_key TEXT,
        sse_mode TEXT,
        key_id TEXT,
        key_version TEXT,
        http_status INTEGER,
        error_code TEXT,
        event_json TEXT NOT NULL,       -- the canonical JSON the hash covers; the columns above are copies of its fields
        prev_hash BLOB NOT NULL,        -- 32 bytes: the previous event's hash (or the genesis / checkpoint hash)
        hash BLOB NOT NULL              -- 32 bytes: SHA-256(prev_hash || event_json || seq as u64 big-endian)
      );
      CREATE INDEX events_time ON events (time);
      CREATE INDEX events_category ON events (category);
      CREATE INDEX events_operation ON events (operation);
      CREATE INDEX events_outcome ON events (outcome);
      -- Partial indexes: admin and KMS events often lack these fields, and "col = ?" implies NOT NULL.
      CREATE INDEX events_bucket ON events (bucket) WHERE bucket IS NOT NULL;
      CREATE INDEX events_bucket_key ON events (bucket, object_key) WHERE bucket IS NOT NULL;
      CREATE INDEX events_principal ON events (principal) WHERE principal IS NOT NULL;
      CREATE INDEX events_key_id ON events (key_id) WHERE key_id IS NOT NULL;
      CREATE INDEX events_request_id ON events (request_id) WHERE request_id IS NOT NULL;
      CREATE INDEX events_source_ip ON events (source_ip) WHERE source_ip IS NOT NULL;
      CREATE INDEX events_error_code ON events (error_code) WHERE error_code IS NOT NULL;

      -- Signed statements "the chain from first_seq to last_seq ends in last_hash", one at every
      -- multiple of the digest interval and one when a writer closes; together they tile the chain.
      CREATE TABLE digests (
        last_seq INTEGER PRIMARY KEY,
        first_seq INTEGER NOT NULL,
        last_hash BLOB NOT NULL,
        created_at INTEGER NOT NULL,
        mac BLOB NOT NULL               -- HMAC-SHA256 under the digest key, see AUDIT-LOG.md
      );

      -- Written by prune: the chain now starts after seq, from hash. Only the newest one matters.
      CREATE TABLE checkpoints (
        seq INTEGER PRIMARY KEY,
        hash BLOB NOT NULL,
        pruned_before INTEGER NOT NULL, -- the cutoff time prune was given, milliseconds since the epoch
        created_at INTEGER NOT NULL,
        mac BLOB NOT NULL
      );

      -- One row, written by the first writer: format, log id (digest key context), digest interval.
      CREATE TABLE settings (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        json TEXT NOT NULL,
        mac BLOB NOT NULL
      );

      -- Append-only by construction: no code path updates these rows. Someone with the file can drop
      -- the triggers, which is why the chain and the signed digests exist; these catch mistakes.
      CREATE TRIGGER events_append_only BEFORE UPDATE ON events
        BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
      CREATE TRIGGER digests_append_only BEFORE UPDATE ON digests
        BEGIN SELECT RAISE(ABORT, 'audit digests are append-only'); END;
      CREATE TRIGGER checkpoints_append_only BEFORE UPDATE ON checkpoints
        BEGIN SELECT RAISE(ABORT, 'audit checkpoints are append-only'); END;
      CREATE TRIGGER settings_append_only BEFORE UPDATE ON settings
        BEGIN SELECT RAISE(ABORT, 'audit settings are written once'); END;
    `);
  },
};
