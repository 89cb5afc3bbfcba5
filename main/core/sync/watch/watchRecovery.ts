// How the watcher reacts to a failure: which errors mean "the OS watch limit is reached" and what the user is told.

/** Raised by inotify_add_watch (ENOSPC: max_user_watches) or when watch handles exhaust descriptors (EMFILE, ENFILE). */
const WATCH_LIMIT_CODES = new Set(['ENOSPC', 'EMFILE', 'ENFILE']);

export function errorCodeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** True when native watching cannot continue for lack of OS resources, which polling does not need. */
export function isWatchLimitError(error: unknown): boolean {
  const code = errorCodeOf(error);
  return code !== undefined && WATCH_LIMIT_CODES.has(code);
}

/** The sentence the UI shows when the watcher falls back to polling. */
export function pollingReason(error: unknown, intervalMs: number): string {
  const every = intervalMs % 1000 === 0 ? `${intervalMs / 1000} s` : `${intervalMs} ms`;
  const fallback = `changes in this folder are now found by checking it every ${every}, which is slower and uses more CPU`;
  if (errorCodeOf(error) === 'ENOSPC') {
    return `The system's limit on watched folders was reached (on Linux, fs.inotify.max_user_watches); ${fallback}. Raising the limit restores instant updates.`;
  }
  return `The system ran out of file handles for watching (${errorCodeOf(error) ?? 'unknown'}); ${fallback}. Closing other programs or raising the open-file limit restores instant updates.`;
}

export type RecoveryStep = 'switch-to-polling' | 'restart' | 'stop';

/**
 * The next step after a watch error: a resource limit in native mode moves to polling (which
 * needs no OS watches); anything else restarts the same mode until `maxRestarts` is spent.
 */
export function nextRecoveryStep(mode: 'native' | 'polling', error: unknown, restartsSoFar: number, maxRestarts: number): RecoveryStep {
  if (mode === 'native' && isWatchLimitError(error)) return 'switch-to-polling';
  return restartsSoFar < maxRestarts ? 'restart' : 'stop';
}
