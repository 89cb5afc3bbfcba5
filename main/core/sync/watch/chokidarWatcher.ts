// The only module that imports chokidar: watches one synced folder and hands raw, folder-relative events to the engine in batches.
import { relative, resolve, sep } from 'node:path';
import { watch, type ChokidarOptions, type FSWatcher } from 'chokidar';
import { isInternalPath } from '../scan/internalNames.js';
import type { IgnoreRule } from '../scan/scanTypes.js';
import { WatcherError, type RawWatchEvent, type RawWatchEventType, type WatchMode } from './watchEvents.js';
import { errorCodeOf, nextRecoveryStep, pollingReason } from './watchRecovery.js';

export interface WatcherOptions {
  /** The scanner's rule; checked again on every event, so a directory-only rule works for removals too. */
  readonly ignore?: IgnoreRule;
  /** Events of one event-loop turn, in arrival order. Never called after close(). */
  readonly onEvents: (events: RawWatchEvent[]) => void;
  readonly onError: (error: WatcherError) => void;
  /** The watcher switched modes (so far only native → polling); events may have been missed, a full scan is due. */
  readonly onModeChange: (mode: WatchMode, reason: string) => void;
  /** Start in polling mode (network drives, tests). */
  readonly forcePolling?: boolean;
  /** Milliseconds between polls (default 1000). */
  readonly pollIntervalMs?: number;
  /** Restarts allowed after errors other than the watch limit, over the watcher's life (default 5). */
  readonly maxRestarts?: number;
}

export interface FolderWatcher {
  readonly mode: WatchMode;
  /**
   * Settles once the current watch is set up (in polling mode, one interval later, when the
   * first poll has its baseline) or the watcher closed; changes before it may go unseen, so the
   * engine scans after it.
   */
  readonly ready: Promise<void>;
  /** Stops watching; idempotent. */
  close(): Promise<void>;
}

const DEFAULT_POLL_INTERVAL_MS = 1000;
const DEFAULT_MAX_RESTARTS = 5;
const EVENT_TYPES = new Set<string>(['add', 'change', 'unlink', 'addDir', 'unlinkDir']);

/**
 * Watches `root` (absolute) recursively without following symbolic links. Initial files are not
 * reported (the engine scans first). When the OS watch limit is hit (ENOSPC, EMFILE, ENFILE) it
 * switches to polling and calls onModeChange with a sentence for the user. Other errors restart
 * it up to `maxRestarts` times (onError with willRestart true), then it stops (willRestart false).
 * If the root itself is removed it stops and reports a WatcherError with code 'ENOENT'.
 */
export function startWatcher(root: string, options: WatcherOptions): FolderWatcher {
  return new ChokidarFolderWatcher(root, options);
}

class ChokidarFolderWatcher implements FolderWatcher {
  mode: WatchMode;
  ready: Promise<void>;
  private current: FSWatcher | undefined;
  /** Bumped on every (re)start and on close: callbacks of an older chokidar instance are ignored. */
  private generation = 0;
  private restarts = 0;
  private closed = false;
  private settleReady: () => void = () => {};
  private pending: RawWatchEvent[] = [];
  private flushQueued = false;

  private readonly root: string;

  constructor(
    root: string,
    private readonly options: WatcherOptions,
  ) {
    this.root = resolve(root);
    this.mode = options.forcePolling ? 'polling' : 'native';
    this.ready = this.start();
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.stopCurrent();
  }

  private get pollIntervalMs(): number {
    return this.options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
  }

