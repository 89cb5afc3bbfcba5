// Reads a small file whole, only while it is still exactly the file the scan hashed.
import { createHash } from 'node:crypto';
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { open } from 'node:fs/promises';
import { CallingThreadBudget } from '../scan/callingThreadBudget.js';
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

type Scanned = Pick<LocalFile, 'size' | 'mtimeMs' | 'inode' | 'sha256'>;

function isGone(err: unknown): boolean {
  return GONE_CODES.has((err as NodeJS.ErrnoException).code ?? '');
}

/** The bytes when they hash to the scanned SHA-256, else undefined (rewritten in place since). */
function ifScannedHash(bytes: Buffer, scanned: Scanned): Buffer | undefined {
  return createHash('sha256').update(bytes).digest('hex') === scanned.sha256 ? bytes : undefined;
}

/** readIfUnchanged on the calling thread: the same checks, in four system calls. */
export function readIfUnchangedSync(file: string, scanned: Scanned): Buffer | undefined {
  let fd: number;
  try {
    fd = openSync(file, OPEN_FLAGS);
  } catch (err) {
    if (isGone(err)) return undefined;
    throw err;
  }
  try {
    const stats: Stats = fstatSync(fd);
    if (!sameAsScanned(stats, scanned)) return undefined;
    const bytes = Buffer.allocUnsafe(scanned.size);
    let filled = 0;
    while (filled < bytes.length) {
      const n = readSync(fd, bytes, filled, bytes.length - filled, filled);
      if (n === 0) return undefined;
      filled += n;
    }
    return ifScannedHash(bytes, scanned);
  } finally {
    closeSync(fd);
  }
}

/**
 * The file's bytes when it is still the scanned one: same inode, size and mtime (checked on the
 * opened descriptor, so no rename can slip in between), and the bytes read hash to the scanned
 * SHA-256. undefined when it changed or vanished since; other I/O errors (EACCES, EIO) are thrown.
 */
export async function readIfUnchanged(file: string, scanned: Scanned): Promise<Buffer | undefined> {
  let handle;
  try {
    handle = await open(file, OPEN_FLAGS);
  } catch (err) {
    if (isGone(err)) return undefined;
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
    return ifScannedHash(bytes, scanned);
  } finally {
    await handle.close();
  }
}

/** Reads the small files one sync cycle uploads, on the calling thread while that stays fast (see CallingThreadBudget). */
export class ScannedFileReader {
  constructor(private readonly budget: CallingThreadBudget = new CallingThreadBudget()) {}

  /** True once a read went over budget: later reads use the thread pool. */
  get usesThreadPool(): boolean {
    return this.budget.usesThreadPool;
  }

  /** As readIfUnchanged. */
  read(file: string, scanned: Scanned): Promise<Buffer | undefined> {
    return this.budget.run(
      () => readIfUnchangedSync(file, scanned),
      () => readIfUnchanged(file, scanned),
    );
  }
}
