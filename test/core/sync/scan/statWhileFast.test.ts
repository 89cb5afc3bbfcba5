// Stat batches on the calling thread: all of them while the disk is fast, the rest left to the caller once a batch is slow.
import { describe, expect, it } from 'vitest';
import { SYNC_STAT_BATCH, SYNC_STAT_BUDGET_MS, statWhileFast } from '../../../../main/core/sync/scan/statWhileFast.js';

const paths = Array.from({ length: SYNC_STAT_BATCH * 3 + 10 }, (_, i) => `dir/file-${i}`);

function busyFor(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

describe('statWhileFast', () => {
  it('handles every path, in order, when each batch is quick', async () => {
    const seen: string[] = [];
    expect(await statWhileFast(paths, (p) => void seen.push(p))).toBe(paths.length);
    expect(seen).toEqual(paths);
  });

  it('stops after the first batch that takes longer than its budget and says how far it got', async () => {
    const seen: string[] = [];
    const handled = await statWhileFast(paths, (p) => {
      seen.push(p);
      // The second batch meets a slow disk.
      if (seen.length === SYNC_STAT_BATCH + 1) busyFor(SYNC_STAT_BUDGET_MS * 3);
    });
    expect(handled).toBe(SYNC_STAT_BATCH * 2);
    expect(seen).toEqual(paths.slice(0, handled));
  });

  it('gives the event loop a turn between batches and stops on abort', async () => {
    const abort = new AbortController();
    let calls = 0;
    // A timer set now fires only when the loop gets a turn: between two batches.
    setImmediate(() => abort.abort(new Error('stop')));
    await expect(statWhileFast(paths, () => void (calls += 1), abort.signal)).rejects.toThrow('stop');
    expect(calls).toBe(SYNC_STAT_BATCH);
  });
});
