// What an AuditLog can be tuned with, what it reports, and its defaults.

export interface AuditLogOptions {
  /** The store root key; the digest key is derived from it. */
  rootKey: Buffer;
  /** Write as soon as this many events are queued (default 256). */
  batchSize?: number;
  /** Otherwise write this long after the first queued event (milliseconds, default 5). */
  flushDelayMs?: number;
  /**
   * Least time between the starts of two commits (milliseconds, default 50). Commits run off the
   * event loop, but their fsyncs share the disk with the store's own: in the store bench, 50 ms
   * (at most 20 commits a second) kept sequential small PUTs within a few percent of no audit.
   */
  minCommitIntervalMs?: number;
  /** Events held while writes fail; beyond it the oldest are dropped and counted (default 50 000). */
  maxQueue?: number;
  /** A signed digest every this many events; fixed when the log is created (default 1000). */
  digestInterval?: number;
  /** How long a write waits for another process's lock (milliseconds, default 5000): on the writer thread for commits, on the caller's only in open() and prune(). */
  busyTimeoutMs?: number;
  /** Called once per run of failed writes (a logger hook); never with event contents. */
  onWriteError?: (error: unknown) => void;
  now?: () => Date;
}

export interface AuditLogStats {
  queued: number;
  /** Rows committed by this instance, loss notices included. */
  written: number;
  /** Write transactions committed. */
  batches: number;
  /** Events evicted from a full queue (or recorded after close). */
  dropped: number;
  /** Events refused: secret-named fields, values that cannot be logged, malformed events. */
  refused: number;
  writeErrors: number;
  lastError?: string;
}

export const AUDIT_LOG_DEFAULTS = { batchSize: 256, flushDelayMs: 5, minCommitIntervalMs: 50, maxQueue: 50_000, digestInterval: 1000, busyTimeoutMs: 5000 } as const;

export type AuditLogSettings = { -readonly [K in keyof typeof AUDIT_LOG_DEFAULTS]: number };

export function auditLogSettings(options: AuditLogOptions): AuditLogSettings {
  const d = AUDIT_LOG_DEFAULTS;
  return {
    batchSize: options.batchSize ?? d.batchSize,
    flushDelayMs: options.flushDelayMs ?? d.flushDelayMs,
    minCommitIntervalMs: options.minCommitIntervalMs ?? d.minCommitIntervalMs,
    maxQueue: options.maxQueue ?? d.maxQueue,
    digestInterval: options.digestInterval ?? d.digestInterval,
    busyTimeoutMs: options.busyTimeoutMs ?? d.busyTimeoutMs,
  };
}
