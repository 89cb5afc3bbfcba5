// The headless agent: opens the vault and index, starts the embedded store and every folder, serves the control API.
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Logger } from 'pino';
import type { AppSettings, ContractHandlers, FolderJobKind, FolderJobStatus } from '../../../preload/contract.js';
import type { AuditSink } from '../../core/audit/auditEvent.js';
import { AuditLog } from '../../core/audit/auditLog.js';
import { loadOrCreateRootKey } from '../../core/keys/rootKey.js';
import { openVault, vaultPath, type Vault } from '../../core/keys/vault/index.js';
import { isCaseInsensitive } from '../../core/sync/folder/caseSensitivity.js';
import { FolderCipher } from '../../core/sync/folder/folderCipher.js';
import type { FolderSettings } from '../../core/sync/folder/folderSettings.js';
import { describeMode } from '../../core/sync/folder/modeChangeSettings.js';
import type { ModeChangeOutcome } from '../../core/sync/folder/changeFolderMode.js';
import { FolderWorker } from '../../core/sync/folder/folderWorker.js';
import { exchangeKeyring } from '../../core/sync/folder/keyringExchange.js';
import { LocalIndex } from '../../core/sync/index/localIndex.js';
import { withRetries } from '../../core/sync/remote/retry.js';
import { Throttle } from '../../core/sync/remote/throttle.js';
import { loadOrCreateToken, removeRuntime, writeRuntime } from '../control/agentFiles.js';
import { ApiError } from '../control/apiError.js';
import { startControlApi, type ControlApi } from '../control/controlApi.js';
import { defaultUiDir } from '../control/uiFiles.js';
import { changeModeOn, type JobDeps } from '../folders/folderJobs.js';
import { runStoreInline, runStoreInThread, type AgentStore } from '../store/agentStore.js';
import { parseStoreCommandOptions } from '../store/storeCommandOptions.js';
import { loadAgentConfig, type AgentConfig } from './agentConfig.js';
import { agentHandlers } from './agentHandlers.js';
import { IdleLock, notingActivity, type IdleClock } from './idleLock.js';
import { STORE_SUBDIR } from './dataDirLayout.js';
import { folderKeys } from './folderKeys.js';
import { settingsOfRecord } from './folderRecords.js';
import { folderObjectStore, type EmbeddedEndpoint } from './folderStore.js';
import type { S3ObjectStore } from '../../core/sync/remote/s3ObjectStore.js';

export interface AgentStartOptions {
  readonly dataDir: string;
  readonly storePort?: number;
  readonly storeHttpsPort?: number;
  readonly apiPort?: number;
  /** The built renderer the control API serves at / ; default dist/renderer of this package. */
  readonly uiDir?: string;
  readonly env: NodeJS.ProcessEnv;
  readonly logger: Logger;
  /** Tests only: the idle lock's time and how often it looks (the setting itself stays in whole minutes). */
  readonly idleLock?: { readonly clock?: IdleClock; readonly checkEveryMs?: number };
}

/** A folder the agent knows: running, or held back with a reason (locked vault, bad key…). */
export interface FolderEntry {
  settings: FolderSettings;
  worker?: FolderWorker;
  blocked?: string;
  /** A long job on the folder's objects, under way: the folder does not sync meanwhile. */
  job?: FolderJobStatus;
  /** Why the last job on the folder stopped short, for the status line. */
  jobFailure?: string;
}

export class Agent {
  readonly folders = new Map<string, FolderEntry>();
  private api: ControlApi | undefined;
  private apiToken = '';
  private ownAudit: AuditLog | undefined;
  readonly throttle: { up: Throttle; down: Throttle };
  /** Jobs under way, by folder id; at most one per folder. */
  private readonly jobs = new Map<string, { abort: AbortController; run: Promise<unknown> }>();
  private stopping = false;

  /** The data dir's vault; undefined until one is created or recovered (first run), then set once by adoptVault. */
  private currentVault: Vault | undefined;

  private constructor(
    readonly dataDir: string,
    config: AgentConfig,
    vault: Vault | undefined,
    readonly index: LocalIndex,
    readonly store: AgentStore | undefined,
    readonly audit: AuditSink,
    readonly env: NodeJS.ProcessEnv,
    readonly logger: Logger,
  ) {
    this.currentVault = vault;
    this.currentConfig = config;
    this.throttle = { up: new Throttle({ bytesPerSecond: config.uploadKiBps * 1024 }), down: new Throttle({ bytesPerSecond: config.downloadKiBps * 1024 }) };
  }

