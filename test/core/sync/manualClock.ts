// A clock whose time moves only when a test says so; timers fire in order as it passes them.
import type { AggregatorClock } from '../../../main/core/sync/aggregator.js';

export class ManualClock implements AggregatorClock {
  private nowMs = 0;
  private nextId = 1;
  private readonly timers = new Map<number, { atMs: number; callback: () => void }>();

  now(): number {
    return this.nowMs;
  }

  setTimeout(callback: () => void, delayMs: number): unknown {
    const id = this.nextId++;
    this.timers.set(id, { atMs: this.nowMs + Math.max(0, delayMs), callback });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  /** Timers still waiting. */
  get pendingTimers(): number {
    return this.timers.size;
  }

  /** Moves time forward by `ms`, firing each timer due on the way at its own time, in order. */
  advance(ms: number): void {
    const target = this.nowMs + ms;
    for (;;) {
      let nextId: number | undefined;
      let nextAt = Infinity;
      for (const [id, timer] of this.timers) {
        if (timer.atMs <= target && timer.atMs < nextAt) {
          nextAt = timer.atMs;
          nextId = id;
        }
      }
      if (nextId === undefined) break;
      const { callback } = this.timers.get(nextId)!;
      this.timers.delete(nextId);
      this.nowMs = nextAt;
      callback();
    }
    this.nowMs = target;
  }
}
