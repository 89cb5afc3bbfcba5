// The injectable time source for bandwidth limits and retry backoff, so tests never wait on the wall clock.
import { setTimeout as delay } from 'node:timers/promises';

export interface Clock {
  /** Milliseconds on a monotonic scale (only differences are meaningful). */
  now(): number;
  /**
   * Resolves after `ms` milliseconds. With a signal, resolves early (never rejects) once it aborts,
   * so callers re-check their own state instead of catching.
   */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** The process's monotonic clock and real timers. */
export const systemClock: Clock = {
  now: () => performance.now(),
  async sleep(ms, signal) {
    if (signal?.aborted) return;
    try {
      await delay(ms, undefined, signal ? { signal } : undefined);
    } catch {
      // Aborted: the caller re-checks why it was woken.
    }
  },
};
