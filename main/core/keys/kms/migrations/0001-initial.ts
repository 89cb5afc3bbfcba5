// The KMS database's first schema: the account id, keys with state and rotation settings, materials, aliases.
import type { Migration } from '../../../db/migrate.js';

export const initialKmsSchema: Migration = {
  version: 1,
  name: '0001-initial',
  up(db) {
    db.exec(`
      -- Facts fixed when the file is first opened, such as the store's 12-digit account id.
      CREATE TABLE kms_settings (
        name TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) WITHOUT ROWID;

      -- One row per customer master key, in any region. Times are milliseconds since the epoch.
      CREATE TABLE kms_keys (
        key_id TEXT PRIMARY KEY,
        region TEXT NOT NULL,
        description TEXT NOT NULL,
        key_manager TEXT NOT NULL CHECK (key_manager IN ('CUSTOMER', 'AWS')),
        created_at INTEGER NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('Enabled', 'Disabled', 'PendingDeletion')),
        -- Set exactly while the key is PendingDeletion: when the key goes, and the window asked for.
        deletion_at INTEGER,
        pending_window_days INTEGER,
        rotation_enabled INTEGER NOT NULL CHECK (rotation_enabled IN (0, 1)),
        -- Set while automatic rotation is enabled.
        rotation_period_days INTEGER,
        next_rotation_at INTEGER,
        CHECK ((state = 'PendingDeletion') = (deletion_at IS NOT NULL)),
        CHECK (rotation_enabled = 0 OR (rotation_period_days IS NOT NULL AND next_rotation_at IS NOT NULL))
      );
      CREATE INDEX kms_keys_by_region ON kms_keys (region, created_at);

      -- Backing key materials, oldest first; the highest seq is current. Every one is kept for the
      -- life of the key so that data keys made under it still decrypt. Sealed by the root key.
      CREATE TABLE kms_key_materials (
        key_id TEXT NOT NULL REFERENCES kms_keys (key_id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        material_id TEXT NOT NULL UNIQUE,
        created_at INTEGER NOT NULL,
        -- NULL for the material the key was created with; otherwise the rotation that made it.
        rotation_type TEXT CHECK (rotation_type IN ('AUTOMATIC', 'ON_DEMAND')),
        sealed BLOB NOT NULL,
        PRIMARY KEY (key_id, seq)
      ) WITHOUT ROWID;

      -- Alias names are unique per region, as in AWS; deleting a key deletes its aliases.
      CREATE TABLE kms_aliases (
        region TEXT NOT NULL,
        alias_name TEXT NOT NULL,
        key_id TEXT NOT NULL REFERENCES kms_keys (key_id) ON DELETE CASCADE,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (region, alias_name)
      ) WITHOUT ROWID;
      CREATE INDEX kms_aliases_by_key ON kms_aliases (key_id);
    `);
  },
};
