// What the file watcher reports to the engine: raw per-path events, its mode, and its failures (no chokidar types leak out).
import type { RelativePath } from '../syncTypes.js';

export type RawWatchEventType = 'add' | 'change' | 'unlink' | 'addDir' | 'unlinkDir';

/** One change as the watcher saw it; not debounced or merged (the aggregator does that). */
export interface RawWatchEvent {
  readonly type: RawWatchEventType;
  /** Folder-relative, '/'-separated, never '' (the root itself is reported through onError). */
  readonly path: RelativePath;
}

/** 'native': the OS notifies (inotify, FSEvents, ReadDirectoryChangesW). 'polling': stat every interval. */
export type WatchMode = 'native' | 'polling';

/**
 * A watcher failure. `willRestart` false means the watcher has stopped for good: the engine must
 * fall back to periodic full scans (or call startWatcher again once the cause is fixed). Either
 * way events may have been missed, so a full scan is due.
 */
export class WatcherError extends Error {
  constructor(
    message: string,
    /** The Node error code behind it ('ENOENT' when the folder root itself was removed). */
    readonly code: string | undefined,
    readonly willRestart: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'WatcherError';
  }
}