  get vault(): Vault | undefined {
    return this.currentVault;
  }

  /** Takes the vault created or recovered on first run; VaultExists when the agent already has one. */
  adoptVault(vault: Vault): void {
    if (this.currentVault) throw new ApiError('VaultExists', 'this data directory already has a vault');
    this.currentVault = vault;
  }

  /** The access history the agent writes to and reads from (the embedded store's, or the agent's own). */
  get auditLog(): AuditLog {
    return this.store?.running.services.auditLog ?? this.ownAudit!;
  }

  /** config.json as read at start, with the user's settings as last saved by applySettings. */
  private currentConfig: AgentConfig;
  private userHandlers: ContractHandlers | undefined;
  /** Locks the vault after lockAfterIdleMinutes without a user request; set once the agent has started. */
  idleLock: IdleLock | undefined;

  get config(): AgentConfig {
    return this.currentConfig;
  }

  /** Puts saved settings in force: bandwidth limits at once (transfers under way too); the idle lock at its next check. */
  applySettings(settings: AppSettings): void {
    this.currentConfig = { ...this.currentConfig, ...settings };
    if (this.throttle.up.bytesPerSecond !== settings.uploadKiBps * 1024) this.throttle.up.setRate(settings.uploadKiBps * 1024);
    if (this.throttle.down.bytesPerSecond !== settings.downloadKiBps * 1024) this.throttle.down.setRate(settings.downloadKiBps * 1024);
  }

  /** The contract as the user's UIs call it (control API, desktop IPC): every call but the UI's polling counts as activity for the idle lock. */
  get handlers(): ContractHandlers {
    return this.userHandlers!;
  }

  get apiUrl(): string {
    return this.api!.url;
  }

  /** The browser UI's address with the token in its fragment (never sent to a server, kept out of history by the UI). */
  get uiUrl(): string {
    return `${this.api!.url}/#token=${this.apiToken}`;
  }

  static async start(options: AgentStartOptions): Promise<Agent> {
    const dataDir = resolve(options.dataDir);
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const config = loadAgentConfig(dataDir);
    const storeDir = join(dataDir, STORE_SUBDIR);
    mkdirSync(storeDir, { recursive: true, mode: 0o700 });
    // The vault's events reach the access history once it is open (it lives with the store).
    let auditSink: AuditSink | undefined;
    const vault = existsSync(vaultPath(dataDir)) ? openVault(dataDir, { principal: config.deviceName, onEvent: (event) => auditSink?.record(event) }) : undefined;
    const records = vault?.folders.list().map(settingsOfRecord) ?? [];
    const needsStore = records.length === 0 || records.some((s) => s.store.kind === 'embedded');
    let store: AgentStore | undefined;
    if (needsStore) {
      const storeOptions = parseStoreCommandOptions({
        dataDir: storeDir,
        port: options.storePort ?? config.storePort,
        httpsPort: options.storeHttpsPort ?? config.storeHttpsPort,
        logLevel: options.logger.level,
      });
      store = await (config.storeThread ? runStoreInThread : runStoreInline)(storeOptions, options.logger, options.env);
    }
    let ownAudit: AuditLog | undefined;
    const audit: AuditSink = store?.running.services.auditLog ?? (ownAudit = AuditLog.openInDataDir(storeDir, { rootKey: loadOrCreateRootKey(storeDir, options.env).key }));
    auditSink = audit;
    const index = LocalIndex.open(dataDir);
    const agent = new Agent(dataDir, config, vault, index, store, audit, options.env, options.logger);
    agent.ownAudit = ownAudit;
    await agent.unlockFromEnvironment();
    for (const settings of records) await agent.startFolder(settings);
    const ownHandlers = agentHandlers(agent);
    agent.idleLock = new IdleLock({
      idleMinutes: () => agent.config.lockAfterIdleMinutes,
      isUnlocked: () => agent.vault?.isUnlocked ?? false,
      // Exactly what the user's own lock does; called directly, so it is not activity itself.
      lock: async () => void (await ownHandlers['vault.lock']({})),
      clock: options.idleLock?.clock,
      checkEveryMs: options.idleLock?.checkEveryMs,
      onLocked: (idleMs) => options.logger.info({ idleMinutes: Math.floor(idleMs / 60_000) }, 'vault locked after a spell without requests'),
      onError: (err) => options.logger.error({ reason: err instanceof Error ? err.message : String(err) }, 'idle lock failed'),
    });
    agent.userHandlers = notingActivity(ownHandlers, agent.idleLock);
    agent.idleLock.start();
    const token = loadOrCreateToken(dataDir);
    agent.apiToken = token;
    agent.api = await startControlApi({
      port: options.apiPort ?? config.apiPort,
      token,
      handlers: agent.handlers,
      uiDir: options.uiDir ?? defaultUiDir(),
      onUnexpected: (err) => options.logger.error({ err: err instanceof Error ? err.message : String(err) }, 'control API request failed'),
    });
    writeRuntime(dataDir, { pid: process.pid, apiUrl: agent.api.url, startedAt: new Date().toISOString() });
    return agent;
  }

