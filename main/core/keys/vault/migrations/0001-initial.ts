// The vault's first schema: the unlock record, master key versions, per-file keys, credentials and folder settings.
import type { Migration } from '../../../db/migrate.js';

export const initialVaultSchema: Migration = {
  version: 1,
  name: '0001-initial',
  up(db) {
    db.exec(`
      -- Exactly one row: the recovery secret sealed under the passphrase's scrypt key, the scrypt
      -- cost and salt, and a one-way check of the secret (so a wrong recovery key is told apart
      -- from a damaged vault). Times are milliseconds since the epoch.
      CREATE TABLE vault_unlock (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        kdf TEXT NOT NULL CHECK (kdf = 'scrypt'),
        kdf_n INTEGER NOT NULL CHECK (kdf_n >= 2),
        kdf_r INTEGER NOT NULL CHECK (kdf_r >= 1),
        kdf_p INTEGER NOT NULL CHECK (kdf_p >= 1),
        kdf_salt BLOB NOT NULL,
        sealed_secret BLOB NOT NULL,
        secret_check BLOB NOT NULL CHECK (length(secret_check) = 32),
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );

      -- Master key versions, sealed under a key derived from the recovery secret. Ids are random
      -- so that keyrings of devices that rotated independently merge by union; the newest by
      -- (created_at, id) is current.
      CREATE TABLE master_keys (
        id TEXT PRIMARY KEY CHECK (length(id) = 16),
        created_at INTEGER NOT NULL,
        sealed BLOB NOT NULL
      ) WITHOUT ROWID;
      CREATE INDEX master_keys_by_age ON master_keys (created_at, id);

      -- One SSE-C key per synced object, sealed under the master key version it names. A version
      -- in use cannot be deleted.
      CREATE TABLE file_keys (
        folder_id TEXT NOT NULL,
        object_key TEXT NOT NULL,
        key_id TEXT NOT NULL CHECK (length(key_id) = 16),
        master_key_id TEXT NOT NULL REFERENCES master_keys (id),
        created_at INTEGER NOT NULL,
        sealed BLOB NOT NULL,
        PRIMARY KEY (folder_id, object_key)
      ) WITHOUT ROWID;
      CREATE INDEX file_keys_by_age ON file_keys (created_at);
      CREATE INDEX file_keys_by_master_key ON file_keys (master_key_id);

      -- Remote store access keys, sealed whole (access key id and secret) under a derived key.
      CREATE TABLE credentials (
        id TEXT PRIMARY KEY,
        sealed BLOB NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) WITHOUT ROWID;

      -- Synced folders. The settings document belongs to the sync engine; the vault only keeps it.
      CREATE TABLE folders (
        id TEXT PRIMARY KEY,
        local_path TEXT NOT NULL UNIQUE,
        settings TEXT NOT NULL CHECK (json_valid(settings)),
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) WITHOUT ROWID;
    `);
  },
};
