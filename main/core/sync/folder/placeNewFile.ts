// Puts a finished download where no local file was, without ever replacing one that appeared meanwhile.
import { link, rename } from 'node:fs/promises';

/** Errors that mean "this file system has no hard links" (FAT, exFAT, some network shares), not "the name is taken". */
const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EMLINK']);

/**
 * Gives `temp`'s file the name `target` only if nothing holds that name: link(2) fails with EEXIST
 * instead of replacing, in one step, so a file the user creates a moment before cannot be lost to
 * the download (a rename would silently replace it). Returns false when the name is taken. The
 * caller still removes `temp` (the file keeps its inode under `target`). Where the file system has
 * no hard links it falls back to rename, after the caller's own check that the name was free.
 */
export async function placeNewFile(temp: string, target: string): Promise<boolean> {
  try {
    await link(temp, target);
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? '';
    if (code === 'EEXIST') return false;
    if (!NO_HARD_LINKS.has(code)) throw err;
  }
  await rename(temp, target);
  return true;
}
