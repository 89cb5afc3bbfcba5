// Case-insensitive folders: how the executor retires a file's old spelling (base row, local name) when an action respells it.
import { rename } from 'node:fs/promises';
import { parentOf, remoteKeyOf } from '../pathKey.js';
import type { RelativePath } from '../syncTypes.js';
import { SkipFileError } from './actionQueue.js';
import { downloadFile } from './downloadFile.js';
import { absolutePath, sameAsScanned, statOrUndefined } from './localFiles.js';
import type { SyncContext, SyncIndex } from './syncContext.js';

/**
 * `ctx` whose index drops the base row at `stalePath` just before it records any base, so one file
 * never keeps a base row per spelling; `ctx` itself when `stalePath` is undefined. The old row goes
 * first: should the new row be lost (a crash before the batched index commits), the file has no
 * base, and the next cycle compares the stored SHA-256 with the local one instead of reading the
 * stale row as a change on both sides. An action that fails before recording a base keeps the old row.
 */
export function retiringBase(ctx: SyncContext, stalePath: RelativePath | undefined): SyncContext {
  if (stalePath === undefined) return ctx;
  const inner = ctx.index;
  const index: SyncIndex = {
    upsertLocal: (folderId, file) => inner.upsertLocal(folderId, file),
    removeLocal: (folderId, path) => inner.removeLocal(folderId, path),
    setBase(folderId, base) {
      if (base.path !== stalePath) inner.removeBase(folderId, stalePath);
      inner.setBase(folderId, base);
    },
    removeBase: (folderId, path) => inner.removeBase(folderId, path),
    addConflict: (folderId, conflict) => inner.addConflict(folderId, conflict),
  };
  return { ...ctx, index };
}

/**
 * download(changed) of `key` over the scanned local file `localPath`, whose name differs from the key
 * by case. When only the file name differs, the file first takes the key's spelling: a case-only
 * rename keeps inode, size and mtime, so the download still recognises it as the scanned file and
 * replaces it, and the base is recorded under the key. When a folder on the way differs, the file is
 * replaced where it is and keeps its spelling: renaming the folder would move its other files, and
 * the disk treats both spellings as one anyway.
 *
 * A failure after the rename leaves the old content under the new name with the old base, which the
 * next cycle plans as an ordinary download(changed). Throws SkipFileError when the local file changed
 * since the scan, or when another file already holds the key's spelling (the disk keeps both after
 * all); whatever downloadFile throws otherwise.
 */
export async function downloadRespelled(ctx: SyncContext, key: string, localPath: RelativePath): Promise<void> {
  if (remoteKeyOf(parentOf(localPath)) !== parentOf(key)) return downloadFile(ctx, key, localPath, localPath);
  const scanned = ctx.locals.get(localPath);
  const from = absolutePath(ctx.root, localPath);
  const to = absolutePath(ctx.root, key);
  const current = await statOrUndefined(from);
  if (!scanned || !current || !sameAsScanned(current, scanned)) {
    throw new SkipFileError(`${localPath} changed since it was scanned; it syncs in the next cycle`);
  }
  const atKey = await statOrUndefined(to);
  if (atKey && atKey.ino !== current.ino) {
    throw new SkipFileError(`${localPath} and ${key} are two files here, although the folder is set up as ignoring case`);
  }
  await rename(from, to);
  ctx.index.removeLocal(ctx.folderId, localPath);
  await downloadFile(ctx, key, key, localPath);
}
