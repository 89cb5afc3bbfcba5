// Group commit: metadata changes that arrive together share one SQLite transaction and one fsync.
import { promises as fsp } from 'node:fs';
import type { SqliteDatabase } from '../../db/openDatabase.js';

interface PendingCommit {
  work: () => unknown;
  syncDirs: readonly string[];
  resolve: (value: unknown) => void;
  reject: (reason: unknown) => void;
}

/**
 * Each change runs inside its own savepoint of a shared transaction, so one change failing (say,
 * its bucket was deleted meanwhile) rolls back only itself. Before the transaction, the directories
 * of new blob files are fsynced once per batch, so a committed row never names a file whose
 * directory entry could vanish in a power cut.
 */
export class CommitQueue {
  private queue: PendingCommit[] = [];
  private running = false;

  constructor(private readonly db: SqliteDatabase) {}

  submit<T>(work: () => T, syncDirs: readonly string[] = []): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, syncDirs, resolve: resolve as (v: unknown) => void, reject });
      if (!this.running) {
        this.running = true;
        setImmediate(() => void this.drain());
      }
    });
  }

  /** Resolves when everything submitted so far is committed (used by shutdown). */
  async idle(): Promise<void> {
    while (this.running) await new Promise((r) => setTimeout(r, 5));
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue;
      this.queue = [];
      try {
        await syncDirectories(batch);
      } catch (err) {
        for (const item of batch) item.reject(err);
        continue;
      }
      const outcomes = this.runBatch(batch);
      batch.forEach((item, i) => {
        const outcome = outcomes[i]!;
        if (outcome.ok) item.resolve(outcome.value);
        else item.reject(outcome.error);
      });
      // Let requests that finished while this batch ran reach the queue before the next one.
      await new Promise((r) => setImmediate(r));
    }
    this.running = false;
  }

  private runBatch(batch: PendingCommit[]): ({ ok: true; value: unknown } | { ok: false; error: unknown })[] {
    try {
      return this.db.transaction(() =>
        batch.map((item) => {
          try {
            return { ok: true as const, value: this.db.transaction(item.work)() };
          } catch (error) {
            return { ok: false as const, error };
          }
        }),
      ).immediate();
    } catch (error) {
      return batch.map(() => ({ ok: false as const, error }));
    }
  }
}

async function syncDirectories(batch: PendingCommit[]): Promise<void> {
  const dirs = new Set(batch.flatMap((item) => item.syncDirs));
  await Promise.all(
    [...dirs].map(async (dir) => {
      const handle = await fsp.open(dir, 'r');
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
    }),
  );
}
