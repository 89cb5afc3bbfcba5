// One scan's working state: examines files in bounded parallel, batches index writes, and settles what vanished.
import type { Stats } from 'node:fs';
import { join } from 'node:path';
import type { LocalEntry } from '../index/localIndex.js';
import type { LocalFile, RelativePath } from '../syncTypes.js';
import { forEachConcurrently } from './forEachConcurrently.js';
import { CallingThreadBudget } from './callingThreadBudget.js';
import { hashPath, hashPathSync, statPath, statPathSync, type HashOutcome, type StatOutcome } from './examineFile.js';
import { statWhileFast } from './statWhileFast.js';
import { walkTree } from './walkTree.js';
import type { ScanError, ScanOptions, ScanResult, SkippedEntry } from './scanTypes.js';

const DEFAULT_HASH_CONCURRENCY = 2;
/** Files up to this size are hashed on the calling thread while that stays fast (see CallingThreadBudget). */
const CALLING_THREAD_HASH_MAX_BYTES = 256 * 1024;
const DEFAULT_STAT_CONCURRENCY = 16;
/** Changed files written per index transaction (one fsync each). */
const WRITE_BATCH_FILES = 500;
/** Hashed bytes after which the pending rows are written anyway, so a crash loses little hashing work. */
const WRITE_BATCH_BYTES = 64 * 1024 * 1024;
/** Files found between two progress reports while listing and stat'ing. */
const PROGRESS_EVERY_FILES = 256;

export class ScanSession {
  private readonly present = new Map<RelativePath, LocalFile>();
  /** Paths whose last-scan entry stands because this scan could not read them. */
  private readonly keptPaths = new Set<RelativePath>();
  private readonly keptDirs: RelativePath[] = [];
  private readonly errors: ScanError[] = [];
  private readonly skipped: SkippedEntry[] = [];
  private readonly unstable: RelativePath[] = [];
  private pendingWrites: LocalFile[] = [];
  private pendingBytes = 0;
  private filesSeen = 0;
  private filesHashed = 0;
  private bytesHashed = 0;

  constructor(
    private readonly root: string,
    private readonly options: ScanOptions,
  ) {}

  get statConcurrency(): number {
    return this.options.statConcurrency ?? DEFAULT_STAT_CONCURRENCY;
  }

  /** Lists the regular files under `dir` (folder-relative; '' is the root). */
  async walk(dir: RelativePath): Promise<RelativePath[]> {
    const walked = await walkTree(this.root, dir, {
      ignore: this.options.ignore,
      signal: this.options.signal,
      onFile: () => {
        this.filesSeen += 1;
        if (this.filesSeen % PROGRESS_EVERY_FILES === 0) this.report();
      },
    });
    this.skipped.push(...walked.skipped);
    for (const failure of walked.unreadableDirs) this.keep(failure.path, failure.code, true);
    return walked.files;
  }

  /** Counts files the caller named directly (walked ones are counted by `walk`). */
  countSeen(files: number): void {
    this.filesSeen += files;
  }

  skip(entry: SkippedEntry): void {
    this.skipped.push(entry);
  }

  /** Records an unreadable path; its last-scan entry (and, for a directory, everything under it) stands. */
  keep(path: RelativePath, code: string, subtree: boolean): void {
    this.errors.push({ path, code });
    this.keptPaths.add(path);
    if (subtree) this.keptDirs.push(path);
  }

