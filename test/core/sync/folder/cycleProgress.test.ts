// Transfer progress and rate, on a clock the test moves.
import { describe, expect, it } from 'vitest';
import { CycleProgress } from '../../../../main/core/sync/folder/cycleProgress.js';

describe('CycleProgress', () => {
  it('counts bytes from per-file absolute reports and finished transfers', () => {
    let now = 1_000_000;
    const progress = new CycleProgress(() => now);
    progress.plan(2, 1, 3000);
    const a = progress.transfer();
    const b = progress.transfer();
    a(500);
    a(1000);
    a(900); // a late, smaller report never counts twice
    b(2000);
    progress.finished('up');
    expect(progress.snapshot()).toMatchObject({ pendingUp: 1, pendingDown: 1, bytesDone: 3000, bytesTotal: 3000 });
    now += 2000;
    expect(progress.snapshot().rate).toBe(1500);
  });

  it('forgets bytes older than the five-second window', () => {
    let now = 5_000_000;
    const progress = new CycleProgress(() => now);
    const t = progress.transfer();
    t(10_000);
    now += 6000;
    expect(progress.snapshot().rate).toBe(0);
    t(14_000);
    expect(progress.snapshot().rate).toBe(4000);
  });
});
