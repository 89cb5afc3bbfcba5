// Objects and multipart uploads gain their tag sets (PutObjectTagging, x-amz-tagging).
import type { Migration } from '../../../db/migrate.js';

export const objectTags: Migration = {
  version: 3,
  name: '0003-object-tags',
  up(db) {
    db.exec(`
      -- JSON array of {"key","value"} in key order; '[]' = no tags. Kept in the object's row so an
      -- overwrite or a delete takes the tags with it, in the same transaction step.
      ALTER TABLE objects ADD COLUMN tags TEXT NOT NULL DEFAULT '[]';
      -- The tags given at CreateMultipartUpload, handed to the object on completion.
      ALTER TABLE uploads ADD COLUMN tags TEXT NOT NULL DEFAULT '[]';
    `);
  },
};
