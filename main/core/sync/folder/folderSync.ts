// One synced folder: cycles of scan -> list -> plan -> guard -> execute, triggered by the watcher, timers and the user.
import { mkdir } from 'node:fs/promises';
import type { AuditSink } from '../../audit/auditEvent.js';
import { checkDeletions } from '../deletionGuard.js';
import type { LocalIndex } from '../index/localIndex.js';
import { relativePathProblem, remoteKeyOf } from '../pathKey.js';
import { planSync } from '../plan.js';
import type { ObjectStore } from '../remote/objectStore.js';
import { scanFolder } from '../scan/scanFolder.js';
import type { IgnoreRule, ScanProgress } from '../scan/scanTypes.js';
import type { BaseFile, LocalFile, RemoteFile, SyncAction } from '../syncTypes.js';
import { errorClassOf } from './actionQueue.js';
import { BatchedSyncIndex } from './batchedIndex.js';
import { CycleProgress } from './cycleProgress.js';
import { executeActions } from './executeActions.js';
import type { FolderCipher } from './folderCipher.js';
import type { FolderSettings } from './folderSettings.js';
import { ScannedFileReader } from './readScannedFile.js';
import { isReservedKey } from './remoteLayout.js';
import type { SyncContext, SyncIndex } from './syncContext.js';

export type FolderSyncState = 'idle' | 'scanning' | 'syncing' | 'paused' | 'error' | 'waiting-for-user';

export interface FolderSyncOptions {
  readonly settings: FolderSettings;
  readonly store: ObjectStore;
  readonly cipher: FolderCipher;
  readonly index: LocalIndex;
  readonly audit: AuditSink;
  readonly device: string;
  readonly ignore?: IgnoreRule;
  readonly concurrency: number;
  readonly retry: <R>(fn: () => Promise<R>) => Promise<R>;
  readonly caseInsensitive: boolean;
  /** Runs before each cycle's listing (the sse-c-vault keyring exchange). */
  readonly beforeCycle?: () => Promise<void>;
  readonly now?: () => Date;
  readonly onChange?: () => void;
}

export interface CycleOutcome {
  readonly actions: readonly SyncAction[];
  readonly done: number;
  readonly skipped: readonly { path: string; message: string }[];
}

function actionPath(action: SyncAction): string {
  return action.type === 'rename-remote' ? action.to : action.path;
}

