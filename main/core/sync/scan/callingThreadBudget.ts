// Runs small file work on the calling thread while the disk answers from memory, and on the thread pool once it does not.

/** A call on the calling thread slower than this means the disk did not answer from memory. */
export const CALLING_THREAD_CALL_BUDGET_MS = 2;
/** Calling-thread work between two turns given back to the event loop. */
export const CALLING_THREAD_SLICE_MS = 4;

/**
 * A small file that was just listed or read is almost always in the page cache, where a few
 * system calls on the calling thread cost a fraction of the same calls as thread-pool round trips.
 * The first call over budget (a cold cache, a network or spinning disk) sends every later call to
 * the thread pool, so a slow disk holds the event loop (which may also serve the embedded store
 * and the control API) once, for one small file. Fast calls give the loop a turn every few
 * milliseconds, so a long run of them does not starve it either.
 */
export class CallingThreadBudget {
  private slow = false;
  private sliceStarted: number | undefined;

  constructor(private readonly clock: () => number = () => performance.now()) {}

  /** True once a call went over budget. */
  get usesThreadPool(): boolean {
    return this.slow;
  }

  /** `inline()` on the calling thread while within budget, else `pooled()`. Errors of either are passed on. */
  async run<T>(inline: () => T, pooled: () => Promise<T>): Promise<T> {
    if (this.slow) return pooled();
    const now = this.clock();
    this.sliceStarted ??= now;
    if (now - this.sliceStarted > CALLING_THREAD_SLICE_MS) {
      await new Promise((resolve) => setImmediate(resolve));
      this.sliceStarted = this.clock();
    }
    const started = this.clock();
    try {
      return inline();
    } finally {
      if (this.clock() - started > CALLING_THREAD_CALL_BUDGET_MS) this.slow = true;
    }
  }
}
