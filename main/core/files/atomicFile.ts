// Replaces a small file in one step: a temporary file beside it, flushed to disk, then renamed over it (every Coffer file written whole goes through here).
import { closeSync, fchmodSync, fsyncSync, openSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { systemRandom, type RandomSource } from '../crypto/random.js';

/** Temporary names start so; the sync engine never syncs them (RESERVED_IGNORE_PATTERNS has '.coffer-tmp-*'), so this is safe inside a synced folder. */
const TEMP_PREFIX = '.coffer-tmp-';

/**
 * Writes `data` to `file` so that a reader (or a crash) sees the old content or the new, never a
 * part: the temporary file is written and fsynced in the same directory, given `mode` exactly
 * (whatever the umask; without one, a new file's usual 0666 less the umask), then renamed over
 * `file`; the directory is fsynced where the platform
 * allows. Throws the file system's error (ENOENT when the directory is missing, EACCES…), and
 * leaves no temporary file behind then.
 */
export function writeFileAtomic(file: string, data: string | Uint8Array, mode: number | undefined, random: RandomSource = systemRandom): void {
  const dir = dirname(file);
  const temporary = join(dir, `${TEMP_PREFIX}${random(6).toString('hex')}`);
  const fd = openSync(temporary, 'wx', mode ?? 0o666);
  try {
    try {
      if (mode !== undefined) fchmodSync(fd, mode);
      writeFileSync(fd, data);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, file);
  } catch (err) {
    rmSync(temporary, { force: true });
    throw err;
  }
  syncDirectory(dir);
}

/** Makes the rename itself durable; Windows cannot open a directory for this, and the rename is still atomic there. */
function syncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Not supported here: the data is flushed, only the rename's durability is best effort.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
