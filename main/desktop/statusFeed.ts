// Reads the agent's status on a timer and reports each change to its listener, with the snapshot before it.
import { isDeepStrictEqual } from 'node:util';
import type { AgentStatus } from '../../preload/contract.js';

export interface StatusFeedOptions {
  read: () => Promise<AgentStatus>;
  /** Called when a read differs from the last one; `before` is undefined for the first read. */
  onChange: (before: AgentStatus | undefined, after: AgentStatus) => void;
  /** A failed read (the listener is not called; the next tick tries again), or a listener that threw. */
  onError: (err: unknown) => void;
}

export class StatusFeed {
  private last: AgentStatus | undefined;
  private inFlight: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: StatusFeedOptions) {}

  /** The latest snapshot read, if any. */
  get current(): AgentStatus | undefined {
    return this.last;
  }

  /** Reads once now; a call while a read is under way joins it instead of starting another. Never rejects. */
  poll(): Promise<void> {
    this.inFlight ??= this.readOnce().finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  /** Polls every `intervalMs` milliseconds until stop(); the timer does not keep the process alive. */
  start(intervalMs: number): void {
    this.stop();
    void this.poll();
    this.timer = setInterval(() => void this.poll(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private async readOnce(): Promise<void> {
    let next: AgentStatus;
    try {
      next = await this.options.read();
    } catch (err) {
      this.options.onError(err);
      return;
    }
    if (this.last !== undefined && isDeepStrictEqual(this.last, next)) return;
    const before = this.last;
    this.last = next;
    try {
      this.options.onChange(before, next);
    } catch (err) {
      this.options.onError(err);
    }
  }
}