  /** Stats every path, reuses stored hashes where size, mtime and inode match `priors`, hashes the rest. */
  async examine(paths: readonly RelativePath[], priors: ReadonlyMap<RelativePath, LocalEntry>): Promise<void> {
    const { signal } = this.options;
    const toHash: { path: RelativePath; stats: Stats }[] = [];
    const take = (path: RelativePath, outcome: StatOutcome): void => {
      if (outcome.kind === 'unchanged') this.present.set(path, outcome.file);
      else if (outcome.kind === 'needs-hash') toHash.push({ path, stats: outcome.stats });
      else if (outcome.kind === 'skipped') this.skipped.push({ path, reason: outcome.reason });
      else if (outcome.kind === 'error') this.keep(path, outcome.code, false);
      // 'gone' and 'dir' (replaced since the listing): absent now; the next scan sees the new shape.
    };
    const statted = await statWhileFast(paths, (path) => take(path, statPathSync(join(this.root, path), path, priors.get(path))), signal);
    await forEachConcurrently(paths.slice(statted), this.statConcurrency, async (path) => {
      take(path, await statPath(join(this.root, path), path, priors.get(path)));
    }, signal);
    // Path order: neighbours on disk are read together, and runs are repeatable.
    toHash.sort(byPath);
    const budget = new CallingThreadBudget();
    await forEachConcurrently(toHash, this.options.hashConcurrency ?? DEFAULT_HASH_CONCURRENCY, async ({ path, stats }) => {
      const absolute = join(this.root, path);
      const onBytes = (n: number): void => this.hashedBytes(n);
      const pooled = (): Promise<HashOutcome> => hashPath(absolute, path, stats, { signal, onBytes });
      const outcome = stats.size <= CALLING_THREAD_HASH_MAX_BYTES ? await budget.run(() => hashPathSync(absolute, path, stats, onBytes), pooled) : await pooled();
      if (outcome.kind === 'hashed') {
        this.filesHashed += 1;
        this.present.set(path, outcome.file);
        this.queueWrite(outcome.file);
      } else if (outcome.kind === 'unstable') {
        this.unstable.push(path);
        this.keptPaths.add(path);
      } else if (outcome.kind === 'error') {
        this.keep(path, outcome.code, false);
      }
    }, signal);
  }

  /**
   * Runs `work` (which returns the index entries the scan covered), then clears the entries
   * that vanished, all in one transaction with the last pending writes. On a throw (an abort),
   * the hashes finished so far are still written, but nothing is cleared.
   */
  async run(work: () => Promise<ReadonlyMap<RelativePath, LocalEntry>>): Promise<ScanResult> {
    let scope: ReadonlyMap<RelativePath, LocalEntry>;
    try {
      scope = await work();
    } catch (error) {
      try {
        this.flush();
      } catch {
        // The scan's own failure is the one worth reporting.
      }
      throw error;
    }
    const files = [...this.present.values()];
    const vanished: RelativePath[] = [];
    for (const [path, entry] of scope) {
      if (this.present.has(path)) continue;
      if (this.isKept(path)) files.push({ path, ...entry });
      else vanished.push(path);
    }
    const { index, folderId } = this.options;
    index.transaction(() => {
      this.flush();
      for (const path of vanished) index.removeLocal(folderId, path);
    });
    this.report();
    return {
      files: files.sort(byPath),
      hashed: this.filesHashed,
      bytesHashed: this.bytesHashed,
      rootMissing: false,
      errors: this.errors,
      skipped: this.skipped.sort(byPath),
      unstable: this.unstable.sort(),
      vanished: vanished.sort(),
    };
  }

  private isKept(path: RelativePath): boolean {
    return this.keptPaths.has(path) || this.keptDirs.some((dir) => dir === '' || path.startsWith(`${dir}/`));
  }

  private hashedBytes(n: number): void {
    this.bytesHashed += n;
    this.pendingBytes += n;
    this.report();
  }

  private queueWrite(file: LocalFile): void {
    this.pendingWrites.push(file);
    if (this.pendingWrites.length >= WRITE_BATCH_FILES || this.pendingBytes >= WRITE_BATCH_BYTES) this.flush();
  }

  private flush(): void {
    const batch = this.pendingWrites;
    this.pendingWrites = [];
    this.pendingBytes = 0;
    if (batch.length === 0) return;
    const { index, folderId } = this.options;
    index.transaction(() => {
      for (const file of batch) index.upsertLocal(folderId, file);
    });
  }

  private report(): void {
    this.options.onProgress?.({ filesSeen: this.filesSeen, filesHashed: this.filesHashed, bytesHashed: this.bytesHashed });
  }
}

function byPath(a: { path: string }, b: { path: string }): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}
