// The access history's writer: record() queues, a writer thread commits batches, and losses are logged too.
import type { SqliteDatabase } from '../db/openDatabase.js';
import type { AuditEvent, AuditSink } from './auditEvent.js';
import { auditDatabasePath, openAuditDatabase } from './auditDatabase.js';
import { auditLogSettings, type AuditLogOptions, type AuditLogSettings, type AuditLogStats } from './auditLogOptions.js';
import { queryAuditEvents, type AuditFilter, type AuditPage, type AuditPageRequest } from './auditQuery.js';
import { BoundedQueue } from './boundedQueue.js';
import { UnloggableEventError } from './canonicalJson.js';
import { encodeEvent, type EncodedEvent } from './eventCodec.js';
import { exportJsonLines } from './exportJsonl.js';
import { ensureSettings } from './logSettings.js';
import { LossTally, type LossReason } from './lossTally.js';
import { pruneAuditLog, type PruneOptions, type PruneResult } from './pruneLog.js';
import { verifyAuditChain, verifyAuditChainYielding, type VerifyResult } from './verifyChain.js';
import { WriterThread } from './writerThreadHost.js';

export type { AuditLogOptions, AuditLogStats } from './auditLogOptions.js';

/** Most events per transaction, so one batch never holds the write lock long. */
const MAX_WRITE_BATCH = 4096;
const RETRY_MIN_MS = 50;
const RETRY_MAX_MS = 5000;
/** The principal of the log's own notices. */
export const AUDIT_LOG_PRINCIPAL = 'coffer-audit';

/**
 * One instance per process; several processes may append to one file. Commits run on a writer
 * thread: better-sqlite3 is synchronous and a commit fsyncs the WAL, which on the store's event
 * loop stalled its small PUTs (see AUDIT-LOG.md). Reads, verify and prune use this thread's own
 * connection. Call close() on shutdown: it writes what is queued and signs a digest over the tail.
 */
export class AuditLog implements AuditSink {
  private readonly queue: BoundedQueue<EncodedEvent>;
  private readonly losses = new LossTally();
  private readonly thread: WriterThread;
  private readonly settings: AuditLogSettings;
  private readonly now: () => Date;
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<boolean> | undefined;
  private notBefore = 0;
  private failures = 0;
  private lastFailure: unknown;
  private closed = false;
  private readonly counters = { written: 0, batches: 0, dropped: 0, refused: 0, writeErrors: 0 };

  /** Opens (creating if needed) the log file; AuditKeyError if it was signed with another root key. */
  static open(file: string, options: AuditLogOptions): AuditLog {
    const db = openAuditDatabase(file, auditLogSettings(options).busyTimeoutMs);
    try {
      return new AuditLog(db, file, options);
    } catch (err) {
      db.close();
      throw err;
    }
  }

  /** The data dir's audit.db. */
  static openInDataDir(dataDir: string, options: AuditLogOptions): AuditLog {
    return AuditLog.open(auditDatabasePath(dataDir), options);
  }

  private constructor(
    readonly db: SqliteDatabase,
    private readonly file: string,
    private readonly options: AuditLogOptions,
  ) {
    this.now = options.now ?? (() => new Date());
    this.settings = auditLogSettings(options);
    this.queue = new BoundedQueue(this.settings.maxQueue);
    const { settings, digestKey } = ensureSettings(db, options.rootKey, this.settings.digestInterval, this.now);
    this.thread = new WriterThread({ file, digestKey, digestInterval: settings.digestInterval, busyTimeoutMs: this.settings.busyTimeoutMs });
  }

  /** Queues the event (snapshotting it) and returns at once; never throws. */
  record(event: AuditEvent): void {
    try {
      if (this.closed) {
        this.counters.dropped += 1;
        return;
      }
      const encoded = encodeEvent(event);
      if (this.queue.push(encoded)) this.lose('queue-full', 1);
    } catch (err) {
      this.lose(err instanceof UnloggableEventError ? err.reason : 'unserializable', 1);
    }
    this.schedule();
  }

  /** Commits everything queued so far; rejects with the write error if SQLite cannot (events stay queued). */
  async flush(): Promise<void> {
    for (;;) {
      this.clearTimer();
      if (this.inFlight) {
        await this.inFlight;
        continue;
      }
      if (!this.pending()) return;
      if (!(await this.startSend())) throw this.lastFailure;
    }
  }

