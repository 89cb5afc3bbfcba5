// Lists the regular files under one directory of a folder, iteratively, never following a symbolic link.
import type { Dirent } from 'node:fs';
import { lstat, opendir } from 'node:fs/promises';
import { join } from 'node:path';
import type { RelativePath } from '../syncTypes.js';
import { isInternalName } from './internalNames.js';
import type { IgnoreRule, ScanError, SkippedEntry } from './scanTypes.js';

export interface WalkResult {
  /** Folder-relative paths of regular files, in the order found. */
  readonly files: RelativePath[];
  /** Directories that could not be listed (fully or partly): what the index knows under them must be kept. */
  readonly unreadableDirs: ScanError[];
  readonly skipped: SkippedEntry[];
}

type EntryKind = 'file' | 'dir' | 'symlink' | 'special' | 'gone';

/** Directory entries fetched per read call; larger batches mean fewer trips through the thread pool. */
const DIR_BUFFER_ENTRIES = 128;

/**
 * Walks the subtree of `startDir` ('' for the folder root; it must be a real directory the caller
 * has checked). Internal names (trash, temp files) and ignored paths are left out silently;
 * symbolic links and special files are reported as skipped. A directory that vanishes during
 * the walk is just absent; any other listing error (EACCES, EIO…) lands in `unreadableDirs`.
 * Rejects only with the signal's reason.
 */
export async function walkTree(
  root: string,
  startDir: RelativePath,
  options: { ignore?: IgnoreRule; signal?: AbortSignal; onFile?: () => void } = {},
): Promise<WalkResult> {
  const result: WalkResult = { files: [], unreadableDirs: [], skipped: [] };
  const pending: RelativePath[] = [startDir];
  for (let dir = pending.pop(); dir !== undefined; dir = pending.pop()) {
    options.signal?.throwIfAborted();
    try {
      const handle = await opendir(join(root, dir), { bufferSize: DIR_BUFFER_ENTRIES });
      for await (const entry of handle) {
        if (isInternalName(entry.name)) continue;
        const path = dir === '' ? entry.name : `${dir}/${entry.name}`;
        const kind = await entryKind(root, path, entry);
        if (kind === 'dir') {
          if (!options.ignore?.(path, true)) pending.push(path);
        } else if (kind === 'file') {
          if (options.ignore?.(path, false)) continue;
          result.files.push(path);
          options.onFile?.();
        } else if (kind !== 'gone') {
          result.skipped.push({ path, reason: kind });
        }
      }
    } catch (error) {
      const code = errorCode(error);
      // Gone between its parent's listing and now: a deletion the caller detects, not a failure.
      if (code === 'ENOENT' || code === 'ENOTDIR') continue;
      result.unreadableDirs.push({ path: dir, code });
    }
  }
  return result;
}

async function entryKind(root: string, path: RelativePath, entry: Dirent): Promise<EntryKind> {
  if (entry.isFile()) return 'file';
  if (entry.isDirectory()) return 'dir';
  if (entry.isSymbolicLink()) return 'symlink';
  if (entry.isFIFO() || entry.isSocket() || entry.isBlockDevice() || entry.isCharacterDevice()) return 'special';
  // Some file systems do not report entry types in listings: ask lstat.
  try {
    const stats = await lstat(join(root, path));
    if (stats.isFile()) return 'file';
    if (stats.isDirectory()) return 'dir';
    return stats.isSymbolicLink() ? 'symlink' : 'special';
  } catch {
    return 'gone';
  }
}

/** The Node error code of a file system error, or 'EUNKNOWN' for anything else. */
export function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'EUNKNOWN';
}
