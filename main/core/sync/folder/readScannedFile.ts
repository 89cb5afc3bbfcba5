// Reads a small file whole, only while it is still exactly the file the scan hashed.
import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import type { LocalFile } from '../syncTypes.js';
import { sameAsScanned } from './localFiles.js';

/**
 * Files up to this size are read into memory and sent from there: one open, fstat, read and close
 * instead of a stat and a read stream, which for a small file cost more than its bytes. The
 * transfers in flight bound the memory this takes (a few MiB).
 */
export const WHOLE_READ_MAX_BYTES = 1024 * 1024;

/** Not followed: a file replaced by a symlink since the scan is a changed file, not its target's bytes. */
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0);

/** Errors that mean the path no longer names the scanned file (gone, a directory now, a link now). */
const GONE_CODES = new Set(['ENOENT', 'ENOTDIR', 'ELOOP', 'EISDIR']);

/**
 * The file's bytes when it is still the scanned one: same inode, size and mtime (checked on the
 * opened descriptor, so no rename can slip in between), and the bytes read hash to the scanned
 * SHA-256. undefined when it changed or vanished since; other I/O errors (EACCES, EIO) are thrown.
 */
export async function readIfUnchanged(file: string, scanned: Pick<LocalFile, 'size' | 'mtimeMs' | 'inode' | 'sha256'>): Promise<Buffer | undefined> {
  let handle;
  try {
    handle = await open(file, OPEN_FLAGS);
  } catch (err) {
    if (GONE_CODES.has((err as NodeJS.ErrnoException).code ?? '')) return undefined;
    throw err;
  }
  try {
    if (!sameAsScanned(await handle.stat(), scanned)) return undefined;
    const bytes = Buffer.allocUnsafe(scanned.size);
    let filled = 0;
    while (filled < bytes.length) {
      const { bytesRead } = await handle.read(bytes, filled, bytes.length - filled, filled);
      if (bytesRead === 0) return undefined;
      filled += bytesRead;
    }
    return createHash('sha256').update(bytes).digest('hex') === scanned.sha256 ? bytes : undefined;
  } finally {
    await handle.close();
  }
}
