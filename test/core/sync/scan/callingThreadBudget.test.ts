// Work on the calling thread while it stays fast: one slow call moves the rest to the thread pool, and long runs of fast calls still give the event loop its turns.
import { describe, expect, it } from 'vitest';
import { CALLING_THREAD_CALL_BUDGET_MS, CALLING_THREAD_SLICE_MS, CallingThreadBudget } from '../../../../main/core/sync/scan/callingThreadBudget.js';

describe('CallingThreadBudget', () => {
  it('runs inline until one call goes over budget, then only pooled', async () => {
    let now = 0;
    let callCost = 0;
    const budget = new CallingThreadBudget(() => now);
    const inline = (): string => {
      now += callCost;
      return 'inline';
    };
    const pooled = async (): Promise<string> => 'pooled';
    expect(await budget.run(inline, pooled)).toBe('inline');
    callCost = CALLING_THREAD_CALL_BUDGET_MS + 0.5;
    expect(await budget.run(inline, pooled)).toBe('inline');
    expect(budget.usesThreadPool).toBe(true);
    callCost = 0;
    expect(await budget.run(inline, pooled)).toBe('pooled');
  });

  it('gives the event loop a turn once a slice of inline work is used up', async () => {
    let now = 0;
    const budget = new CallingThreadBudget(() => now);
    let loopTurns = 0;
    const seenAtCall: number[] = [];
    const tick = (): void => void setImmediate(() => (loopTurns += 1));
    tick();
    for (let i = 0; i < 6; i++) {
      await budget.run(
        () => {
          seenAtCall.push(loopTurns);
          now += CALLING_THREAD_SLICE_MS / 2;
        },
        async () => undefined,
      );
    }
    // Microtasks alone never let a setImmediate run: a turn was given back within the six calls.
    expect(seenAtCall[0]).toBe(0);
    expect(seenAtCall.at(-1)).toBeGreaterThan(0);
    expect(budget.usesThreadPool).toBe(false);
  });

  it('passes errors of either kind on', async () => {
    const budget = new CallingThreadBudget(() => 0);
    await expect(budget.run(() => { throw new Error('inline failed'); }, async () => 'x')).rejects.toThrow('inline failed');
  });
});
