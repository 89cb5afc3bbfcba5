// Locks the vault after a spell without a request from the user; the UI's own polling does not count as one.
import type { Channel, ContractHandlers } from '../../../preload/contract.js';

/** Channels the UI calls on its own timer (the tray, the status line): they never count as the user's activity. */
export const PASSIVE_CHANNELS: ReadonlySet<Channel> = new Set<Channel>(['status.get', 'conflicts.list']);

const MINUTE_MS = 60_000;

/** How often the idle time is looked at, in milliseconds: a lock comes at most this much late. */
export const DEFAULT_IDLE_CHECK_MS = 15_000;

/** Time as the idle lock reads it: milliseconds on a monotonic scale (only differences matter). */
export interface IdleClock {
  now(): number;
}

const monotonicClock: IdleClock = { now: () => performance.now() };

export interface IdleLockOptions {
  /** Minutes without activity before the lock; 0 never locks. Read at each check, so a new setting applies at once. */
  readonly idleMinutes: () => number;
  readonly isUnlocked: () => boolean;
  /** Locks the vault and whatever must follow; a rejection goes to onError and the next check tries again. */
  readonly lock: () => Promise<void>;
  readonly clock?: IdleClock;
  /** Milliseconds between checks while started (default DEFAULT_IDLE_CHECK_MS). */
  readonly checkEveryMs?: number;
  /** Told after each lock it made, with the idle time in milliseconds (for the log; nothing secret). */
  readonly onLocked?: (idleMs: number) => void;
  readonly onError?: (err: unknown) => void;
}

export class IdleLock {
  private readonly clock: IdleClock;
  private lastActivity: number;
  /** Requests under way: a long one (a re-key, a mode change) is not idleness. */
  private busy = 0;
  private timer: NodeJS.Timeout | undefined;
  private locking: Promise<boolean> | undefined;

  constructor(private readonly options: IdleLockOptions) {
    this.clock = options.clock ?? monotonicClock;
    this.lastActivity = this.clock.now();
  }

  /** Milliseconds since the last activity (0 while a request runs). */
  get idleMs(): number {
    return this.busy > 0 ? 0 : this.clock.now() - this.lastActivity;
  }

  noteActivity(): void {
    this.lastActivity = this.clock.now();
  }

  /** Marks a request as under way until the returned function is called; both ends count as activity. */
  begin(): () => void {
    this.noteActivity();
    this.busy += 1;
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.busy -= 1;
      this.noteActivity();
    };
  }

  /**
   * Locks when the setting is on, the vault is unlocked, no request runs, and the idle time has
   * reached the setting. Resolves true when this check locked; a check during a lock joins it.
   * Never rejects: a failed lock goes to onError.
   */
  check(): Promise<boolean> {
    this.locking ??= this.lockIfIdle().finally(() => (this.locking = undefined));
    return this.locking;
  }

  /** Checks every `checkEveryMs` until stop(); the timer does not keep the process alive. */
  start(): void {
    this.stop();
    this.timer = setInterval(() => void this.check(), this.options.checkEveryMs ?? DEFAULT_IDLE_CHECK_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private async lockIfIdle(): Promise<boolean> {
    const minutes = this.options.idleMinutes();
    const idleMs = this.idleMs;
    if (minutes <= 0 || this.busy > 0 || idleMs < minutes * MINUTE_MS || !this.options.isUnlocked()) return false;
    try {
      await this.options.lock();
    } catch (err) {
      this.options.onError?.(err);
      return false;
    }
    this.options.onLocked?.(idleMs);
    return true;
  }
}

/**
 * The handlers with every call but PASSIVE_CHANNELS noting the user's activity on `idle`, for as
 * long as it runs. Requests and answers pass through unchanged, errors included.
 */
export function notingActivity(handlers: ContractHandlers, idle: IdleLock): ContractHandlers {
  const wrapped: Record<string, (request: unknown) => Promise<unknown>> = {};
  for (const [channel, handler] of Object.entries(handlers) as [Channel, (request: unknown) => Promise<unknown>][]) {
    wrapped[channel] = PASSIVE_CHANNELS.has(channel)
      ? handler
      : async (request) => {
          const end = idle.begin();
          try {
            return await handler(request);
          } finally {
            end();
          }
        };
  }
  return wrapped as ContractHandlers;
}
