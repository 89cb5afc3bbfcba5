// Whether the blob directory takes direct I/O, found by trying it once at start.
import { randomBytes } from 'node:crypto';
import { promises as fsp, constants as fsConstants } from 'node:fs';
import { join } from 'node:path';
import { DIRECT_IO_BLOCK, type AlignedBufferPool } from './alignedBuffers.js';

/** The open flags of a new blob file written with direct I/O, or undefined where the platform has none (macOS, Windows). */
export function directCreateFlags(): number | undefined {
  const direct = fsConstants.O_DIRECT as number | undefined;
  if (direct === undefined) return undefined;
  return fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_EXCL | direct;
}

/**
 * Writes one aligned block to a scratch file opened with O_DIRECT. Some file systems refuse the
 * flag (tmpfs on older kernels, some network and FUSE mounts) or the block size; then the store
 * writes through the page cache as before.
 */
export async function directIoWorks(dir: string, pool: AlignedBufferPool): Promise<boolean> {
  const flags = directCreateFlags();
  if (flags === undefined) return false;
  const path = join(dir, `.direct-io-probe-${randomBytes(6).toString('hex')}`);
  const block = pool.acquire();
  if (!block) return false;
  let handle: fsp.FileHandle | undefined;
  try {
    handle = await fsp.open(path, flags, 0o600);
    block.fill(0, 0, DIRECT_IO_BLOCK);
    const { bytesWritten } = await handle.write(block, 0, DIRECT_IO_BLOCK, 0);
    return bytesWritten === DIRECT_IO_BLOCK;
  } catch {
    return false;
  } finally {
    await handle?.close().catch(() => undefined);
    await fsp.rm(path, { force: true });
    pool.release(block);
  }
}
