// The scanner's options, results and the narrow slice of the local index it reads and writes.
import type { LocalEntry } from '../index/localIndex.js';
import type { LocalFile, RelativePath } from '../syncTypes.js';

/** The part of LocalIndex a scan uses; LocalIndex implements it. */
export interface ScanIndex {
  localEntries(folderId: string): Map<RelativePath, LocalEntry>;
  localEntriesUnder(folderId: string, dir: RelativePath): Map<RelativePath, LocalEntry>;
  localEntry(folderId: string, path: RelativePath): LocalEntry | undefined;
  upsertLocal(folderId: string, file: LocalFile): void;
  removeLocal(folderId: string, path: RelativePath): void;
  transaction<T>(work: () => T): T;
}

/** True to leave a path out of the folder; `isDir` tells a directory (whose whole subtree goes) from a file. */
export type IgnoreRule = (path: RelativePath, isDir: boolean) => boolean;

export interface ScanProgress {
  /** Regular files found so far (stat'ed, whether hashed or not). */
  readonly filesSeen: number;
  readonly filesHashed: number;
  /** Monotonic; grows while a large file is being hashed, not only when it finishes. */
  readonly bytesHashed: number;
}

export interface ScanOptions {
  readonly index: ScanIndex;
  readonly folderId: string;
  readonly ignore?: IgnoreRule;
  /** Called often (every chunk hashed, every few hundred files); keep it cheap. */
  readonly onProgress?: (progress: ScanProgress) => void;
  /** Aborting rejects with the signal's reason; hashes finished so far are still recorded, deletions are not. */
  readonly signal?: AbortSignal;
  /** Files hashed at once (default 2): hashing is disk-bound, more mostly adds seeks. */
  readonly hashConcurrency?: number;
  /** Files stat'ed at once (default 16). */
  readonly statConcurrency?: number;
}

/** A path that could not be read; `code` is the Node error code (e.g. 'EACCES'). */
export interface ScanError {
  readonly path: RelativePath;
  readonly code: string;
}

/** Something on disk the engine does not sync: symbolic links (never followed) and sockets, FIFOs, devices. */
export interface SkippedEntry {
  readonly path: RelativePath;
  readonly reason: 'symlink' | 'special';
}

export interface ScanResult {
  /**
   * The folder's files now, in path order. A path that could not be read this time (an error,
   * an unreadable directory, or a file still being written) appears as the last scan saw it, so
   * a transient failure never reads as a deletion; new such paths are simply absent.
   */
  readonly files: LocalFile[];
  /** Files whose content was read this scan (new, or size/mtime/inode changed). */
  readonly hashed: number;
  readonly bytesHashed: number;
  /** The root is missing or not a directory: nothing was read and the index was not touched. */
  readonly rootMissing: boolean;
  readonly errors: ScanError[];
  readonly skipped: SkippedEntry[];
  /** Files that changed while being hashed: not recorded; scan them again later. */
  readonly unstable: RelativePath[];
  /** Paths the index held that are gone (or now ignored); their scan columns were cleared. */
  readonly vanished: RelativePath[];
}
