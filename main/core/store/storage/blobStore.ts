// Where encrypted streams live: small ones inline in SQLite, large ones as files named by random id.
import { randomBytes } from 'node:crypto';
import { promises as fsp, constants as fsConstants } from 'node:fs';
import { join } from 'node:path';
import type { SqliteDatabase } from '../../db/openDatabase.js';
import type { CipherSource } from '../../crypto/segmentDecryptor.js';

/**
 * Streams up to this many ciphertext bytes are kept inline: they commit with their metadata row in
 * one SQLite transaction, so a batch of small PUTs costs one WAL fsync instead of one fsync per file.
 */
export const INLINE_MAX_BYTES = 128 * 1024;

/** Ciphertext is gathered into writes of about this size before a writev system call. */
const WRITE_BATCH_BYTES = 1024 * 1024;

/**
 * A large file gets a background fdatasync each time this much more has been written, so the disk
 * writes it back while the rest streams in and the fsync in finish() has little left to wait for.
 */
const WRITEBACK_BYTES = 32 * 1024 * 1024;

/** Read buffers kept per open blob for reuse: one being decrypted, one read ahead, one spare. */
const MAX_SPARE_READ_BUFFERS = 3;

export type BlobLocation = { kind: 'inline'; data: Buffer } | { kind: 'file'; dir: string };

export interface BlobSink {
  readonly blobId: string;
  write(pieces: readonly Buffer[]): Promise<void>;
  /** Makes the bytes durable (fsync for files) and says where they are, for the commit. */
  finish(): Promise<BlobLocation>;
  /** Throws the partial blob away; safe to call after a failure at any point. */
  abort(): Promise<void>;
}

export interface OpenedBlob extends CipherSource {
  close(): Promise<void>;
}

/**
 * Blob file names are random ids, never object names, so no key ('..', NUL, 1024 bytes of odd
 * Unicode) can reach the file system. Files are sharded into 256 directories by the id's first byte.
 */
export class BlobStore {
  private readonly pins = new Map<string, number>();
  private readonly doomed = new Set<string>();
  private readonly selectInline;
  private readonly insertInlineStmt;
  private readonly deleteInlineStmt;

  constructor(
    readonly root: string,
    db: SqliteDatabase,
  ) {
    this.selectInline = db.prepare('SELECT data FROM inline_blobs WHERE blob_id = ?').pluck();
    this.insertInlineStmt = db.prepare('INSERT INTO inline_blobs (blob_id, data) VALUES (?, ?)');
    this.deleteInlineStmt = db.prepare('DELETE FROM inline_blobs WHERE blob_id = ?');
  }

  static newBlobId(): string {
    return randomBytes(16).toString('hex');
  }

  async init(): Promise<void> {
    await fsp.mkdir(this.root, { recursive: true });
    await Promise.all(
      Array.from({ length: 256 }, (_, i) => fsp.mkdir(join(this.root, i.toString(16).padStart(2, '0')), { recursive: true })),
    );
  }

  shardDir(blobId: string): string {
    return join(this.root, blobId.slice(0, 2));
  }

  filePath(blobId: string): string {
    return join(this.shardDir(blobId), blobId);
  }

  createSink(cipherBytes: number): BlobSink {
    const blobId = BlobStore.newBlobId();
    return cipherBytes <= INLINE_MAX_BYTES ? new InlineSink(blobId) : new FileSink(blobId, this.filePath(blobId), this.shardDir(blobId));
  }

  /** Inside a commit transaction: records an inline blob's bytes. */
  insertInline(blobId: string, data: Buffer): void {
    this.insertInlineStmt.run(blobId, data);
  }

  /** Inside a commit transaction: drops inline blobs; returns nothing to clean up on disk for them. */
  deleteInline(blobId: string): boolean {
    return this.deleteInlineStmt.run(blobId).changes > 0;
  }

