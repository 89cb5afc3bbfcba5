// A large blob written with direct I/O: ciphertext copied into aligned buffers, one megabyte per write.
import { promises as fsp } from 'node:fs';
import { DIRECT_IO_BLOCK, type AlignedBufferPool } from './alignedBuffers.js';
import type { BlobLocation, BlobSink } from './blobIo.js';

/**
 * Why bypass the page cache for large blobs: here the kernel's buffered write path cost 0.3 to 2.6 s
 * of CPU per GiB from one minute to the next (filling fresh page-cache pages), against 0.1 to 0.4 s
 * written directly, and that CPU is taken from the hashing and encryption of the same upload. A
 * blob is also read rarely right after it is written, so caching it only evicts other data.
 * The copy into the aligned buffer costs about 0.1 s per GiB.
 */
export class DirectFileSink implements BlobSink {
  private handle: fsp.FileHandle | undefined;
  /** The buffer being filled, and the one a write may still be using. */
  private filling: Buffer;
  private other: Buffer;
  private filled = 0;
  /** Where the next full buffer goes in the file. */
  private position = 0;
  /** At most one write in flight, so filling the next buffer overlaps it. */
  private writing: Promise<void> | undefined;
  private released = false;

  constructor(
    readonly blobId: string,
    private readonly path: string,
    private readonly dir: string,
    private readonly flags: number,
    private readonly pool: AlignedBufferPool,
    buffers: [Buffer, Buffer],
  ) {
    [this.filling, this.other] = buffers;
  }

  async write(pieces: readonly Buffer[]): Promise<void> {
    for (const piece of pieces) {
      let from = 0;
      while (from < piece.length) {
        const copied = piece.copy(this.filling, this.filled, from);
        this.filled += copied;
        from += copied;
        if (this.filled === this.filling.length) await this.writeFilled(this.filled);
      }
    }
  }

  async finish(): Promise<BlobLocation> {
    try {
      const size = this.position + this.filled;
      if (this.filled > 0) {
        // Direct writes are whole blocks: the tail goes out zero-padded and the file is cut back to size.
        const padded = Math.ceil(this.filled / DIRECT_IO_BLOCK) * DIRECT_IO_BLOCK;
        this.filling.fill(0, this.filled, padded);
        await this.writeFilled(padded);
      }
      await this.writing;
      const handle = await this.opened();
      if (this.position !== size) await handle.truncate(size);
      await handle.sync(); // the device's cache and the file's size and extents
      await handle.close();
      this.handle = undefined;
      return { kind: 'file', dir: this.dir };
    } finally {
      await this.release();
    }
  }

  async abort(): Promise<void> {
    await this.release();
    await this.handle?.close().catch(() => undefined);
    this.handle = undefined;
    await fsp.rm(this.path, { force: true });
  }

  private async opened(): Promise<fsp.FileHandle> {
    // O_EXCL: a fresh random id never names an existing file; failing loudly beats overwriting one.
    this.handle ??= await fsp.open(this.path, this.flags, 0o600);
    return this.handle;
  }

  /** Waits for the previous write, starts this buffer's, and swaps buffers. A failed write surfaces on the next call. */
  private async writeFilled(length: number): Promise<void> {
    await this.writing;
    const buffer = this.filling;
    const position = this.position;
    const writing = this.writeAt(buffer, length, position);
    writing.catch(() => undefined); // observed by the next call, finish() or abort()
    this.writing = writing;
    this.position += length;
    this.filling = this.other;
    this.other = buffer;
    this.filled = 0;
  }

  private async writeAt(buffer: Buffer, length: number, position: number): Promise<void> {
    const handle = await this.opened();
    let done = 0;
    while (done < length) {
      const { bytesWritten } = await handle.write(buffer, done, length - done, position + done);
      // A short direct write ends on a block boundary; anything else cannot be continued directly.
      if (bytesWritten <= 0 || bytesWritten % DIRECT_IO_BLOCK !== 0) throw new Error(`direct write of ${length - done} bytes wrote ${bytesWritten}`);
      done += bytesWritten;
    }
  }

  /** Returns the buffers to the pool once no write uses them; safe to call twice. */
  private async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    await this.writing?.catch(() => undefined);
    this.pool.release(this.filling);
    this.pool.release(this.other);
  }
}