  /** Flushes, signs a digest over the tail and closes; later record() calls are counted as dropped. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    let failure: unknown;
    try {
      await this.flush();
    } catch (err) {
      failure = err;
    }
    try {
      await this.thread.close();
    } catch (err) {
      failure ??= err;
    }
    this.clearTimer();
    this.db.close();
    if (failure) throw failure;
  }

  stats(): AuditLogStats {
    const lastError = this.lastFailure instanceof Error ? this.lastFailure.message : undefined;
    return { queued: this.queue.length, ...this.counters, ...(lastError ? { lastError } : {}) };
  }

  verify(): VerifyResult {
    return verifyAuditChain(this.db, this.options.rootKey);
  }

  /** verify() on a connection of its own, giving the event loop a turn after every chunk of events. */
  async verifyYielding(): Promise<VerifyResult> {
    const reader = openAuditDatabase(this.file, this.settings.busyTimeoutMs, { readonly: true });
    try {
      return await verifyAuditChainYielding(reader, this.options.rootKey);
    } finally {
      reader.close();
    }
  }

  query(filter: AuditFilter = {}, page: AuditPageRequest = {}): AuditPage {
    return queryAuditEvents(this.db, filter, page);
  }

  exportJsonLines(filter: AuditFilter = {}): Generator<string> {
    return exportJsonLines(this.db, filter);
  }

  /** Prunes (see pruneAuditLog) and records a PruneAuditLog admin event when anything went. */
  prune(olderThan: Date, options: Omit<PruneOptions, 'now'> & { principal?: string } = {}): PruneResult {
    const result = pruneAuditLog(this.db, this.options.rootKey, olderThan, { ...options, now: this.now });
    if (result.pruned > 0) {
      this.record({
        time: this.now(),
        category: 'admin',
        operation: 'PruneAuditLog',
        outcome: 'success',
        principal: options.principal ?? AUDIT_LOG_PRINCIPAL,
        details: { olderThan: olderThan.toISOString(), pruned: result.pruned, checkpointSeq: result.checkpoint?.seq, brokenAt: result.brokenAt },
      });
    }
    return result;
  }

  private pending(): boolean {
    return this.queue.length > 0 || !this.losses.empty;
  }

  private lose(reason: LossReason, count: number): void {
    if (reason === 'queue-full') this.counters.dropped += count;
    else this.counters.refused += count;
    this.losses.add(reason, count, this.now());
  }

  private schedule(): void {
    if (this.timer || this.inFlight || this.closed || !this.pending()) return;
    const due = this.queue.length >= this.settings.batchSize ? 0 : this.settings.flushDelayMs;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (!this.inFlight) void this.startSend();
    }, Math.max(due, this.notBefore - Date.now(), 0));
    // A log waiting for its disk to come back must not keep the process alive on its own.
    if (this.failures > 0) this.timer.unref();
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Sends a batch and tracks it; the tracking is set before the attempt can settle. */
  private startSend(): Promise<boolean> {
    const attempt: Promise<boolean> = this.send().finally(() => {
      if (this.inFlight === attempt) this.inFlight = undefined;
      this.schedule();
    });
    this.inFlight = attempt;
    return attempt;
  }

  /** One batch to the writer thread; true when committed, false (events back in the queue) when not. */
  private async send(): Promise<boolean> {
    // Losses go first: the events they stand for were older than anything still queued.
    const losses = this.losses.takeAll();
    const notices = losses.map((loss) => encodeEvent(loss.notice(AUDIT_LOG_PRINCIPAL, this.now())));
    const events = this.queue.take(MAX_WRITE_BATCH - notices.length);
    const started = Date.now();
    try {
      await this.thread.append(notices.length > 0 ? [...notices, ...events] : events);
      this.failures = 0;
      this.counters.written += notices.length + events.length;
      this.counters.batches += 1;
      this.notBefore = started + this.settings.minCommitIntervalMs;
      return true;
    } catch (err) {
      this.losses.restore(losses);
      const dropped = this.queue.restoreFront(events);
      if (dropped > 0) this.lose('queue-full', dropped);
      this.failures += 1;
      this.counters.writeErrors += 1;
      this.lastFailure = err;
      this.notBefore = Date.now() + Math.min(RETRY_MAX_MS, RETRY_MIN_MS * 2 ** (this.failures - 1));
      if (this.failures === 1) {
        try {
          this.options.onWriteError?.(err);
        } catch {
          // A failing logger hook must not turn into a failing audit log.
        }
      }
      return false;
    }
  }
}
