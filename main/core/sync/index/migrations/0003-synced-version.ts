// The local index's third schema step: the synced base also records the remote object's version id.
import type { Migration } from '../../../db/migrate.js';

export const syncedVersionSchema: Migration = {
  version: 3,
  name: '0003-synced-version',
  up(db) {
    // Nullable, and NULL for every existing row: buckets without versioning have no version id
    // (S3 sends none, or the literal "null", which is stored as NULL), and bases synced before this
    // step never recorded one. A version belongs to a base, so it goes with the other synced_* columns.
    db.exec(`
      ALTER TABLE files ADD COLUMN synced_version_id TEXT
        CHECK (synced_version_id IS NULL OR (synced_size IS NOT NULL AND synced_version_id NOT IN ('', 'null')));
    `);
  },
};