/** A message for the status line: the error's own words, never a stack and never a key. */
function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export class FolderSync {
  private stateValue: FolderSyncState = 'idle';
  private reasonValue: string | undefined;
  private lastErrors: { path: string; message: string }[] = [];
  private pendingDeletions: number | undefined;
  private deletionsApproved = false;
  private running: Promise<CycleOutcome | undefined> | undefined;
  private again = false;
  private abort = new AbortController();
  progress = new CycleProgress();
  private readonly now: () => Date;
  /** While scanning: files seen and bytes hashed so far (a first scan of a large folder takes a while). */
  scanProgress: ScanProgress | undefined;

  constructor(private readonly options: FolderSyncOptions) {
    this.now = options.now ?? (() => new Date());
    if (options.settings.paused) this.setState('paused', 'paused by the user');
  }

  get id(): string {
    return this.options.settings.id;
  }
  get settings(): FolderSettings {
    return this.options.settings;
  }
  get state(): FolderSyncState {
    return this.stateValue;
  }
  get reason(): string | undefined {
    return this.reasonValue;
  }
  get errors(): readonly { path: string; message: string }[] {
    return this.lastErrors;
  }
  get waitingDeletions(): number | undefined {
    return this.pendingDeletions;
  }

  /** Asks for a cycle; if one runs, exactly one more follows it. Resolves when a cycle covering the request ends. */
  request(): Promise<CycleOutcome | undefined> {
    if (this.running) {
      this.again = true;
      return this.running.then(() => this.running ?? this.request());
    }
    this.running = this.loop();
    return this.running;
  }

  pause(): void {
    this.options.settings.paused = true;
    this.abort.abort(new Error('paused'));
    this.setState('paused', 'paused by the user');
  }

  resume(): void {
    this.options.settings.paused = false;
    this.abort = new AbortController();
    if (this.stateValue === 'paused') this.setState('idle', undefined);
    void this.request();
  }

  /** Lets the next cycle carry out deletions that exceeded the safety threshold. */
  approveDeletions(): void {
    this.deletionsApproved = true;
    void this.request();
  }

  async stop(): Promise<void> {
    this.abort.abort(new Error('stopping'));
    await this.running?.catch(() => undefined);
  }

  private setState(state: FolderSyncState, reason: string | undefined): void {
    this.stateValue = state;
    this.reasonValue = reason;
    this.options.onChange?.();
  }

  private async loop(): Promise<CycleOutcome | undefined> {
    let outcome: CycleOutcome | undefined;
    try {
      do {
        this.again = false;
        outcome = await this.cycle();
      } while (this.again && !this.options.settings.paused);
    } finally {
      this.running = undefined;
    }
    return outcome;
  }

  private async cycle(): Promise<CycleOutcome | undefined> {
    if (this.options.settings.paused) return undefined;
    const { settings, index } = this.options;
    const signal = this.abort.signal;
    try {
      this.setState('scanning', undefined);
      // The listing and the scan wait on different things (the store, the disk): run them together.
      const listing = this.listRemote();
      listing.catch(() => undefined);
      const scan = await scanFolder(settings.localPath, {
        index,
        folderId: settings.id,
        ignore: this.options.ignore,
        signal,
        onProgress: (p) => {
          this.scanProgress = p;
        },
      });
      this.scanProgress = undefined;
      if (scan.rootMissing) {
        // An unmounted drive must not read as "every file deleted": wait for the root to come back.
        index.setFolderState(settings.id, { lastError: 'the folder is missing (unmounted drive?); syncing resumes when it is back', lastErrorAt: Date.now() });
        this.setState('paused', `the folder ${settings.localPath} is missing; syncing resumes when it is back`);
        return undefined;
      }
      await this.options.beforeCycle?.();
      // A path the ignore rules now exclude is left alone on both sides: its local scan row is gone,
      // and without this filter the base would read it as deleted and delete it remotely.
      const ignored = (path: string): boolean => this.options.ignore?.(path, false) ?? false;
      const remote = (await listing).filter((r) => !ignored(r.path));
      const base = index.baseEntries(settings.id).filter((b) => !ignored(b.path));
      const actions = planSync({ local: scan.files, remote, base, caseInsensitive: this.options.caseInsensitive });
      const guard = checkDeletions(actions, { trackedFiles: base.length, maxFraction: settings.deletionGuard.maxFraction, maxCount: settings.deletionGuard.maxCount });
      if (!guard.ok && !this.deletionsApproved) {
        this.pendingDeletions = guard.deletions;
        this.setState('waiting-for-user', guard.reason);
        return { actions, done: 0, skipped: [] };
      }
      this.deletionsApproved = false;
      this.pendingDeletions = undefined;
      let result: Awaited<ReturnType<typeof executeActions>> = { done: 0, skipped: [] };
      // Nothing to do (the usual rescan): skip building the lookup maps over every file.
      if (actions.length > 0) {
        this.setState('syncing', undefined);
        const writes = new BatchedSyncIndex(index);
        const ctx = this.context(scan.files, remote, base, signal, writes);
        try {
          result = await executeActions(ctx, actions, { concurrency: this.options.concurrency, retry: this.options.retry });
        } finally {
          writes.flush();
        }
      }
      this.lastErrors = result.skipped.map((f) => ({ path: actionPath(f.item), message: messageOf(f.error) }));
      if (result.fatal) throw result.fatal.error;
      // A conflict leaves the local copy under a new name: one more cycle uploads it right away. A
      // conflict that was skipped renamed nothing, and running again at once would only spin on it.
      const skipped = new Set(result.skipped.map((f) => f.item));
      if (actions.some((a) => a.type === 'conflict' && !skipped.has(a))) this.again = true;
      index.setFolderState(settings.id, { lastSyncAt: Date.now(), lastError: this.lastErrors[0]?.message ?? null, lastErrorAt: this.lastErrors.length > 0 ? Date.now() : null });
      this.setState(this.options.settings.paused ? 'paused' : 'idle', this.options.settings.paused ? 'paused by the user' : undefined);
      return { actions, done: result.done, skipped: this.lastErrors };
    } catch (err) {
      if (signal.aborted) {
        this.setState(this.options.settings.paused ? 'paused' : 'idle', this.options.settings.paused ? 'paused by the user' : undefined);
        return undefined;
      }
      const message = messageOf(err);
      index.setFolderState(settings.id, { lastError: message, lastErrorAt: Date.now() });
      this.setState('error', `${errorClassOf(err) === 'retriable' ? 'the store cannot be reached; retrying: ' : ''}${message}`);
      return undefined;
    } finally {
      this.progress = new CycleProgress();
    }
  }

  private async listRemote(): Promise<RemoteFile[]> {
    const remote: RemoteFile[] = [];
    for await (const object of this.options.store.list()) {
      // Coffer's own records, and names from other tools that would escape the folder, are not files to sync.
      if (isReservedKey(object.key) || relativePathProblem(object.key, 'remote') !== undefined) continue;
      remote.push({ path: object.key, size: object.size, etag: object.etag, lastModifiedMs: object.lastModifiedMs });
    }
    this.options.index.setFolderState(this.options.settings.id, { lastRemoteListingAt: Date.now() });
    return remote;
  }

  private context(local: readonly LocalFile[], remote: readonly RemoteFile[], base: readonly BaseFile[], signal: AbortSignal, index: SyncIndex): SyncContext {
    const { settings } = this.options;
    return {
      folderId: settings.id,
      root: settings.localPath,
      bucket: settings.bucket,
      prefix: settings.prefix,
      device: this.options.device,
      store: this.options.store,
      cipher: this.options.cipher,
      index,
      audit: this.options.audit,
      now: this.now,
      locals: new Map(local.map((f) => [f.path, f])),
      localPathByKey: new Map(local.map((f) => [remoteKeyOf(f.path), f.path])),
      remotes: new Map(remote.map((r) => [r.path, r])),
      bases: new Map(base.map((b) => [remoteKeyOf(b.path), b])),
      progress: this.progress,
      signal,
      smallFiles: new ScannedFileReader(),
    };
  }

  /** Makes sure the root exists when the folder is first added (a later disappearance pauses instead). */
  static async prepareRoot(path: string): Promise<void> {
    await mkdir(path, { recursive: true });
  }
}