  /**
   * Pins blobs against deletion while a reader uses them. Call in the same tick as the metadata
   * lookup, so an overwrite that commits meanwhile defers unlinking until the reader is done.
   */
  pin(blobIds: readonly string[]): () => void {
    for (const id of blobIds) this.pins.set(id, (this.pins.get(id) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      for (const id of blobIds) {
        const left = (this.pins.get(id) ?? 1) - 1;
        if (left > 0) {
          this.pins.set(id, left);
          continue;
        }
        this.pins.delete(id);
        if (this.doomed.delete(id)) void this.unlink(id);
      }
    };
  }

  /** Opens a stream's ciphertext: from the inline table, else from its file. */
  async open(blobId: string): Promise<OpenedBlob> {
    const inline = this.selectInline.get(blobId) as Buffer | undefined;
    if (inline) {
      return {
        size: inline.length,
        read: async (position, length) => readExact(inline, position, length),
        close: async () => undefined,
      };
    }
    const handle = await fsp.open(this.filePath(blobId), fsConstants.O_RDONLY);
    const { size } = await handle.stat();
    // Buffers the reader hands back (recycle) are filled again: a long GET allocates no read buffers.
    const spare: Buffer[] = [];
    const readAt = async (position: number, length: number): Promise<Buffer> => {
      const reused = spare.findIndex((b) => b.length === length);
      const buffer = reused >= 0 ? spare.splice(reused, 1)[0]! : Buffer.allocUnsafeSlow(length);
      let done = 0;
      while (done < length) {
        const { bytesRead } = await handle.read(buffer, done, length - done, position + done);
        if (bytesRead === 0) throw new Error('blob ended early');
        done += bytesRead;
      }
      return buffer;
    };
    // Read-ahead: once reads run back to back, the next one of the same length is started while the
    // caller decrypts and sends this one, so the disk read overlaps the CPU work instead of following it.
    let ahead: { position: number; length: number; bytes: Promise<Buffer> } | undefined;
    let lastEnd = -1;
    return {
      size,
      read: (position, length) => {
        const hit = ahead !== undefined && ahead.position === position && ahead.length === length ? ahead.bytes : undefined;
        const bytes = hit ?? readAt(position, length);
        const sequential = position === lastEnd;
        lastEnd = position + length;
        ahead = undefined;
        if (sequential && lastEnd < size) {
          const next = { position: lastEnd, length: Math.min(length, size - lastEnd), bytes: readAt(lastEnd, Math.min(length, size - lastEnd)) };
          next.bytes.catch(() => undefined); // a read-ahead nobody asks for may fail unobserved
          ahead = next;
        }
        return bytes;
      },
      recycle: (buffer) => {
        if (spare.length < MAX_SPARE_READ_BUFFERS) spare.push(buffer);
      },
      close: async () => {
        // Never close the descriptor under a read still running on the thread pool.
        await ahead?.bytes.catch(() => undefined);
        ahead = undefined;
        await handle.close();
      },
    };
  }

  /** After a commit: removes replaced file blobs, later if a reader still has them pinned. */
  async deleteFiles(blobIds: readonly string[]): Promise<void> {
    await Promise.all(
      blobIds.map(async (id) => {
        if (this.pins.has(id)) this.doomed.add(id);
        else await this.unlink(id);
      }),
    );
  }

  /** Lists every blob file on disk (for the start-up sweep of orphans left by a crash). */
  async listFiles(): Promise<string[]> {
    const shards = await fsp.readdir(this.root);
    const lists = await Promise.all(shards.map((s) => fsp.readdir(join(this.root, s)).catch(() => [] as string[])));
    return lists.flat();
  }

  private async unlink(blobId: string): Promise<void> {
    await fsp.rm(this.filePath(blobId), { force: true });
  }
}

function readExact(data: Buffer, position: number, length: number): Buffer {
  if (position + length > data.length) throw new Error('blob ended early');
  return data.subarray(position, position + length);
}

class InlineSink implements BlobSink {
  private readonly pieces: Buffer[] = [];

  constructor(readonly blobId: string) {}

  async write(pieces: readonly Buffer[]): Promise<void> {
    this.pieces.push(...pieces);
  }

  async finish(): Promise<BlobLocation> {
    return { kind: 'inline', data: Buffer.concat(this.pieces) };
  }

  async abort(): Promise<void> {
    this.pieces.length = 0;
  }
}

class FileSink implements BlobSink {
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