  private start(): Promise<void> {
    const generation = ++this.generation;
    const polling = this.mode === 'polling';
    const config: ChokidarOptions = {
      ignoreInitial: true,
      followSymlinks: false,
      // Debouncing and write-settling belong to the engine's aggregator, which sees every event.
      atomic: false,
      awaitWriteFinish: false,
      // Unreadable directories are the scanner's to report; here they would only cause restarts.
      ignorePermissionErrors: true,
      usePolling: polling,
      interval: this.pollIntervalMs,
      binaryInterval: this.pollIntervalMs,
      ignored: (absolute: string, stats?: { isDirectory(): boolean }) => this.isIgnored(absolute, stats),
    };
    const watcher = watch(this.root, config);
    this.current = watcher;
    let settle: () => void = () => {};
    const ready = new Promise<void>((resolve) => {
      settle = resolve;
    });
    this.settleReady = settle;
    watcher.on('ready', () => {
      // A poller's first stat is its baseline, taken after chokidar says ready: a change before it
      // would be folded into the baseline unseen, so polling counts as ready one interval later.
      if (polling) setTimeout(settle, this.pollIntervalMs).unref();
      else settle();
    });
    watcher.on('all', (type, path) => {
      if (generation === this.generation) this.accept(type, path);
    });
    watcher.on('error', (error) => {
      if (generation === this.generation) void this.recover(error);
    });
    return ready;
  }

  /** Called without stats for some checks (removals): ignore only what the rule ignores either way; events are checked again. */
  private isIgnored(absolute: string, stats?: { isDirectory(): boolean }): boolean {
    const path = this.relativePath(absolute);
    if (path === '') return false;
    if (isInternalPath(path)) return true;
    const ignore = this.options.ignore;
    if (ignore === undefined) return false;
    return stats === undefined ? ignore(path, false) && ignore(path, true) : ignore(path, stats.isDirectory());
  }

  private accept(type: string, absolute: string): void {
    if (!EVENT_TYPES.has(type)) return;
    const path = this.relativePath(absolute);
    if (path === '') {
      if (type === 'unlinkDir') void this.fail(new WatcherError('the synced folder was removed', 'ENOENT', false));
      return;
    }
    const eventType = type as RawWatchEventType;
    if (isInternalPath(path) || this.options.ignore?.(path, eventType.endsWith('Dir'))) return;
    this.pending.push({ type: eventType, path });
    if (!this.flushQueued) {
      this.flushQueued = true;
      setImmediate(() => this.flush());
    }
  }

  /** chokidar reports absolute paths in the platform's form; the engine wants '/'-separated relative ones. */
  private relativePath(absolute: string): string {
    return relative(this.root, absolute).split(sep).join('/');
  }

  private flush(): void {
    this.flushQueued = false;
    const batch = this.pending;
    this.pending = [];
    if (!this.closed && batch.length > 0) this.options.onEvents(batch);
  }

  private async recover(error: unknown): Promise<void> {
    const code = errorCodeOf(error);
    const limit = this.options.maxRestarts ?? DEFAULT_MAX_RESTARTS;
    const step = nextRecoveryStep(this.mode, error, this.restarts, limit);
    if (step === 'stop') {
      await this.fail(new WatcherError(`watching stopped after ${limit} restarts (${code ?? 'unknown error'})`, code, false, { cause: error }));
      return;
    }
    await this.stopCurrent();
    if (this.closed) return;
    if (step === 'switch-to-polling') {
      this.mode = 'polling';
      this.ready = this.start();
      this.options.onModeChange('polling', pollingReason(error, this.pollIntervalMs));
      return;
    }
    this.restarts += 1;
    this.ready = this.start();
    this.options.onError(new WatcherError(`watching failed (${code ?? 'unknown error'}); restarted (${this.restarts} of ${limit})`, code, true, { cause: error }));
  }

  /** Stops for good and reports why (events already received are still delivered first). */
  private async fail(error: WatcherError): Promise<void> {
    this.flush();
    this.closed = true;
    await this.stopCurrent();
    this.options.onError(error);
  }

  private async stopCurrent(): Promise<void> {
    this.generation += 1;
    this.settleReady();
    const watcher = this.current;
    this.current = undefined;
    await watcher?.close();
  }
}