  /** COFFER_PASSPHRASE or COFFER_KEY_FILE (a file holding the recovery key) unlock at start; otherwise the vault stays locked. */
  private async unlockFromEnvironment(): Promise<void> {
    if (!this.vault) return;
    const passphrase = this.env.COFFER_PASSPHRASE;
    const keyFile = this.env.COFFER_KEY_FILE;
    try {
      if (passphrase) await this.vault.unlock(passphrase);
      else if (keyFile) this.vault.unlockWithKeyFile(keyFile);
    } catch (err) {
      this.logger.warn({ reason: (err as Error).message }, 'the vault stays locked');
    }
  }

  get embeddedEndpoint(): EmbeddedEndpoint | undefined {
    const store = this.store;
    if (!store?.running.httpsUrl || !store.tls) return undefined;
    return {
      httpsUrl: store.running.httpsUrl,
      region: store.running.services.options.region,
      credentials: store.credentials,
      pinnedSha256: store.tls.fingerprint256,
    };
  }

  /**
   * Starts (or restarts) one folder; a folder that cannot run yet is kept with its reason. A folder
   * with a job under way is left to it (the job starts the folder when it ends). A pending mode
   * change is carried on first, in the background, and the folder syncs once it is done; with
   * `resumePendingChange: false` (after a run that stopped) it waits for the user instead.
   */
  async startFolder(settings: FolderSettings, options: { resumePendingChange?: boolean; stoppedBecause?: string } = {}): Promise<FolderEntry> {
    const busy = this.folders.get(settings.id);
    if (busy && this.jobs.has(settings.id)) return busy;
    await this.stopFolder(settings.id);
    const entry: FolderEntry = { settings };
    this.folders.set(settings.id, entry);
    try {
      const keys = folderKeys(settings, this.vault);
      if ('blocked' in keys) {
        entry.blocked = keys.blocked;
        return entry;
      }
      const pending = settings.pendingMode;
      if (pending) {
        if (options.resumePendingChange === false) {
          const because = options.stoppedBecause ? ` (${options.stoppedBecause})` : '';
          entry.blocked = `the change to ${describeMode(pending)} is not finished${because}: run coffer folder set-mode ${settings.id} --mode ${pending.mode} again to carry it on`;
        } else {
          this.changeMode(settings.id).catch((err: unknown) => this.logger.error({ folder: settings.localPath, reason: (err as Error).message }, 'mode change stopped'));
        }
        return entry;
      }
      const store = folderObjectStore(settings, { embedded: this.embeddedEndpoint, vault: this.vault, index: this.index, throttle: this.throttle, transfers: this.config.transfersPerFolder });
      const vault = this.vault;
      const worker = new FolderWorker({
        settings,
        store,
        cipher: new FolderCipher(settings, keys),
        index: this.index,
        audit: this.audit,
        device: this.config.deviceName,
        concurrency: this.config.transfersPerFolder,
        retry: (fn) => withRetries(fn, { attempts: 5 }),
        caseInsensitive: existsSync(settings.localPath) ? await isCaseInsensitive(settings.localPath) : false,
        beforeCycle: settings.mode === 'sse-c-vault' && vault ? async () => void (await exchangeKeyring(store, vault)) : undefined,
        remotePollMs: this.config.remotePollSeconds * 1000,
        quietMs: this.config.quietMs,
        watch: this.config.watch,
        onNotice: (message) => this.logger.warn({ folder: settings.localPath }, message),
      });
      entry.worker = worker;
      await worker.start();
    } catch (err) {
      entry.blocked = (err as Error).message;
      this.logger.error({ folder: settings.localPath, reason: entry.blocked }, 'folder not started');
    }
    return entry;
  }

