// Stats paths on the calling thread in short batches while the disk answers fast, yielding between batches.
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';

/** Paths per batch; a batch on a local disk with cached metadata takes well under a millisecond. */
export const SYNC_STAT_BATCH = 256;
/**
 * A batch slower than this means the metadata is not in memory (a cold cache, a network or
 * spinning disk): the rest goes to the thread pool so the agent's event loop (which also serves
 * the embedded store and the control API) is never held for long.
 */
export const SYNC_STAT_BUDGET_MS = 4;

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
