// Stops a sync run that would delete an unusual share of a folder, so an unmounted disk or a wiped remote asks first.
import type { SyncAction } from './syncTypes.js';

export type DeletionAction = Extract<SyncAction, { type: 'delete-local' | 'delete-remote' }>;

export interface DeletionGuardOptions {
  /** Files the folder tracks: its base entries (what both sides agreed on last time). */
  readonly trackedFiles: number;
  /** Largest share of trackedFiles one run may delete without asking (default 0.5; more than this stops). */
  readonly maxFraction?: number;
  /** Largest number of files one run may delete without asking, whatever the share (default 1000). */
  readonly maxCount?: number;
  /**
   * The share rule only applies from this many tracked files (default 10): in a folder of 2 files,
   * deleting 1 is ordinary, while in a folder of 10 000, deleting 6 000 is not.
   */
  readonly minTrackedForFraction?: number;
}

export type DeletionCheck =
  | { readonly ok: true }
  | {
      readonly ok: false;
      /** How many files the run would delete (local and remote together). */
      readonly deletions: number;
      /** Those deletions, in plan order, for the user to review. */
      readonly deletionActions: readonly DeletionAction[];
      /** Which limit tripped. */
      readonly limit: 'fraction' | 'count';
      /** A sentence for the user; names no paths. */
      readonly reason: string;
    };

export const DEFAULT_MAX_DELETE_FRACTION = 0.5;
export const DEFAULT_MAX_DELETE_COUNT = 1000;
export const DEFAULT_MIN_TRACKED_FOR_FRACTION = 10;

/**
 * Counts delete-local and delete-remote together (each path has at most one action, so this is the
 * number of tracked files losing a copy); renames, conflicts and forget-base are not deletions.
 * Stops when the count is above maxCount, or above maxFraction × trackedFiles while trackedFiles is at
 * least minTrackedForFraction. Exactly at a limit is still fine.
 * Throws RangeError for a negative or fractional trackedFiles, a maxFraction outside (0, 1], or a
 * negative maxCount or minTrackedForFraction.
 */
export function checkDeletions(actions: readonly SyncAction[], options: DeletionGuardOptions): DeletionCheck {
  const {
    trackedFiles,
    maxFraction = DEFAULT_MAX_DELETE_FRACTION,
    maxCount = DEFAULT_MAX_DELETE_COUNT,
    minTrackedForFraction = DEFAULT_MIN_TRACKED_FOR_FRACTION,
  } = options;
  if (!Number.isInteger(trackedFiles) || trackedFiles < 0) throw new RangeError('trackedFiles must be a whole number >= 0');
  if (!(maxFraction > 0 && maxFraction <= 1)) throw new RangeError('maxFraction must be in (0, 1]');
  if (!(maxCount >= 0)) throw new RangeError('maxCount must be >= 0');
  if (!(minTrackedForFraction >= 0)) throw new RangeError('minTrackedForFraction must be >= 0');

  const deletionActions = actions.filter((a): a is DeletionAction => a.type === 'delete-local' || a.type === 'delete-remote');
  const count = deletionActions.length;
  if (count > maxCount) {
    return { ok: false, deletions: count, deletionActions, limit: 'count', reason: `This sync would delete ${count} files, more than the limit of ${maxCount}.` };
  }
  if (trackedFiles >= minTrackedForFraction && count > maxFraction * trackedFiles) {
    const percent = Math.round((count / trackedFiles) * 100);
    const limitPercent = Math.round(maxFraction * 100);
    return {
      ok: false,
      deletions: count,
      deletionActions,
      limit: 'fraction',
      reason: `This sync would delete ${count} of ${trackedFiles} files (${percent}%), more than the limit of ${limitPercent}%.`,
    };
  }
  return { ok: true };
}
