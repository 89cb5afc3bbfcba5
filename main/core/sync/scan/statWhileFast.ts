// Stats paths under the calling-thread rule (callingThreadRule.ts) in timed batches, yielding between batches.
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { CALLING_THREAD_SLICE_MS } from './callingThreadRule.js';

/** Paths per batch; a batch on a local disk with cached metadata takes well under a millisecond. */
export const SYNC_STAT_BATCH = 256;
/** A batch that takes longer than one slice has found metadata not in memory: the rest goes to the thread pool. */
export const SYNC_STAT_BUDGET_MS = CALLING_THREAD_SLICE_MS;

/**
 * Calls `statOne` for `paths` in order, batch by batch, until one batch exceeds the budget or all
 * are done; answers how many were handled (the caller stats the rest asynchronously). Rejects only
 * with the signal's reason.
 */
export async function statWhileFast(paths: readonly string[], statOne: (path: string) => void, signal?: AbortSignal): Promise<number> {
  let done = 0;
  while (done < paths.length) {
    signal?.throwIfAborted();
    const started = performance.now();
    const end = Math.min(paths.length, done + SYNC_STAT_BATCH);
    for (; done < end; done += 1) statOne(paths[done]!);
    if (performance.now() - started > SYNC_STAT_BUDGET_MS) break;
    await yieldToEventLoop();
  }
  return done;
}
