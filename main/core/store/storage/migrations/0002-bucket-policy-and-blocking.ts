// Buckets gain a policy and blocked encryption types (S3-SSE.md 7.4, 7.5).
import type { Migration } from '../../../db/migrate.js';

export const bucketPolicyAndBlocking: Migration = {
  version: 2,
  name: '0002-bucket-policy-and-blocking',
  up(db) {
    db.exec(`
      -- The bucket policy as the owner sent it (validated JSON); NULL = no policy.
      ALTER TABLE buckets ADD COLUMN policy TEXT;
      -- JSON array of blocked encryption types, e.g. ["SSE-C"]; kept apart from the default rule
      -- because DeleteBucketEncryption resets the rule but not the block.
      ALTER TABLE buckets ADD COLUMN blocked_encryption_types TEXT NOT NULL DEFAULT '[]';
    `);
  },
};
