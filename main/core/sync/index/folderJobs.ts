// Bookkeeping of long jobs on a folder's objects: when each began, with which parameters, and which objects are done.
import type { StatementCache } from './statementCache.js';

/** rekey: new per-file keys (sse-c-vault); change-mode: re-encryption into another mode. */
export type FolderJobKind = 'rekey' | 'change-mode';

export interface JobStart {
  /** Milliseconds since the Unix epoch when the job first began (kept across resumed runs). */
  readonly startedAt: number;
  /** True when a run with the same parameters was under way and this one carries it on. */
  readonly resumed: boolean;
}

export class FolderJobs {
  constructor(
    private readonly statements: StatementCache,
    private readonly now: () => number,
  ) {}

  /**
   * Begins a job, or resumes the one under way when its `detail` (the parameters, as text) is the
   * same. A different detail replaces it and forgets its finished objects: they were finished
   * toward another goal. A new job is stamped `at` (default: the index's clock).
   */
  begin(folderId: string, job: FolderJobKind, detail: string, at: number = this.now()): JobStart {
    return this.statements.db.transaction((): JobStart => {
      const row = this.statements.get('SELECT detail, started_at AS startedAt FROM folder_jobs WHERE folder_id = ? AND job = ?').get(folderId, job) as
        | { detail: string; startedAt: number }
        | undefined;
      if (row?.detail === detail) return { startedAt: row.startedAt, resumed: true };
      // Deleting the row takes its progress rows with it (ON DELETE CASCADE).
      this.statements.get('DELETE FROM folder_jobs WHERE folder_id = ? AND job = ?').run(folderId, job);
      const startedAt = at;
      this.statements.get('INSERT INTO folder_jobs (folder_id, job, detail, started_at) VALUES (?, ?, ?, ?)').run(folderId, job, detail, startedAt);
      return { startedAt, resumed: false };
    })();
  }

  /** The parameters of the job under way, or undefined when none is. */
  detail(folderId: string, job: FolderJobKind): string | undefined {
    return this.statements.get('SELECT detail FROM folder_jobs WHERE folder_id = ? AND job = ?').pluck().get(folderId, job) as string | undefined;
  }

  /** Object keys the job has finished. */
  finished(folderId: string, job: FolderJobKind): Set<string> {
    const keys = this.statements.get('SELECT object_key FROM job_progress WHERE folder_id = ? AND job = ?').pluck().all(folderId, job) as string[];
    return new Set(keys);
  }

  /** Records one finished object; a repeat is a no-op. Throws SqliteError (FOREIGN KEY) when the job was not begun. */
  markFinished(folderId: string, job: FolderJobKind, objectKey: string): void {
    this.statements.get('INSERT OR IGNORE INTO job_progress (folder_id, job, object_key) VALUES (?, ?, ?)').run(folderId, job, objectKey);
  }

  /** The job is complete (or abandoned): its row and every progress row go. A job not under way is a no-op. */
  end(folderId: string, job: FolderJobKind): void {
    this.statements.get('DELETE FROM folder_jobs WHERE folder_id = ? AND job = ?').run(folderId, job);
  }
}
