// A large blob written through the page cache: where direct I/O is not available.
import { promises as fsp } from 'node:fs';
import type { BlobLocation, BlobSink } from './blobIo.js';

/** Ciphertext is gathered into writes of about this size before a writev system call. */
const WRITE_BATCH_BYTES = 1024 * 1024;

/**
 * A large file gets a background fdatasync each time this much more has been written, so the disk
 * writes it back while the rest streams in and the fsync in finish() has little left to wait for.
 */
const WRITEBACK_BYTES = 32 * 1024 * 1024;

export class BufferedFileSink implements BlobSink {
  private handle: fsp.FileHandle | undefined;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** The batch being written while the next one is gathered: at most one writev is in flight. */
  private writing: Promise<void> | undefined;
  /** The early-writeback fdatasync, if one is running (at most one). */
  private syncing: Promise<void> | undefined;
  private syncRunning = false;
  private unsyncedBytes = 0;

  constructor(
    readonly blobId: string,
    private readonly path: string,
    private readonly dir: string,
  ) {}

  async write(pieces: readonly Buffer[]): Promise<void> {
    for (const piece of pieces) {
      this.pending.push(piece);
      this.pendingBytes += piece.length;
    }
    if (this.pendingBytes >= WRITE_BATCH_BYTES) await this.flush();
  }

  async finish(): Promise<BlobLocation> {
    await this.flush();
    await this.writing;
    await this.syncing;
    const handle = await this.opened();
    await handle.sync();
    await handle.close();
    this.handle = undefined;
    return { kind: 'file', dir: this.dir };
  }

  async abort(): Promise<void> {
    this.pending = [];
    await this.writing?.catch(() => undefined);
    await this.syncing?.catch(() => undefined);
    await this.handle?.close().catch(() => undefined);
    this.handle = undefined;
    await fsp.rm(this.path, { force: true });
  }

  private async opened(): Promise<fsp.FileHandle> {
    // 'wx': a fresh random id never names an existing file; failing loudly beats overwriting one.
    this.handle ??= await fsp.open(this.path, 'wx', 0o600);
    return this.handle;
  }

  /**
   * Hands the gathered batch to the thread pool and returns once the previous batch is written, so
   * hashing and encrypting the next batch overlaps this one's write. A failed write surfaces here on
   * the next call, or in finish() or abort().
   */
  private async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    await this.writing;
    const pieces = this.pending;
    const bytes = this.pendingBytes;
    this.pending = [];
    this.pendingBytes = 0;
    const writing = this.writeAll(pieces, bytes);
    writing.catch(() => undefined); // observed by the next flush(), finish() or abort()
    this.writing = writing;
  }

  private async writeAll(pieces: Buffer[], bytes: number): Promise<void> {
    const handle = await this.opened();
    let rest = pieces;
    while (rest.length > 0) {
      const { bytesWritten } = await handle.writev(rest);
      rest = dropWritten(rest, bytesWritten);
    }
    this.unsyncedBytes += bytes;
    if (this.unsyncedBytes >= WRITEBACK_BYTES && !this.syncRunning) {
      this.unsyncedBytes = 0;
      this.syncRunning = true;
      const previous = this.syncing; // settled by now; chaining it keeps an earlier failure for finish()
      const syncing = (async () => {
        try {
          await previous;
          await handle.datasync();
        } finally {
          this.syncRunning = false;
        }
      })();
      syncing.catch(() => undefined); // observed by finish() or abort()
      this.syncing = syncing;
    }
  }
}

/** writev may write less than asked; returns what is left, slicing the first partly written piece. */
function dropWritten(pieces: Buffer[], written: number): Buffer[] {
  let skip = written;
  let i = 0;
  while (i < pieces.length && skip >= pieces[i]!.length) {
    skip -= pieces[i]!.length;
    i++;
  }
  const rest = pieces.slice(i);
  if (rest.length > 0 && skip > 0) rest[0] = rest[0]!.subarray(skip);
  return rest;
}
