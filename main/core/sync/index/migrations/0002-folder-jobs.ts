// The local index's second schema step: long jobs on a folder's objects (re-key, mode change) and what each has finished.
import type { Migration } from '../../../db/migrate.js';

export const folderJobsSchema: Migration = {
  version: 2,
  name: '0002-folder-jobs',
  up(db) {
    db.exec(`
      -- One row per job under way on a folder; it outlives a crash or restart and goes when the job
      -- completes. detail holds the job's parameters as JSON: a run with other parameters starts over.
      CREATE TABLE folder_jobs (
        folder_id TEXT NOT NULL,
        job TEXT NOT NULL CHECK (job IN ('rekey', 'change-mode')),
        detail TEXT NOT NULL,
        started_at INTEGER NOT NULL,    -- milliseconds since the Unix epoch
        PRIMARY KEY (folder_id, job)
      ) WITHOUT ROWID;

      -- The objects (keys relative to the folder's prefix) a job has finished, so a resumed run skips them.
      CREATE TABLE job_progress (
        folder_id TEXT NOT NULL,
        job TEXT NOT NULL,
        object_key TEXT NOT NULL,
        PRIMARY KEY (folder_id, job, object_key),
        FOREIGN KEY (folder_id, job) REFERENCES folder_jobs (folder_id, job) ON DELETE CASCADE
      ) WITHOUT ROWID;
    `);
  },
};