  async stopFolder(id: string): Promise<void> {
    const job = this.jobs.get(id);
    if (job) {
      // Forgotten first, so the job's end does not start the folder again.
      this.folders.delete(id);
      job.abort.abort(new Error('the folder is stopping'));
      await job.run.catch(() => undefined);
    }
    const entry = this.folders.get(id);
    if (!entry) return;
    await entry.worker?.stop();
    this.folders.delete(id);
  }

  /** True while a job runs on the folder. */
  hasJob(id: string): boolean {
    return this.jobs.has(id);
  }

  /** What a job needs of this agent's data dir. */
  get jobDeps(): JobDeps {
    return { vault: this.vault, index: this.index, audit: this.audit, device: this.config.deviceName, concurrency: this.config.transfersPerFolder };
  }

  /** A store client of the folder's own for a job (the caller closes it); FolderStoreError when it cannot be reached. */
  jobStore(settings: FolderSettings): S3ObjectStore {
    return folderObjectStore(settings, { embedded: this.embeddedEndpoint, vault: this.vault, index: this.index, throttle: this.throttle, transfers: this.config.transfersPerFolder });
  }

  /**
   * Runs `work` on one folder with its sync stopped: the worker (cycles, watcher, poll) is stopped
   * and awaited first, so nothing else touches the folder's objects, and the folder starts again
   * when the job ends, with the settings it has then. This is simpler than pausing inside a cycle
   * and just as safe: a job needs the folder for minutes, not between two cycles. `work` reports
   * its progress on `entry.job`. ApiError NoSuchFolder, or FolderBusy when a job already runs on it.
   */
  async runFolderJob<T>(id: string, kind: FolderJobKind, work: (entry: FolderEntry, signal: AbortSignal) => Promise<T>): Promise<T> {
    const entry = this.folders.get(id);
    if (!entry) throw new ApiError('NoSuchFolder', `no folder with id ${id}`);
    if (this.jobs.has(id)) throw new ApiError('FolderBusy', `folder ${id} has a ${entry.job?.kind ?? 'job'} under way; try again when it is done`);
    if (this.stopping) throw new ApiError('AgentStopping', 'the agent is stopping');
    const abort = new AbortController();
    const worker = entry.worker;
    entry.worker = undefined;
    entry.blocked = undefined;
    entry.job = { kind, done: 0, total: 0 };
    entry.jobFailure = undefined;
    const run = (async () => {
      try {
        await worker?.stop();
        return await work(entry, abort.signal);
      } catch (err) {
        entry.jobFailure = (err as Error).message;
        throw err;
      } finally {
        entry.job = undefined;
        this.jobs.delete(id);
        if (!this.stopping && this.folders.get(id) === entry) {
          await this.startFolder(entry.settings, { resumePendingChange: false, stoppedBecause: entry.jobFailure }).catch((err: unknown) =>
            this.logger.error({ reason: (err as Error).message }, 'folder not restarted'),
          );
        }
      }
    })();
    this.jobs.set(id, { abort, run });
    return run;
  }

  /** Carries out the folder's pending mode change with its sync stopped; the folder syncs in the new mode after. */
  changeMode(id: string): Promise<ModeChangeOutcome> {
    return this.runFolderJob(id, 'change-mode', async (entry, signal) => {
      const store = this.jobStore(entry.settings);
      try {
        const outcome = await changeModeOn(this.jobDeps, entry.settings, store, { signal, onProgress: (p) => void (entry.job = { kind: 'change-mode', done: p.done, total: p.total }) });
        entry.settings = outcome.settings;
        if (outcome.failed > 0) entry.jobFailure = `${outcome.failed} of ${outcome.total} objects failed; the first: ${outcome.errors[0]?.message ?? 'unknown'}`;
        return outcome;
      } finally {
        await store.close();
      }
    });
  }

  /** Restarts folders that were waiting for the vault (after an unlock) or must stop using it (after a lock). */
  async restartFolders(): Promise<void> {
    for (const entry of [...this.folders.values()]) await this.startFolder(entry.settings);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.idleLock?.stop();
    // Jobs stop between objects and resume at the next start.
    for (const job of this.jobs.values()) job.abort.abort(new Error('the agent is stopping'));
    await Promise.all([...this.jobs.values()].map((job) => job.run.catch(() => undefined)));
    await this.api?.close();
    removeRuntime(this.dataDir);
    for (const id of [...this.folders.keys()]) await this.stopFolder(id);
    await this.store?.running.close();
    await this.ownAudit?.close();
    this.index.close();
    this.vault?.lock();
    this.vault?.close();
  }
}
