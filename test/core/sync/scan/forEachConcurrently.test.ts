import { describe, expect, it } from 'vitest';
import { forEachConcurrently } from '../../../../main/core/sync/scan/forEachConcurrently.js';

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('forEachConcurrently', () => {
  it('runs every item with no more than the limit in flight', async () => {
    let inFlight = 0;
    let peak = 0;
    const done: number[] = [];
    await forEachConcurrently([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      await tick();
      done.push(n);
      inFlight -= 1;
    });
    expect(done.sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(peak).toBe(3);
  });

  it('stops taking work after a failure and rethrows it once running calls settle', async () => {
    const started: number[] = [];
    let settled = 0;
    const failure = new Error('item 2');
    await expect(
      forEachConcurrently([1, 2, 3, 4, 5], 2, async (n) => {
        started.push(n);
        await tick();
        settled += 1;
        if (n === 2) throw failure;
      }),
    ).rejects.toBe(failure);
    expect(started).toEqual([1, 2, 3]);
    expect(settled).toBe(started.length);
  });

  it('rejects with an aborted signal reason and refuses a bad limit', async () => {
    const reason = new Error('aborted');
    await expect(forEachConcurrently([1], 1, async () => {}, AbortSignal.abort(reason))).rejects.toBe(reason);
    await expect(forEachConcurrently([1], 0, async () => {})).rejects.toThrow(RangeError);
  });
});
