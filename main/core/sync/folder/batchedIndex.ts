// Groups a cycle's index writes into a few transactions: one commit (and fsync) per file would cost more than the upload.
import type { LocalIndex } from '../index/localIndex.js';
import type { BaseFile, ConflictKind, LocalFile, RelativePath } from '../syncTypes.js';
import type { SyncIndex } from './syncContext.js';

/** Writes waiting at most this long (or this many) go to disk together. */
const FLUSH_DELAY_MS = 100;
const FLUSH_COUNT = 256;

/**
 * A write that is lost to a crash before its flush is harmless: the next cycle finds the file
 * on both sides without a base, compares the stored SHA-256 with the local one and records the
 * base then (a HEAD, no transfer). Conflicts are written at once: the user must see them.
 */
export class BatchedSyncIndex implements SyncIndex {
  private pending: (() => void)[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly index: LocalIndex) {}

  upsertLocal(folderId: string, file: LocalFile): void {
    this.queue(() => this.index.upsertLocal(folderId, file));
  }

  removeLocal(folderId: string, path: RelativePath): void {
    this.queue(() => this.index.removeLocal(folderId, path));
  }

  setBase(folderId: string, base: BaseFile): void {
    this.queue(() => this.index.setBase(folderId, base));
  }

  removeBase(folderId: string, path: RelativePath): void {
    this.queue(() => this.index.removeBase(folderId, path));
  }

  addConflict(folderId: string, conflict: { path: RelativePath; conflictPath: RelativePath; kind: ConflictKind; time: number }): number {
    this.flush();
    return this.index.addConflict(folderId, conflict);
  }

  /** Commits everything queued, in order, in one transaction. */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.length === 0) return;
    const writes = this.pending;
    this.pending = [];
    this.index.transaction(() => {
      for (const write of writes) write();
    });
  }

  private queue(write: () => void): void {
    this.pending.push(write);
    if (this.pending.length >= FLUSH_COUNT) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), FLUSH_DELAY_MS);
  }
}
