// Runs small file work call by call under the calling-thread rule (callingThreadRule.ts).
import { CALLING_THREAD_CALL_BUDGET_MS, CALLING_THREAD_SLICE_MS } from './callingThreadRule.js';

export { CALLING_THREAD_CALL_BUDGET_MS, CALLING_THREAD_SLICE_MS };

/**
 * Times each call: the first one over budget sends every later call to the thread pool, so a slow
 * disk holds the event loop once, for one small file. Fast calls give the loop a turn every slice,
 * so a long run of them does not starve it either. (statWhileFast applies the same rule to lstat
 * in timed batches instead, which saves a promise and three clock reads per path on a rescan.)
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
