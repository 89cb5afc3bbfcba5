// Names the sync engine writes inside a synced folder for itself, which no scan or watcher may treat as user files.
import type { RelativePath } from '../syncTypes.js';

/** The folder-root directory where files deleted by a sync are moved instead of being erased. */
export const TRASH_DIR_NAME = '.coffer-trash';

/** Downloads are written to `.coffer-tmp-<random>` beside their target, then renamed over it. */
export const TEMP_FILE_PREFIX = '.coffer-tmp-';

/** True for a single path segment that belongs to the engine (at any depth, file or directory). */
export function isInternalName(name: string): boolean {
  return name === TRASH_DIR_NAME || name.startsWith(TEMP_FILE_PREFIX);
}

/** True when any segment of the relative path is internal, so nothing inside the trash ever syncs. */
export function isInternalPath(path: RelativePath): boolean {
  return path.split('/').some(isInternalName);
}
