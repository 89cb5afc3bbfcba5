import { describe, expect, it } from 'vitest';
import { checkDeletions, type DeletionGuardOptions } from '../../../main/core/sync/deletionGuard.js';
import type { SyncAction } from '../../../main/core/sync/syncTypes.js';

function actions(deleteLocal: number, deleteRemote: number, others = 0): SyncAction[] {
  return [
    ...Array.from({ length: deleteLocal }, (_, i): SyncAction => ({ type: 'delete-local', path: `l${i}` })),
    ...Array.from({ length: deleteRemote }, (_, i): SyncAction => ({ type: 'delete-remote', path: `r${i}` })),
    ...Array.from({ length: others }, (_, i): SyncAction => ({ type: 'upload', path: `u${i}`, reason: 'new' })),
  ];
}

describe('checkDeletions', () => {
  it.each<[string, SyncAction[], DeletionGuardOptions, false | 'fraction' | 'count']>([
    ['no deletions', actions(0, 0, 50), { trackedFiles: 100 }, false],
    ['exactly half of the tracked files is still fine', actions(3, 2), { trackedFiles: 10 }, false],
    ['more than half stops', actions(3, 3), { trackedFiles: 10 }, 'fraction'],
    ['local and remote deletions count together', actions(40, 11), { trackedFiles: 100 }, 'fraction'],
    ['below the floor of 10 tracked files, any share is fine: 1 of 2', actions(1, 0), { trackedFiles: 2 }, false],
    ['below the floor, even all 9 of 9', actions(0, 9), { trackedFiles: 9 }, false],
    ['at the floor the share counts: 6 of 10', actions(6, 0), { trackedFiles: 10 }, 'fraction'],
    ['1,000 deletions is still fine', actions(600, 400), { trackedFiles: 100_000 }, false],
    ['1,001 deletions stops, however many files are tracked', actions(501, 500), { trackedFiles: 100_000 }, 'count'],
    ['the count limit wins when both trip', actions(1001, 0), { trackedFiles: 1001 }, 'count'],
    ['a lower fraction is honoured', actions(3, 0), { trackedFiles: 10, maxFraction: 0.2 }, 'fraction'],
    ['a fraction of 1 only stops beyond everything', actions(10, 0), { trackedFiles: 10, maxFraction: 1 }, false],
    ['a lower count is honoured', actions(6, 0), { trackedFiles: 1000, maxCount: 5 }, 'count'],
    ['a custom floor', actions(2, 0), { trackedFiles: 3, minTrackedForFraction: 3 }, 'fraction'],
    ['renames, conflicts and forget-base are not deletions', [
      { type: 'rename-remote', from: 'a', to: 'b' },
      { type: 'conflict', path: 'c', kind: 'both-changed' },
      { type: 'forget-base', path: 'd' },
      { type: 'forget-base', path: 'e' },
      { type: 'forget-base', path: 'f' },
      { type: 'forget-base', path: 'g' },
      { type: 'forget-base', path: 'h' },
      { type: 'forget-base', path: 'i' },
    ], { trackedFiles: 10 }, false],
  ])('%s', (_case, planned, options, expected) => {
    const result = checkDeletions(planned, options);
    if (expected === false) expect(result).toEqual({ ok: true });
    else expect(result).toMatchObject({ ok: false, limit: expected });
  });

  it('hands back the count, the deletions in plan order, and a sentence without paths', () => {
    const planned = actions(4, 3, 2);
    const result = checkDeletions(planned, { trackedFiles: 10 });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.deletions).toBe(7);
    expect(result.deletionActions).toEqual(planned.slice(0, 7));
    expect(result.reason).toBe('This sync would delete 7 of 10 files (70%), more than the limit of 50%.');
    expect(result.reason).not.toMatch(/l0|r0/);
  });

  it.each<[string, DeletionGuardOptions]>([
    ['negative tracked files', { trackedFiles: -1 }],
    ['fractional tracked files', { trackedFiles: 2.5 }],
    ['a zero fraction', { trackedFiles: 10, maxFraction: 0 }],
    ['a fraction above 1', { trackedFiles: 10, maxFraction: 1.5 }],
    ['a NaN fraction', { trackedFiles: 10, maxFraction: Number.NaN }],
    ['a negative count', { trackedFiles: 10, maxCount: -1 }],
    ['a negative floor', { trackedFiles: 10, minTrackedForFraction: -1 }],
  ])('rejects %s with RangeError', (_case, options) => {
    expect(() => checkDeletions([], options)).toThrow(RangeError);
  });
});
