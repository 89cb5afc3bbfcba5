// Keeps one folder in sync over time: watcher -> coalesce -> aggregate -> cycle, a remote poll, daily trash pruning.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { EventAggregator } from '../aggregator.js';
import { coalesceEvents } from '../coalesce.js';
import { compileIgnoreRules, IGNORE_FILE_NAME } from '../ignoreRules.js';
import type { ObjectStore } from '../remote/objectStore.js';
import type { IgnoreRule } from '../scan/scanTypes.js';
import { startWatcher, type FolderWatcher } from '../watch/chokidarWatcher.js';
import { FolderSync, type FolderSyncOptions } from './folderSync.js';
import { META_PREFIX } from './remoteLayout.js';
import { pruneLocalTrash, pruneRemoteTrash } from './trashPruning.js';

const DAY_MS = 86_400_000;

export interface FolderWorkerOptions extends Omit<FolderSyncOptions, 'ignore'> {
  readonly store: ObjectStore;
  /** Seconds between listings of the store for other devices' changes (each also rescans locally). */
  readonly remotePollMs: number;
  readonly quietMs: number;
  readonly watch: boolean;
  /** Told about watcher trouble (mode changes, errors) for the log. */
  readonly onNotice?: (message: string) => void;
}

export class FolderWorker {
  readonly sync: FolderSync;
  private watcher: FolderWatcher | undefined;
  private aggregator: EventAggregator | undefined;
  private poll: NodeJS.Timeout | undefined;
  private pruning: NodeJS.Timeout | undefined;
  private rule: IgnoreRule = () => false;
  private ignoreText: string | undefined;
  watchMode: 'native' | 'polling' | 'off' = 'off';
  /** The watcher's own sentence for its last switch away from native watching. */
  watchReason: string | undefined;

  constructor(private readonly options: FolderWorkerOptions) {
    // The ignore file can change at any time: the rule is re-read before each cycle (it is small).
    this.sync = new FolderSync({ ...options, ignore: (path, isDir) => this.rule(path, isDir) });
  }

  /** Prepares the bucket, clears multipart uploads no checkpoint claims, starts watching and polling. */
  async start(): Promise<void> {
    await this.refreshIgnore();
    const { store } = this.options;
    await store.ensureBucket();
    await store.abortOrphanedUploads().catch((err: unknown) => this.options.onNotice?.(`could not clear abandoned uploads: ${(err as Error).message}`));
    if (this.options.watch) this.startWatching();
    this.poll = setInterval(() => void this.cycle(), this.options.remotePollMs);
    this.poll.unref();
    this.pruning = setInterval(() => void this.pruneTrash(), DAY_MS);
    this.pruning.unref();
    void this.pruneTrash();
    void this.cycle();
  }

  /** Runs a cycle now (after pending watcher events) and resolves when it is done. */
  async cycle(): Promise<void> {
    if (this.options.watch && !this.watcher) this.startWatching();
    this.aggregator?.flush();
    await this.refreshIgnore();
    await this.sync.request();
  }

  async stop(): Promise<void> {
    clearInterval(this.poll);
    clearInterval(this.pruning);
    this.aggregator?.close();
    await this.watcher?.close();
    await this.sync.stop();
    await this.options.store.close();
  }

  private startWatching(): void {
    if (!existsSync(this.options.settings.localPath)) return;
    const settings = this.options.settings;
    this.aggregator = new EventAggregator({
      caseInsensitive: this.options.caseInsensitive,
      quietMs: this.options.quietMs,
      onBatch: () => void this.refreshIgnore().then(() => this.sync.request()),
    });
    const aggregator = this.aggregator;
    this.watcher = startWatcher(settings.localPath, {
      ignore: (path, isDir) => this.rule(path, isDir),
      onEvents: (events) => aggregator.push(coalesceEvents(events, { caseInsensitive: this.options.caseInsensitive })),
      onError: (error) => {
        this.options.onNotice?.(`watcher: ${error.message}`);
        if (!error.willRestart) {
          // Stopped for good (e.g. the root vanished): polling cycles carry on, and the next cycle
          // starts a new watcher once the root is back.
          this.aggregator?.close();
          this.aggregator = undefined;
          this.watcher = undefined;
          this.watchMode = 'off';
        }
        void this.sync.request();
      },
      onModeChange: (mode, reason) => {
        this.watchMode = mode;
        this.watchReason = mode === 'native' ? undefined : reason;
        this.options.onNotice?.(reason);
        void this.sync.request();
      },
    });
    this.watchMode = this.watcher.mode;
  }

  private async refreshIgnore(): Promise<void> {
    let text = '';
    try {
      text = await readFile(join(this.options.settings.localPath, IGNORE_FILE_NAME), 'utf8');
    } catch {
      // No ignore file: the defaults apply.
    }
    if (text === this.ignoreText) return;
    this.ignoreText = text;
    const matcher = compileIgnoreRules(text, { caseInsensitive: this.options.caseInsensitive });
    // `.coffer/` holds Coffer's records on the store, so a local folder of that name cannot sync.
    this.rule = (path, isDir) => path === META_PREFIX.slice(0, -1) || path.startsWith(META_PREFIX) || matcher.ignores(path, isDir);
  }

  private async pruneTrash(): Promise<void> {
    const { settings, store } = this.options;
    try {
      await pruneRemoteTrash(store, new Date(), settings.trashDays);
      await pruneLocalTrash(settings.localPath, new Date(), settings.trashDays);
    } catch (err) {
      this.options.onNotice?.(`trash pruning failed: ${(err as Error).message}`);
    }
  }
}
