// The queue and loss tally behind AuditLog: eviction of the oldest, batches put back after a failed write.
import { describe, expect, it } from 'vitest';
import { BoundedQueue } from '../../../main/core/audit/boundedQueue.js';
import { LossTally } from '../../../main/core/audit/lossTally.js';

describe('BoundedQueue', () => {
  it('evicts the oldest item when full and says so', () => {
    const q = new BoundedQueue<number>(3);
    expect([1, 2, 3].map((n) => q.push(n))).toEqual([false, false, false]);
    expect(q.push(4)).toBe(true);
    expect(q.take(10)).toEqual([2, 3, 4]);
    expect(q.length).toBe(0);
  });

  it('puts a failed batch back in front, dropping the oldest beyond capacity', () => {
    const q = new BoundedQueue<number>(4);
    for (const n of [1, 2, 3]) q.push(n);
    const batch = q.take(2);
    q.push(4);
    q.push(5);
    expect(q.restoreFront(batch)).toBe(1); // 1 2 | 3 4 5: one too many, and 1 is the oldest
    expect(q.take(10)).toEqual([2, 3, 4, 5]);
  });

  it('stays correct across many evictions (amortised compaction)', () => {
    const q = new BoundedQueue<number>(10);
    for (let n = 1; n <= 5000; n += 1) q.push(n);
    expect(q.length).toBe(10);
    expect(q.take(3)).toEqual([4991, 4992, 4993]);
  });
});

describe('LossTally', () => {
  it('merges losses handed back after a failed write with ones counted meanwhile', () => {
    const tally = new LossTally();
    tally.add('queue-full', 5, new Date(1000));
    const taken = tally.takeAll();
    expect(tally.empty).toBe(true);
    tally.add('queue-full', 2, new Date(3000));
    tally.restore(taken);
    const [loss] = tally.takeAll();
    expect(loss).toMatchObject({ reason: 'queue-full', count: 7, first: new Date(1000), last: new Date(3000) });
    expect(loss!.notice('coffer-audit', new Date(4000))).toMatchObject({ operation: 'AuditEventsDropped', details: { count: 7, reason: 'queue-full' } });
  });
});
