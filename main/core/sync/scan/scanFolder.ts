// Full scan of a synced folder: walks it, hashes only what changed since the last scan, and records the result in the index.
import { stat } from 'node:fs/promises';
import type { RelativePath } from '../syncTypes.js';
import { ScanSession } from './scanSession.js';
import type { ScanError, ScanOptions, ScanResult } from './scanTypes.js';
import { errorCode } from './walkTree.js';

/**
 * Scans every file under `root` (an absolute path; a symbolic link as the root itself is
 * followed, none below it). A file whose size, mtime and inode match the index keeps its stored
 * SHA-256 unread; others are hashed and written in batched transactions. Files the index held
 * that are gone are cleared (the synced base stays, so the planner sees a local deletion).
 *
 * A root that is missing, not a directory or cannot be stat'ed returns `rootMissing: true` and
 * leaves the index untouched: an unmounted disk must pause the folder, never read as "delete
 * everything". A root that stats but cannot be listed keeps every entry, with an error for ''.
 * Rejects only when the signal aborts (with its reason) or the index itself fails.
 */
export async function scanFolder(root: string, options: ScanOptions): Promise<ScanResult> {
  const rootError = await checkRoot(root);
  if (rootError !== undefined) return missingRoot(rootError);
  const session = new ScanSession(root, options);
  return session.run(async () => {
    const found = await session.walk('');
    const priors = options.index.localEntries(options.folderId);
    await session.examine(found, priors);
    return priors;
  });
}

/** Undefined when `root` is a readable directory; otherwise why not (path '' is the root). */
export async function checkRoot(root: string): Promise<ScanError | undefined> {
  try {
    const stats = await stat(root);
    return stats.isDirectory() ? undefined : { path: '', code: 'ENOTDIR' };
  } catch (error) {
    return { path: '', code: errorCode(error) };
  }
}

export function missingRoot(error: ScanError): ScanResult {
  const none: RelativePath[] = [];
  return { files: [], hashed: 0, bytesHashed: 0, rootMissing: true, errors: [error], skipped: [], unstable: none, vanished: none };
}
