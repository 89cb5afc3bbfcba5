// Small local file operations the executor needs: hashing, stat comparison, durable rename, the local trash.
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, type Stats } from 'node:fs';
import { lstat, mkdir, open, rename } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { TEMP_FILE_PREFIX, TRASH_DIR_NAME } from '../scan/internalNames.js';
import type { LocalFile, RelativePath } from '../syncTypes.js';
import { trashDay } from './remoteLayout.js';

/** The local trash: deleted files wait here, one folder per day, so a wrong delete is never final. */
export const LOCAL_TRASH_DIR = TRASH_DIR_NAME;

export function absolutePath(root: string, path: RelativePath): string {
  return join(root, ...path.split('/'));
}

/** The file's SHA-256 (hex) and, when asked, its MD5 (hex) from the same single read. */
export async function digestsOfFile(file: string, withMd5: boolean): Promise<{ sha256: string; md5?: string }> {
  const sha256 = createHash('sha256');
  const md5 = withMd5 ? createHash('md5') : undefined;
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    sha256.update(chunk);
    md5?.update(chunk);
  }
  return md5 ? { sha256: sha256.digest('hex'), md5: md5.digest('hex') } : { sha256: sha256.digest('hex') };
}

/** lstat, or undefined when nothing is there. */
export async function statOrUndefined(file: string): Promise<Stats | undefined> {
  try {
    return await lstat(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** True when the file on disk is still the one the scan recorded (size, mtime and inode). */
export function sameAsScanned(stats: Stats, scanned: Pick<LocalFile, 'size' | 'mtimeMs' | 'inode'>): boolean {
  return stats.isFile() && stats.size === scanned.size && Math.trunc(stats.mtimeMs) === Math.trunc(scanned.mtimeMs) && stats.ino === scanned.inode;
}

export function tempPathBeside(target: string): string {
  return join(dirname(target), `${TEMP_FILE_PREFIX}${randomBytes(6).toString('hex')}`);
}

/** fsync a directory so a rename inside it survives a power cut (a no-op where directories cannot be opened). */
export async function syncDirectory(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // Windows cannot fsync a directory; NTFS journals the rename itself.
  } finally {
    await handle?.close();
  }
}

/** Moves `path` to `.coffer-trash/YYYY-MM-DD/path` (a numbered name when taken); returns the trash path. */
export async function moveToLocalTrash(root: string, path: RelativePath, now: Date): Promise<string> {
  const base = join(root, LOCAL_TRASH_DIR, trashDay(now), ...path.split('/'));
  await mkdir(dirname(base), { recursive: true });
  let target = base;
  for (let n = 2; await statOrUndefined(target); n++) target = `${base}.${n}`;
  await rename(absolutePath(root, path), target);
  return target;
}
