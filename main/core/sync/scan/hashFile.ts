// Streams a file through SHA-256 with one bounded buffer, reading no more than its expected size plus one byte.
import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';

/** Bytes read per call; also the most memory one hash holds. */
export const HASH_CHUNK_BYTES = 1024 * 1024;

export interface FileDigest {
  /** Lower-case hex. */
  readonly sha256: string;
  /** Bytes actually read: `expectedSize + 1` means the file grew while it was read. */
  readonly bytesRead: number;
}

/**
 * Hashes `file`, expecting `expectedSize` bytes. Stops one byte past the expected size, so a
 * file growing while it is read costs no more than its stat'ed size; the caller compares
 * `bytesRead` with the size it expected. `onBytes` receives each chunk's length as it is read.
 * Rejects with the file system error (ENOENT, EACCES, EISDIR…) or with the signal's reason.
 */
export async function hashFile(
  file: string,
  expectedSize: number,
  options: { signal?: AbortSignal; onBytes?: (bytes: number) => void } = {},
): Promise<FileDigest> {
  const hash = createHash('sha256');
  const limit = expectedSize + 1;
  const buffer = Buffer.allocUnsafe(Math.min(HASH_CHUNK_BYTES, limit));
  const handle = await open(file, 'r');
  try {
    let bytesRead = 0;
    while (bytesRead < limit) {
      options.signal?.throwIfAborted();
      const { bytesRead: n } = await handle.read(buffer, 0, Math.min(buffer.length, limit - bytesRead), null);
      if (n === 0) break;
      hash.update(buffer.subarray(0, n));
      bytesRead += n;
      options.onBytes?.(n);
    }
    return { sha256: hash.digest('hex'), bytesRead };
  } finally {
    await handle.close();
  }
}

/** hashFile on the calling thread, for a small file the scan expects to find in the page cache. Throws the file system error. */
export function hashFileSync(file: string, expectedSize: number, onBytes?: (bytes: number) => void): FileDigest {
  const hash = createHash('sha256');
  const limit = expectedSize + 1;
  const buffer = Buffer.allocUnsafe(Math.min(HASH_CHUNK_BYTES, limit));
  const fd = openSync(file, 'r');
  try {
    let bytesRead = 0;
    while (bytesRead < limit) {
      const n = readSync(fd, buffer, 0, Math.min(buffer.length, limit - bytesRead), null);
      if (n === 0) break;
      hash.update(buffer.subarray(0, n));
      bytesRead += n;
      onBytes?.(n);
    }
    return { sha256: hash.digest('hex'), bytesRead };
  } finally {
    closeSync(fd);
  }
}
